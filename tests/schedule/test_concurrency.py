"""Rounds fired together at a real multi-worker gunicorn: the same round twice is one round, and of two rounds
that reach the same branch that month only one is planned (the unique signature and the round lock)."""

from __future__ import annotations

import shutil

import pytest
import sqlalchemy as sa

from auditapp import create_app
from auditapp.accounts.services import issue_token
from auditapp.extensions import db
from auditapp.schedule.models import Round
from auditapp.visits.models import Visit

from ..conftest import empty_tables
from ..factories import Factory
from ..gunicorn import Gunicorn
from ..visits.test_concurrency import (
    World,
    _wait_until_serving,
    assert_no_server_errors,
    post,
    together,
)


@pytest.fixture
def world(backend, request, tmp_path):
    """Four branches of one region, three auditors and a gunicorn; yields the World (the admin's token as both
    of its tokens) and the branch ids."""
    folder = tmp_path
    if backend == "sqlite":
        shutil.copyfile(request.getfixturevalue("sqlite_template"), folder / "db.sqlite")
        url = f"sqlite:///{folder / 'db.sqlite'}"
    else:
        url = request.getfixturevalue("pg_url")
    app = create_app({"TESTING": True, "SECRET_KEY": "concurrency", "SQLALCHEMY_DATABASE_URI": url,
                      "UPLOAD_DIR": str(folder / "uploads")})
    with app.app_context():
        factory = Factory()
        factory.concept()
        branches = [factory.branch(code, region="North").id for code in ("GRO", "LEE", "ASS", "EMM")]
        for _ in range(3):
            factory.user("auditor")
        admin = factory.user("admin")
        token = issue_token(admin.email)
    server = Gunicorn(url, folder, secret="concurrency").start()
    try:
        world = World(app, server.url, token, token, {}, [], server.uploads)
        _wait_until_serving(world, server.process, folder / "gunicorn.log")
        yield world, branches
    finally:
        server.stop()
        with app.app_context():
            db.engine.dispose()
        if backend == "postgresql":
            empty_tables(url)


def test_identical_and_overlapping_rounds_together_plan_one_round(world):
    world, branches = world
    region = {"concept": "mini", "region": "North", "month": "2026-09", "channel": "visit"}
    pair = {"concept": "mini", "branches": branches[:2], "month": "2026-09", "channel": "visit"}
    calls = [post(world, world.reviewer, "/api/v1/rounds", json=region) for _ in range(6)]
    calls += [post(world, world.reviewer, "/api/v1/rounds", json=pair) for _ in range(4)]
    responses = together(calls)
    assert_no_server_errors(responses)
    by_region, by_pair = [r.status_code for r in responses[:6]], [r.status_code for r in responses[6:]]
    assert sorted(by_region + by_pair).count(201) == 1
    winners, losers = (by_region, by_pair) if 201 in by_region else (by_pair, by_region)
    assert set(winners) <= {200, 201} and set(losers) == {409}
    # Every retry of the winning round answers the same visits.
    answered = {tuple(sorted(v["id"] for v in r.json())) for r in responses if r.status_code in (200, 201)}
    assert len(answered) == 1
    with world.app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Round.id))) == 1
        branches = db.session.scalars(sa.select(Visit.branch_id)).all()
        assert sorted(branches) == sorted(set(branches)) and tuple(sorted(
            db.session.scalars(sa.select(Visit.id)))) in answered
