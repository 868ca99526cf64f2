"""The auditor's part of the JSON API (docs/architecture.md, Interfaces): list, read, start, answers, submit, review."""

from __future__ import annotations

import math

import pytest
import sqlalchemy as sa

from auditapp.accounts.services import issue_token
from auditapp.extensions import db
from auditapp.photos.models import Photo
from auditapp.visits.models import Answer, StatusChange, Visit

COMPLETE = {"confirmed": "yes", "greeted": "yes", "friendliness": 4, "upsell": "drink", "clean": "yes",
            "wait": 3, "dish": "Soup of the day", "pilot": "no"}


def answers_body(values: dict, **extra) -> dict:
    return {"answers": [{"standard": k, "value": v} for k, v in values.items()], **extra}


def answer_rows(visit_id: int) -> list[Answer]:
    return list(db.session.scalars(sa.select(Answer).where(Answer.visit_id == visit_id)))


def add_photo_rows(visit: Visit, *standards: str) -> None:
    """Attach photo rows without files, for tests about the submit rules rather than the pictures."""
    for key in standards:
        db.session.add(Photo(visit_id=visit.id, standard_key=key, touchpoint_key="table", file_key="0" * 64))
    db.session.commit()


def switch_user(auth, user) -> None:
    """Log the current user out and another in, on the same client."""
    auth.client.post("/logout", data={"csrf_token": auth.csrf})
    auth.login(user)


@pytest.fixture
def mine(factory, auth):
    """A scheduled visit-channel visit of the mini concept, with its auditor logged in."""
    visit = factory.visit(persona="solo")
    auth.login(visit.auditor)
    return visit


def test_anonymous_request_gets_401_json_not_a_redirect(client, factory):
    visit = factory.visit()
    for method, url in (("GET", "/api/v1/visits"), ("GET", f"/api/v1/visits/{visit.id}"),
                        ("PUT", f"/api/v1/visits/{visit.id}/answers")):
        response = client.open(url, method=method, json={})
        assert response.status_code == 401
        assert response.json["error"]["code"] == "unauthorized"


def test_cookie_session_needs_the_csrf_header(client, auth, mine):
    response = client.put(f"/api/v1/visits/{mine.id}/answers", json=answers_body({"greeted": "yes"}))
    assert response.status_code == 400
    assert response.json["error"]["code"] == "csrf"
    assert answer_rows(mine.id) == []


def test_bearer_token_needs_no_csrf(client, factory):
    visit = factory.visit()
    token = issue_token(visit.auditor.email)
    response = client.put(f"/api/v1/visits/{visit.id}/answers", json=answers_body({"greeted": "yes"}),
                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.json
    assert [(a["standard"], a["value"], a["comment"]) for a in response.json["answers"]] == [("greeted", "yes", "")]


def test_list_shows_only_own_visits_and_filters(auth, factory, mine):
    factory.visit()  # someone else's
    other_mine = factory.visit(auditor=mine.auditor)
    factory.answered(other_mine, {"greeted": "yes"})
    listed = auth.api("GET", "/api/v1/visits").json
    assert sorted(v["id"] for v in listed) == sorted([mine.id, other_mine.id])
    scheduled = auth.api("GET", "/api/v1/visits?status=scheduled").json
    assert [v["id"] for v in scheduled] == [mine.id]
    assert set(scheduled[0]) >= {"id", "status", "channel", "branch", "concept", "persona", "due", "visited_at"}
    by_branch = auth.api("GET", f"/api/v1/visits?branch={mine.branch.code}").json
    assert [v["id"] for v in by_branch] == [mine.id]


def test_an_empty_filter_means_no_filter_as_it_always_has(auth, factory, mine):
    other_mine = factory.visit(auditor=mine.auditor)
    factory.answered(other_mine, {"greeted": "yes"})
    listed = auth.api("GET", "/api/v1/visits?status=&branch=")
    assert listed.status_code == 200
    assert sorted(v["id"] for v in listed.json) == sorted([mine.id, other_mine.id])


def test_list_refuses_an_unknown_status(auth, mine):
    response = auth.api("GET", "/api/v1/visits?status=lost")
    assert response.status_code == 422
    assert "status" in response.json["error"]["fields"]


def test_read_gives_the_form_of_the_channel_only(auth, mine):
    data = auth.api("GET", f"/api/v1/visits/{mine.id}").json
    assert data["branch"] == {"id": mine.branch.id, "code": mine.branch.code, "name": mine.branch.name}
    assert data["concept"]["key"] == "mini" and data["concept"]["version"] == 1
    assert data["persona"]["key"] == "solo" and "quiet table" in data["persona"]["briefing"]
    touchpoints = [tp["key"] for ph in data["form"]["phases"] for tp in ph["touchpoints"]]
    assert touchpoints == ["confirmation", "welcome", "table"]  # "phone" is for calls only
    standards = {st["key"]: st for ph in data["form"]["phases"] for tp in ph["touchpoints"] for st in tp["standards"]}
    assert standards["friendliness"]["min"] == 1 and standards["friendliness"]["max"] == 5
    assert [o["key"] for o in standards["upsell"]["options"]] == ["none", "drink", "fitting"]
    assert standards["wait"]["unit"] == "minutes"
    assert data["answers"] == [] and data["photos"] == []
    assert data["scores"] == {"visit": None, "phases": {"booking": None, "visit": None},
                              "touchpoints": {"confirmation": None, "welcome": None, "table": None},
                              "critical_failures": []}


def test_call_form_has_the_call_touchpoints(auth, factory):
    visit = factory.visit(channel="call")
    switch_user(auth, visit.auditor)
    data = auth.api("GET", f"/api/v1/visits/{visit.id}").json
    assert [tp["key"] for ph in data["form"]["phases"] for tp in ph["touchpoints"]] == ["phone", "confirmation"]


def test_another_auditors_visit_is_404_everywhere(auth, factory, mine):
    theirs = factory.visit()
    for method, url, body in (("GET", f"/api/v1/visits/{theirs.id}", None),
                              ("POST", f"/api/v1/visits/{theirs.id}/start", None),
                              ("PUT", f"/api/v1/visits/{theirs.id}/answers", answers_body({"greeted": "yes"})),
                              ("POST", f"/api/v1/visits/{theirs.id}/submit", None)):
        response = auth.api(method, url, json=body)
        assert response.status_code == 404, url
        assert response.json["error"]["code"] == "not_found"
    assert answer_rows(theirs.id) == []
    assert db.session.get(Visit, theirs.id).status == "scheduled"


def test_start_records_the_time_once(auth, mine):
    response = auth.api("POST", f"/api/v1/visits/{mine.id}/start")
    assert response.status_code == 200
    assert response.json["status"] == "in_progress" and response.json["started_at"]
    again = auth.api("POST", f"/api/v1/visits/{mine.id}/start")
    assert again.json["started_at"] == response.json["started_at"]
    changes = db.session.scalars(sa.select(StatusChange).where(StatusChange.visit_id == mine.id)).all()
    assert [c.to_status for c in changes] == ["scheduled", "in_progress"]


def test_answers_are_saved_with_comments_remarks_and_time(auth, mine):
    body = {"answers": [{"standard": "greeted", "value": "yes", "comment": "Smiled at once."},
                        {"standard": "friendliness", "value": 5}, {"standard": "wait", "value": "2,5"}],
            "visited_at": "2026-04-14T19:30", "remarks": "Busy evening."}
    response = auth.api("PUT", f"/api/v1/visits/{mine.id}/answers", json=body)
    assert response.status_code == 200, response.json
    data = response.json
    assert data["status"] == "in_progress"
    assert {a["standard"]: (a["value"], a["comment"]) for a in data["answers"]} == {
        "greeted": ("yes", "Smiled at once."), "friendliness": (5, ""), "wait": (2.5, "")}
    assert data["visited_at"] == "2026-04-14T19:30" and data["remarks"] == "Busy evening."
    assert auth.api("GET", f"/api/v1/visits/{mine.id}").json["scores"]["touchpoints"]["welcome"] == 100.0


def test_put_twice_keeps_one_row_per_standard(auth, mine):
    body = answers_body({"greeted": "no"})
    first = auth.api("PUT", f"/api/v1/visits/{mine.id}/answers", json=body)
    second = auth.api("PUT", f"/api/v1/visits/{mine.id}/answers", json=body)
    assert first.status_code == second.status_code == 200
    rows = answer_rows(mine.id)
    assert len(rows) == 1 and rows[0].value == "no"
    stored = [[(a["standard"], a["value"], a["comment"]) for a in r.json["answers"]] for r in (first, second)]
    assert stored[0] == stored[1] == [("greeted", "no", "")]


def test_a_later_put_changes_the_value_and_keeps_the_comment(auth, mine):
    auth.api("PUT", f"/api/v1/visits/{mine.id}/answers",
             json={"answers": [{"standard": "greeted", "value": "no", "comment": "Nobody there."}]})
    auth.api("PUT", f"/api/v1/visits/{mine.id}/answers", json=answers_body({"greeted": "yes"}))
    (row,) = answer_rows(mine.id)
    assert (row.value, row.comment) == ("yes", "Nobody there.")


def test_na_is_taken_where_the_standard_allows_it(auth, mine):
    response = auth.api("PUT", f"/api/v1/visits/{mine.id}/answers", json=answers_body({"confirmed": "na"}))
    assert response.status_code == 200
    assert response.json["answers"][0]["value"] == "na"


BAD_VALUES = [
    ("greeted", "maybe"), ("greeted", "na"), ("greeted", 1.5), ("clean", "na"),
    ("friendliness", 0), ("friendliness", 6), ("friendliness", 2.5), ("friendliness", "x"),
    ("friendliness", "na"), ("upsell", "dessert"), ("upsell", 1),
    ("wait", "-1"), ("wait", "abc"), ("wait", math.nan), ("wait", math.inf), ("wait", True), ("wait", "na"),
    ("dish", "x" * 4001), ("dish", 12), ("entrance", ["list"]),
]


@pytest.mark.parametrize("standard, value", BAD_VALUES, ids=[f"{k}={str(v)[:12]}" for k, v in BAD_VALUES])
def test_a_bad_value_is_refused_at_its_standard(auth, mine, standard, value):
    body = answers_body({"greeted": "yes", standard: value}) if standard != "greeted" else answers_body({standard: value})
    response = auth.api("PUT", f"/api/v1/visits/{mine.id}/answers", json=body)
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "invalid"
    assert list(error["fields"]) == [standard] and error["fields"][standard]
    assert answer_rows(mine.id) == []  # all or nothing: the good answer beside it is not saved either
    assert db.session.get(Visit, mine.id).status == "scheduled"


def test_the_messages_say_what_is_expected(auth, mine):
    body = answers_body({"friendliness": 9, "upsell": "dessert", "greeted": "na"})
    fields = auth.api("PUT", f"/api/v1/visits/{mine.id}/answers", json=body).json["error"]["fields"]
    assert fields["friendliness"] == "must be a whole number from 1 to 5"
    assert fields["upsell"] == "must be one of none, drink, fitting"
    assert fields["greeted"] == "n/a is not allowed for this standard"


def test_a_standard_of_another_channel_is_refused_by_name(auth, mine):
    response = auth.api("PUT", f"/api/v1/visits/{mine.id}/answers", json=answers_body({"rings": "yes"}))
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"rings": "is not a standard of this visit's form"}


@pytest.mark.parametrize("body, field", [
    ({"visited_at": "yesterday"}, "visited_at"),
    ({"visited_at": "2999-01-01T10:00"}, "visited_at"),
    ({"remarks": 5}, "remarks"),
    ({"remarks": "x" * 4001}, "remarks"),
    ({"duration_minutes": -3}, "duration_minutes"),
    ({"duration_minutes": "long"}, "duration_minutes"),
    ({"answers": [{"standard": "greeted", "value": "yes", "comment": 7}]}, "greeted"),
    ({"answers": ["greeted"]}, "answers[0]"),
    ({"answers": "greeted"}, "answers"),
    ({"staff": [{"touchpoint": "table", "name": "Ann"}]}, "staff[0]"),
])
def test_bad_visit_details_are_refused_at_their_field(auth, mine, body, field):
    response = auth.api("PUT", f"/api/v1/visits/{mine.id}/answers", json=body)
    assert response.status_code == 422
    assert field in response.json["error"]["fields"]


def test_a_body_that_is_not_a_json_object_is_400(auth, mine):
    response = auth.api("PUT", f"/api/v1/visits/{mine.id}/answers", data="greeted=yes",
                        content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert response.json["error"]["code"] == "bad_json"


def test_staff_names_are_recorded_where_the_touchpoint_asks(auth, mine):
    response = auth.api("PUT", f"/api/v1/visits/{mine.id}/answers",
                        json={"staff": [{"touchpoint": "welcome", "name": " Ann "}]})
    assert response.status_code == 200
    assert response.json["staff"] == [{"touchpoint": "welcome", "name": "Ann"}]


def test_submit_lists_what_is_missing_then_succeeds(auth, mine):
    response = auth.api("POST", f"/api/v1/visits/{mine.id}/submit")
    assert response.status_code == 422
    fields = response.json["error"]["fields"]
    assert fields["clean"] == "an answer is required and a photo is required"
    assert fields["greeted"] == "an answer is required"
    assert "visited_at" in fields
    assert fields["entrance"] == "a photo is required"  # a photo standard is answered by its photo

    auth.api("PUT", f"/api/v1/visits/{mine.id}/answers", json=answers_body(COMPLETE, visited_at="2026-04-14T19:30"))
    response = auth.api("POST", f"/api/v1/visits/{mine.id}/submit")
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"clean": "a photo is required", "entrance": "a photo is required"}

    add_photo_rows(mine, "clean", "entrance")
    response = auth.api("POST", f"/api/v1/visits/{mine.id}/submit")
    assert response.status_code == 200, response.json
    assert response.json["status"] == "submitted"
    # confirmation 100 (w1), welcome (1 + 0.75 + 0.5) / 3 = 75 (w2), table 100 (w1)
    assert response.json["scores"]["visit"] == pytest.approx((100 + 75 * 2 + 100) / 4)


@pytest.fixture
def submitted(auth, mine):
    auth.api("PUT", f"/api/v1/visits/{mine.id}/answers", json=answers_body(COMPLETE, visited_at="2026-04-14T19:30"))
    add_photo_rows(mine, "clean", "entrance")
    assert auth.api("POST", f"/api/v1/visits/{mine.id}/submit").status_code == 200
    return mine


def test_submitting_twice_changes_nothing(auth, submitted):
    before = db.session.get(Visit, submitted.id).submitted_at
    again = auth.api("POST", f"/api/v1/visits/{submitted.id}/submit")
    assert again.status_code == 200 and again.json["status"] == "submitted"
    changes = db.session.scalars(sa.select(StatusChange).where(StatusChange.visit_id == submitted.id,
                                                               StatusChange.to_status == "submitted")).all()
    assert len(changes) == 1
    assert db.session.get(Visit, submitted.id).submitted_at == before


def test_a_submitted_visit_cannot_be_edited(auth, submitted):
    response = auth.api("PUT", f"/api/v1/visits/{submitted.id}/answers", json=answers_body({"greeted": "no"}))
    assert response.status_code == 409
    assert response.json["error"]["code"] == "not_editable"
    assert auth.api("POST", f"/api/v1/visits/{submitted.id}/start").status_code == 409
    assert {a.standard_key: a.value for a in answer_rows(submitted.id)}["greeted"] == "yes"


def test_a_manager_cannot_put_answers(client, auth, factory, submitted):
    switch_user(auth, factory.user("manager", branches=(submitted.branch,)))
    assert auth.api("GET", f"/api/v1/visits/{submitted.id}").status_code == 200
    response = auth.api("PUT", f"/api/v1/visits/{submitted.id}/answers", json=answers_body({"greeted": "no"}))
    assert response.status_code == 404
    assert auth.api("POST", f"/api/v1/visits/{submitted.id}/submit").status_code == 404
    assert {a.standard_key: a.value for a in answer_rows(submitted.id)}["greeted"] == "yes"


def test_a_manager_does_not_see_a_draft(auth, factory, mine):
    switch_user(auth, factory.user("manager", branches=(mine.branch,)))
    assert auth.api("GET", f"/api/v1/visits/{mine.id}").status_code == 404
    assert auth.api("GET", "/api/v1/visits").json == []


def test_manager_sees_a_pseudonym_not_the_auditor(auth, factory, submitted):
    switch_user(auth, factory.user("manager", branches=(submitted.branch,)))
    data = auth.api("GET", f"/api/v1/visits/{submitted.id}").json
    assert data["auditor"] == f"Guest {submitted.auditor.id}"
    assert "staff" not in data


def test_review_returns_and_approves(auth, factory, submitted):
    switch_user(auth, factory.user("manager", branches=(submitted.branch,)))
    url = f"/api/v1/visits/{submitted.id}/review"
    response = auth.api("POST", url, json={"decision": "return"})
    assert response.status_code == 422 and "comment" in response.json["error"]["fields"]
    response = auth.api("POST", url, json={"decision": "return", "comment": "Photo of the table is blurred."})
    assert response.status_code == 200 and response.json["status"] == "returned"
    assert auth.api("POST", url, json={"decision": "approve"}).status_code == 409


def test_review_is_404_for_the_auditor_and_other_managers(auth, factory, submitted):
    url = f"/api/v1/visits/{submitted.id}/review"
    assert auth.api("POST", url, json={"decision": "approve"}).status_code == 404
    switch_user(auth, factory.user("manager", branches=(factory.branch(),)))
    assert auth.api("POST", url, json={"decision": "approve"}).status_code == 404
    assert db.session.get(Visit, submitted.id).status == "submitted"


def test_a_closed_branch_stays_listed_marked_inactive(auth, factory, mine):
    closed = factory.branch()
    closed.active = False
    db.session.commit()
    switch_user(auth, factory.user("manager", branches=(closed,)))
    assert [(b["code"], b["active"]) for b in auth.api("GET", "/api/v1/branches").json] == [(closed.code, False)]


def test_branches_lists_what_the_caller_may_see(auth, factory, mine):
    own, other = factory.branch(), factory.branch()
    switch_user(auth, factory.user("manager", branches=(own,)))
    data = auth.api("GET", "/api/v1/branches").json
    assert [b["code"] for b in data] == [own.code]
    assert set(data[0]) == {"id", "code", "name", "city", "region", "active"}
