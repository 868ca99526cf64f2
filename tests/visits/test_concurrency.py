"""Writes that hold under concurrency (issue #7): requests fired together at a real multi-worker gunicorn.

The data is seeded in the test process; the server runs `auditapp:create_app()` on the same database (SQLite
file or the session's PostgreSQL) with two workers of four threads, and every request of a burst waits at one
barrier before it is sent.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
import requests
import sqlalchemy as sa
from flask import Flask

from auditapp import create_app
from auditapp.accounts.services import issue_token
from auditapp.extensions import db
from auditapp.photos.models import Photo
from auditapp.visits import services as visit_services
from auditapp.visits.models import Answer, StaffRecord, StatusChange, TouchpointScore, Visit, VisitOperation

from ..conftest import empty_tables
from ..factories import Factory
from ..gunicorn import Gunicorn
from ..photos.helpers import encode, noisy_image
from .test_api import COMPLETE

RACES = 8  # visits on which an approval and a return are sent together


@dataclass
class World:
    app: Flask
    url: str
    auditor: str  # Bearer tokens
    reviewer: str
    visits: dict[str, int]
    races: list[int]
    uploads: Path

    def headers(self, token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}


def _submitted(factory: Factory, visit: Visit, submit: bool = True) -> int:
    factory.answered(visit, COMPLETE)
    for standard in ("clean", "entrance"):  # rows without files: these tests are about the status, not pictures
        db.session.add(Photo(visit_id=visit.id, standard_key=standard, touchpoint_key="table", file_key="0" * 64))
    db.session.commit()
    if submit:
        visit_services.submit_visit(visit, visit.auditor)
    return visit.id


def _seed(app: Flask) -> dict:
    with app.app_context():
        factory = Factory()
        version, branch, auditor = factory.concept(), factory.branch(), factory.user("auditor")
        reviewer = factory.user("manager", branches=(branch,))

        def visit() -> Visit:
            return factory.visit(version=version, branch=branch, auditor=auditor, persona="solo")

        visits = {"answers": visit().id, "photos": visit().id,
                  "submit": _submitted(factory, visit(), submit=False), "approve": _submitted(factory, visit())}
        races = [_submitted(factory, visit()) for _ in range(RACES)]
        return {"auditor": issue_token(auditor.email), "reviewer": issue_token(reviewer.email),
                "visits": visits, "races": races}


@pytest.fixture(scope="module")
def world(backend, request, tmp_path_factory):
    """A seeded database and a two-worker gunicorn serving it; torn down after the module."""
    folder = tmp_path_factory.mktemp(f"concurrency-{backend}")
    if backend == "sqlite":
        shutil.copyfile(request.getfixturevalue("sqlite_template"), folder / "db.sqlite")
        url = f"sqlite:///{folder / 'db.sqlite'}"
    else:
        url = request.getfixturevalue("pg_url")
    server = Gunicorn(url, folder, secret="concurrency")
    app = create_app({"TESTING": True, "SECRET_KEY": "concurrency", "SQLALCHEMY_DATABASE_URI": url,
                      "UPLOAD_DIR": str(server.uploads)})
    seeded = _seed(app)
    server.start()
    try:
        world = World(app, server.url, seeded["auditor"], seeded["reviewer"], seeded["visits"], seeded["races"],
                      server.uploads)
        _wait_until_serving(world, server.process, folder / "gunicorn.log")
        yield world
    finally:
        server.stop()
        with app.app_context():
            db.engine.dispose()
        if backend == "postgresql":
            empty_tables(url)


def _wait_until_serving(world: World, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if requests.get(f"{world.url}/api/v1/visits", headers=world.headers(world.auditor), timeout=5).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer:\n{log.read_text()}")


def together(calls: list[Callable[[], requests.Response]]) -> list[requests.Response]:
    """Run the calls in threads that all wait at one barrier first, so they reach the server at once."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def post(world: World, token: str, path: str, **kwargs) -> Callable[[], requests.Response]:
    return lambda: requests.post(world.url + path, headers=world.headers(token), timeout=60, **kwargs)


def assert_no_server_errors(responses: list[requests.Response]) -> None:
    errors = [(r.status_code, r.text[:200]) for r in responses if r.status_code >= 500]
    assert errors == []


def history(visit_id: int, to: str) -> list[StatusChange]:
    return list(db.session.scalars(sa.select(StatusChange).where(StatusChange.visit_id == visit_id,
                                                                StatusChange.to_status == to)))


def test_first_answer_puts_write_one_row_per_standard_and_open_the_visit_once(world):
    visit_id = world.visits["answers"]

    def put(i: int):
        body = {"answers": [{"standard": "greeted", "value": "yes"}, {"standard": "friendliness", "value": i % 5 + 1},
                            {"standard": "dish", "value": f"dish {i}"}],
                "staff": [{"touchpoint": "welcome", "name": f"Host {i}"}]}
        return lambda: requests.put(f"{world.url}/api/v1/visits/{visit_id}/answers", json=body,
                                    headers=world.headers(world.auditor), timeout=60)

    responses = together([put(i) for i in range(20)])
    assert_no_server_errors(responses)
    assert [r.status_code for r in responses] == [200] * 20
    with world.app.app_context():
        answers = {a.standard_key: a.value for a in db.session.scalars(
            sa.select(Answer).where(Answer.visit_id == visit_id))}
        staff = db.session.scalars(sa.select(StaffRecord.name).where(StaffRecord.visit_id == visit_id)).all()
        assert set(answers) == {"greeted", "friendliness", "dish"}
        # One request's answers won as a whole: its scale value and dish name belong together.
        i = int(answers["dish"].removeprefix("dish "))
        assert answers["friendliness"] == i % 5 + 1 and staff == [f"Host {i}"]
        assert len(history(visit_id, "in_progress")) == 1
        assert db.session.get(Visit, visit_id).status == "in_progress"


def test_simultaneous_submits_write_one_history_row(world):
    visit_id, operation = world.visits["submit"], str(uuid.uuid4())
    # Half are retries of one operation (a phone resending), half plain submits (another tab).
    responses = together([post(world, world.auditor, f"/api/v1/visits/{visit_id}/submit",
                               json={"operation": operation} if i % 2 else None) for i in range(20)])
    assert_no_server_errors(responses)
    assert [r.status_code for r in responses] == [200] * 20
    assert {r.json()["status"] for r in responses} == {"submitted"}
    with world.app.app_context():
        assert len(history(visit_id, "submitted")) == 1
        assert db.session.scalars(sa.select(VisitOperation.operation_id)).all() == [operation]


def test_one_picture_retried_at_once_under_one_client_id_is_one_photo(world):
    visit_id, client_id = world.visits["photos"], str(uuid.uuid4())
    jpeg = encode(noisy_image((160, 120)), "JPEG", quality=80)
    responses = together([post(world, world.auditor, f"/api/v1/visits/{visit_id}/photos", data={"client_id": client_id},
                               files={"file": ("photo.jpg", jpeg, "image/jpeg")}) for _ in range(12)])
    assert_no_server_errors(responses)
    assert sorted(r.status_code for r in responses) == [200] * 11 + [201]
    assert len({r.json()["id"] for r in responses}) == 1


def test_simultaneous_approvals_write_one_decision_and_one_set_of_scores(world):
    visit_id = world.visits["approve"]
    approve = post(world, world.reviewer, f"/api/v1/visits/{visit_id}/review", json={"decision": "approve"})
    responses = together([approve] * 20)
    assert_no_server_errors(responses)
    assert [r.status_code for r in responses] == [200] * 20  # a retry of a lost answer gets what the first got
    assert {r.json()["status"] for r in responses} == {"approved"}
    with world.app.app_context():
        assert len(history(visit_id, "approved")) == 1
        keys = db.session.scalars(sa.select(TouchpointScore.touchpoint_key)
                                  .where(TouchpointScore.visit_id == visit_id)).all()
        assert sorted(keys) == ["confirmation", "table", "welcome"]


def test_an_approval_racing_a_return_lets_exactly_one_decide(world):
    calls = []
    for visit_id in world.races:
        path = f"/api/v1/visits/{visit_id}/review"
        calls += [post(world, world.reviewer, path, json={"decision": "approve"}),
                  post(world, world.reviewer, path, json={"decision": "return", "comment": "Blurred photo."})]
    responses = together(calls)
    assert_no_server_errors(responses)
    with world.app.app_context():
        for n, visit_id in enumerate(world.races):
            approve, send_back = responses[2 * n], responses[2 * n + 1]
            assert sorted([approve.status_code, send_back.status_code]) == [200, 409]
            loser = approve if approve.status_code == 409 else send_back
            assert loser.json()["error"]["code"] == "not_submitted"
            status = db.session.get(Visit, visit_id).status
            assert status == ("approved" if approve.status_code == 200 else "returned")
            assert len(history(visit_id, "approved")) + len(history(visit_id, "returned")) == 1
            scores = db.session.scalar(sa.select(sa.func.count()).where(TouchpointScore.visit_id == visit_id))
            assert scores == (3 if status == "approved" else 0)


def test_uploads_racing_on_one_client_id_keep_one_row_and_no_stray_file(world):
    visit_id, client_id = world.visits["photos"], str(uuid.uuid4())
    # Different pictures under one client_id: one wins, the others are refused (a client's mistake), and a
    # loser's file would have a name no row uses.
    jpegs = [encode(noisy_image((160, 120)), "JPEG", quality=80) for _ in range(20)]

    def upload(data: bytes):
        return post(world, world.auditor, f"/api/v1/visits/{visit_id}/photos", data={"client_id": client_id},
                    files={"file": ("photo.jpg", data, "image/jpeg")})

    responses = together([upload(data) for data in jpegs])
    assert_no_server_errors(responses)
    assert sorted(r.status_code for r in responses) == [201] + [409] * 19
    assert all(r.json()["error"]["fields"].keys() == {"client_id"} for r in responses if r.status_code == 409)
    with world.app.app_context():
        rows = db.session.scalars(sa.select(Photo.file_key).where(Photo.visit_id == visit_id)).all()
        assert db.session.scalar(sa.select(sa.func.count()).where(Photo.client_id == client_id)) == 1
        stored = {p.name.removesuffix(".jpg").removesuffix("_t") for p in (world.uploads / "photos").rglob("*")
                  if p.is_file()}
        assert stored == set(rows)
