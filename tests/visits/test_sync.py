"""What keeps a phone's retries harmless: change times, operation ids, the echoed sync_id and the small acknowledgement."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from auditapp.extensions import db
from auditapp.visits import services
from auditapp.visits.commands import Decision, Review
from auditapp.visits.models import Answer, StaffRecord, StatusChange, Visit, VisitOperation
from auditapp.visits.saving import client_time
from auditapp.visits.services import EARLIEST_VISIT

from .test_api import COMPLETE, add_photo_rows, answers_body

T1 = "2026-04-14T19:30:00.000Z"
T2 = "2026-04-14T19:31:00.000Z"
T3 = "2026-04-14T19:32:00.000Z"


@pytest.fixture
def mine(factory, auth):
    visit = factory.visit(persona="solo")
    auth.login(visit.auditor)
    return visit


def put(auth, visit, body):
    return auth.api("PUT", f"/api/v1/visits/{visit.id}/answers", json=body)


def stored(visit_id: int, key: str) -> Answer:
    db.session.expire_all()
    return db.session.scalar(sa.select(Answer).where(Answer.visit_id == visit_id, Answer.standard_key == key))


def test_an_older_retried_answer_never_overwrites_a_newer_one(auth, mine):
    newer = put(auth, mine, {"answers": [{"standard": "greeted", "value": "no", "comment": "Ignored", "changed_at": T2}]})
    assert newer.status_code == 200 and newer.json["stale"]["answers"] == []
    older = put(auth, mine, {"answers": [{"standard": "greeted", "value": "yes", "comment": "", "changed_at": T1}]})
    assert older.status_code == 200
    assert older.json["stale"] == {"answers": ["greeted"], "staff": [], "details": False}
    assert [(a["value"], a["comment"], a["changed_at"]) for a in older.json["answers"]] == [("no", "Ignored", T2)]
    row = stored(mine.id, "greeted")
    assert (row.value, row.comment) == ("no", "Ignored")
    again = put(auth, mine, {"answers": [{"standard": "greeted", "value": "yes", "changed_at": T3}]})
    assert again.json["stale"]["answers"] == [] and stored(mine.id, "greeted").value == "yes"


def test_the_same_change_sent_twice_is_applied_once_and_not_stale(auth, mine):
    body = {"answers": [{"standard": "friendliness", "value": 4, "changed_at": T1}], "sync_id": "a1"}
    first, second = put(auth, mine, body), put(auth, mine, body)
    assert first.json["stale"]["answers"] == second.json["stale"]["answers"] == []
    assert first.json["sync_id"] == second.json["sync_id"] == "a1"
    assert db.session.scalar(sa.select(sa.func.count(Answer.id)).where(Answer.visit_id == mine.id)) == 1


def test_a_clear_is_a_change_like_any_other(auth, mine):
    put(auth, mine, {"answers": [{"standard": "greeted", "value": "yes", "changed_at": T1}]})
    put(auth, mine, {"answers": [{"standard": "greeted", "value": None, "changed_at": T3}]})
    late = put(auth, mine, {"answers": [{"standard": "greeted", "value": "no", "changed_at": T2}]})
    assert late.json["stale"]["answers"] == ["greeted"] and stored(mine.id, "greeted").value is None


def test_visit_details_and_staff_notes_keep_the_newest(auth, factory):
    visit = factory.visit(version=factory.showcase("hotel-stay"))
    auth.login(visit.auditor)
    touchpoint = next(tp.key for _p, tp in services.form_of(visit).touchpoints() if tp.record_staff)
    put(auth, visit, {"remarks": "Second thoughts", "changed_at": T2,
                      "staff": [{"touchpoint": touchpoint, "name": "Ana", "changed_at": T2}]})
    late = put(auth, visit, {"remarks": "First thoughts", "duration_minutes": 5, "changed_at": T1,
                             "staff": [{"touchpoint": touchpoint, "name": "Bo", "changed_at": T1}]})
    assert late.json["stale"] == {"answers": [], "staff": [touchpoint], "details": True}
    assert late.json["remarks"] == "Second thoughts" and late.json["duration_minutes"] is None
    assert late.json["staff"] == [{"touchpoint": touchpoint, "name": "Ana"}]
    cleared_late = put(auth, visit, {"staff": [{"touchpoint": touchpoint, "name": "", "changed_at": T1}]})
    assert cleared_late.json["staff"] == [{"touchpoint": touchpoint, "name": "Ana"}]
    cleared = put(auth, visit, {"staff": [{"touchpoint": touchpoint, "name": "", "changed_at": T3}]})
    assert cleared.json["staff"] == [{"touchpoint": touchpoint, "name": ""}] and cleared.json["stale"]["staff"] == []
    assert db.session.scalar(sa.select(sa.func.count(StaffRecord.id))) == 0


def test_the_acknowledgement_is_small_however_long_the_form(auth, factory):
    visit = factory.visit(version=factory.showcase("hotel-stay"))
    auth.login(visit.auditor)
    key = next(st.key for _tp, st in services.form_of(visit).standards() if st.type == "yesno")
    ack = put(auth, visit, {"answers": [{"standard": key, "value": "yes", "changed_at": T1}], "sync_id": "s"})
    whole = auth.api("GET", f"/api/v1/visits/{visit.id}")
    assert len(ack.data) < 600 < len(whole.data) / 10, (len(ack.data), len(whole.data))


@pytest.mark.parametrize("sent, expected", [
    (datetime(2026, 4, 14, 21, 30, tzinfo=timezone.utc), datetime(2026, 4, 14, 21, 30)),
    (datetime.fromisoformat("2026-04-14T23:30:00+02:00"), datetime(2026, 4, 14, 21, 30)),
    (datetime(2026, 4, 14, 21, 30), datetime(2026, 4, 14, 21, 30)),  # no offset: UTC
    (datetime(2999, 1, 1, tzinfo=timezone.utc), datetime(2026, 5, 1)),  # a clock far ahead wins nothing
    (datetime.fromisoformat("9999-12-31T23:59:59-05:00"), datetime(2026, 5, 1)),
    (datetime.fromisoformat("0001-01-01T00:00:00+05:00"), EARLIEST_VISIT),
    (datetime(1970, 1, 1), EARLIEST_VISIT),
    (None, datetime(2026, 5, 1)),
])
def test_client_times_are_bounded_by_2000_and_the_servers_now(sent, expected):
    assert client_time(sent, datetime(2026, 5, 1)) == expected


@pytest.mark.parametrize("changed_at", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "1e309", "",
                                        "2026-02-30T10:00:00Z", 17, None])
def test_odd_change_times_never_break_the_save(auth, mine, changed_at):
    response = put(auth, mine, {"answers": [{"standard": "greeted", "value": "yes", "changed_at": changed_at}]})
    assert response.status_code in (200, 422), response.json
    if response.status_code == 422:
        assert "greeted" in response.json["error"]["fields"]


def submit(auth, visit, operation=None):
    body = {"operation": operation} if operation else None
    return auth.api("POST", f"/api/v1/visits/{visit.id}/submit", json=body)


def history(visit_id: int) -> list[str]:
    db.session.expire_all()
    return [c.to_status.value for c in db.session.scalars(
        sa.select(StatusChange).where(StatusChange.visit_id == visit_id).order_by(StatusChange.id))]


def test_a_retried_submit_after_a_return_does_not_submit_again(auth, factory, mine):
    put(auth, mine, answers_body(COMPLETE, visited_at="2026-04-14T19:30"))
    add_photo_rows(mine, "clean", "entrance")
    operation = str(uuid.uuid4())
    assert submit(auth, mine, operation).status_code == 200
    services.review_visit(db.session.get(Visit, mine.id), factory.user("admin"), Review(Decision.RETURN, "Blurred"))
    retried = submit(auth, mine, operation)  # the first answer was lost on the way; the phone sends it again
    assert retried.status_code == 200 and retried.json["status"] == "returned"
    assert history(mine.id) == ["scheduled", "in_progress", "submitted", "returned"]
    assert submit(auth, mine, str(uuid.uuid4())).json["status"] == "submitted"  # a new submit does


def test_an_operation_id_used_for_something_else_is_refused(auth, factory, mine):
    operation = str(uuid.uuid4())
    assert auth.api("POST", f"/api/v1/visits/{mine.id}/start", json={"operation": operation}).status_code == 200
    assert auth.api("POST", f"/api/v1/visits/{mine.id}/start", json={"operation": operation}).status_code == 200
    reused = submit(auth, mine, operation)
    assert reused.status_code == 409 and "operation" in reused.json["error"]["fields"]
    other = factory.visit(auditor=mine.auditor)
    assert auth.api("POST", f"/api/v1/visits/{other.id}/start", json={"operation": operation}).status_code == 409
    assert db.session.scalar(sa.select(sa.func.count()).select_from(VisitOperation)) == 1


def test_a_refused_submit_leaves_its_operation_id_free(auth, mine):
    operation = str(uuid.uuid4())
    assert submit(auth, mine, operation).status_code == 422  # incomplete: nothing happened
    put(auth, mine, answers_body(COMPLETE, visited_at="2026-04-14T19:30"))
    add_photo_rows(mine, "clean", "entrance")
    assert submit(auth, mine, operation).json["status"] == "submitted"


def test_a_retried_start_after_submit_is_answered_not_refused(auth, mine):
    operation = str(uuid.uuid4())
    assert auth.api("POST", f"/api/v1/visits/{mine.id}/start", json={"operation": operation}).status_code == 200
    put(auth, mine, answers_body(COMPLETE, visited_at="2026-04-14T19:30"))
    add_photo_rows(mine, "clean", "entrance")
    submit(auth, mine)
    again = auth.api("POST", f"/api/v1/visits/{mine.id}/start", json={"operation": operation})
    assert again.status_code == 200 and again.json["status"] == "submitted"
    assert auth.api("POST", f"/api/v1/visits/{mine.id}/start").status_code == 409  # without the id: refused


@pytest.mark.parametrize("body", ['{"operation": "not-a-uuid"}', "[]", '{"operation": 12}'])
def test_a_bad_operation_body_is_a_clear_4xx(auth, mine, body):
    response = auth.client.post(f"/api/v1/visits/{mine.id}/submit", data=body,
                                headers={"X-CSRFToken": auth.csrf, "Content-Type": "application/json"})
    assert response.status_code in (400, 422) and json.loads(response.data)["error"]["message"]
