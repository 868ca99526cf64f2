"""Planning through the API: one visit, rounds over a region, reassign, reschedule and cancel — in scope only."""

from __future__ import annotations

from collections import Counter

import pytest
import sqlalchemy as sa

from auditapp.audit.models import AuditEntry
from auditapp.extensions import db
from auditapp.visits.models import StatusChange, Visit


@pytest.fixture
def world(factory):
    version = factory.concept()
    north = [factory.branch(code, region="North") for code in ("GRO", "LEE", "ASS", "EMM", "ZWO")]
    closed = factory.branch("DEL", region="North")
    closed.active = False
    south = factory.branch("MAA", region="South")
    db.session.commit()
    auditors = [factory.user("auditor") for _ in range(3)]
    inactive = factory.user("auditor")
    inactive.active = False
    db.session.commit()
    manager = factory.user("manager", branches=(north[0],))
    return {"version": version, "north": north, "closed": closed, "south": south, "auditors": auditors,
            "inactive": inactive, "manager": manager, "admin": factory.user("admin")}


def round_body(**extra):
    return {"concept": "mini", "region": "North", "month": "2026-05", "channel": "visit", **extra}


def test_a_round_over_a_region_gives_every_open_branch_one_visit_with_even_loads(world, auth):
    auth.login(world["admin"])
    response = auth.api("POST", "/api/v1/rounds", json=round_body(persona="solo"))
    assert response.status_code == 201
    visits = response.get_json()
    assert sorted(v["branch"]["code"] for v in visits) == sorted(b.code for b in world["north"])  # not DEL, not MAA
    loads = Counter(v["auditor"]["id"] for v in visits)
    assert set(loads) <= {a.id for a in world["auditors"]} and max(loads.values()) - min(loads.values()) <= 1
    assert {v["due"] for v in visits} == {"2026-05-31"} and {v["status"] for v in visits} == {"scheduled"}
    assert len({v["round"] for v in visits}) == 1
    # The same round again (a retry): the same visits, nothing new.
    again = auth.api("POST", "/api/v1/rounds", json=round_body(persona="solo"))
    assert again.status_code == 200 and sorted(v["id"] for v in again.get_json()) == sorted(v["id"] for v in visits)
    assert db.session.scalar(sa.select(sa.func.count(Visit.id))) == len(visits)


def test_a_round_reaching_a_branch_another_round_covers_that_month_is_refused(world, auth):
    auth.login(world["admin"])
    north = world["north"]
    pair = {key: value for key, value in round_body(branches=[north[0].id, north[1].id]).items() if key != "region"}
    first = auth.api("POST", "/api/v1/rounds", json=pair)
    assert first.status_code == 201
    before = db.session.scalar(sa.select(sa.func.count(Visit.id)))
    # The region again (a new branch opened, say): two auditors would go to GRO and LEE for one slot.
    overlap = auth.api("POST", "/api/v1/rounds", json=round_body())
    assert overlap.status_code == 409
    assert "GRO, LEE" in overlap.get_json()["error"]["fields"]["region"]
    assert db.session.scalar(sa.select(sa.func.count(Visit.id))) == before
    # Another channel or month is another slot; so is a branch whose round visit was cancelled.
    assert auth.api("POST", "/api/v1/rounds", json=round_body(channel="call")).status_code == 201
    assert auth.api("POST", "/api/v1/rounds", json=round_body(month="2026-06")).status_code == 201
    for visit in first.get_json():
        cancelled = auth.api("POST", f"/api/v1/visits/{visit['id']}/cancel", json={"reason": "Wrong set."})
        assert cancelled.status_code == 200
    assert auth.api("POST", "/api/v1/rounds", json=round_body()).status_code == 201


def test_the_next_round_sends_nobody_back_to_a_branch_they_audited(world, auth):
    auth.login(world["admin"])
    first = {v["branch"]["id"]: v["auditor"]["id"] for v in
             auth.api("POST", "/api/v1/rounds", json=round_body()).get_json()}
    second = {v["branch"]["id"]: v["auditor"]["id"] for v in
              auth.api("POST", "/api/v1/rounds", json=round_body(month="2026-06")).get_json()}
    assert set(first) == set(second)
    assert all(second[b] != first[b] for b in first)


def test_a_round_of_another_region_in_between_does_not_hide_the_previous_one(world, auth):
    auth.login(world["admin"])
    first = {v["branch"]["id"]: v["auditor"]["id"] for v in
             auth.api("POST", "/api/v1/rounds", json=round_body()).get_json()}
    assert auth.api("POST", "/api/v1/rounds", json=round_body(region="South")).status_code == 201  # later id
    second = {v["branch"]["id"]: v["auditor"]["id"] for v in
              auth.api("POST", "/api/v1/rounds", json=round_body(month="2026-06")).get_json()}
    assert all(second[b] != first[b] for b in first)


def test_a_manager_plans_at_their_own_branches_only(world, auth):
    auth.login(world["manager"])
    own, other = world["north"][0], world["north"][1]
    body = {"concept": "mini", "branch": own.id, "auditor": world["auditors"][0].id, "channel": "visit",
            "due": "2026-05-20", "persona": "solo"}
    created = auth.api("POST", "/api/v1/visits", json=body)
    assert created.status_code == 201
    assert created.get_json()["auditor"]["label"] == world["auditors"][0].pseudonym  # never the name
    refused = auth.api("POST", "/api/v1/visits", json={**body, "branch": other.id})
    assert refused.status_code == 422 and "branch" in refused.get_json()["error"]["fields"]
    partial = auth.api("POST", "/api/v1/rounds", json={"concept": "mini", "month": "2026-05", "channel": "visit",
                                                       "branches": [own.id, other.id]})
    assert partial.status_code == 422 and str(other.id) in partial.get_json()["error"]["fields"]["branches"]


def test_reassign_reschedule_and_cancel_with_a_reason(world, auth, factory):
    auth.login(world["admin"])
    visit = auth.api("POST", "/api/v1/visits", json={
        "concept": "mini", "branch": world["north"][0].id, "auditor": world["auditors"][0].id,
        "channel": "visit", "due": "2026-05-20"}).get_json()
    path = f"/api/v1/visits/{visit['id']}"
    changed = auth.api("PATCH", path, json={"auditor": world["auditors"][1].id, "due": "2026-05-27"})
    assert changed.status_code == 200
    assert (changed.get_json()["auditor"]["id"], changed.get_json()["due"]) == (world["auditors"][1].id, "2026-05-27")
    assert auth.api("PATCH", path, json={"auditor": world["inactive"].id}).status_code == 422
    assert auth.api("PATCH", path, json={"auditor": world["manager"].id}).status_code == 422
    assert auth.api("POST", f"{path}/cancel", json={"reason": "  "}).status_code == 422
    cancelled = auth.api("POST", f"{path}/cancel", json={"reason": "Branch closed for works."})
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    last = db.session.scalars(sa.select(StatusChange).where(StatusChange.visit_id == visit["id"])
                              .order_by(StatusChange.id.desc())).first()
    assert (last.to_status, last.comment) == ("cancelled", "Branch closed for works.")
    assert auth.api("PATCH", path, json={"due": "2026-06-01"}).status_code == 409
    assert auth.api("POST", f"{path}/cancel", json={"reason": "again"}).status_code == 409
    actions = [e.action for e in db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.subject == "visit", AuditEntry.subject_id == visit["id"])
        .order_by(AuditEntry.id))]
    assert actions == ["visit_scheduled", "visit_reassigned", "visit_rescheduled", "visit_cancelled"]


def test_outside_the_scope_is_404_and_auditors_may_not_plan(world, auth, factory):
    elsewhere = factory.visit(version=world["version"], branch=world["south"])
    auth.login(world["manager"])
    assert auth.api("PATCH", f"/api/v1/visits/{elsewhere.id}", json={"due": "2026-06-01"}).status_code == 404
    assert auth.api("POST", f"/api/v1/visits/{elsewhere.id}/cancel", json={"reason": "x"}).status_code == 404
    auth.logout()
    auth.login(world["auditors"][0])
    assert auth.api("POST", "/api/v1/rounds", json=round_body()).status_code == 404


@pytest.mark.parametrize("body", [
    {"concept": "mini", "month": "2026-13", "channel": "visit", "region": "North"},
    {"concept": "mini", "month": "2026-05", "channel": "visit"},
    {"concept": "mini", "month": "2026-05", "channel": "visit", "region": "North", "branches": [1]},
    {"concept": "mini", "month": "0001-01", "channel": "visit", "region": "North"},
    {"concept": "mini", "month": "0000-01", "channel": "visit", "region": "North"},
    {"concept": "nope", "month": "2026-05", "channel": "visit", "region": "North"},
    {"concept": "mini", "month": "2026-05", "channel": "fax", "region": "North"},
    {"concept": "mini", "month": "2026-05", "channel": "visit", "branches": [10 ** 30]},
    {"concept": "mini", "month": "2026-05", "channel": "visit", "region": "\ud800"},
])
def test_bad_rounds_are_refused_with_the_field(world, auth, body):
    auth.login(world["admin"])
    response = auth.api("POST", "/api/v1/rounds", json=body)
    assert response.status_code == 422 and response.get_json()["error"]["fields"]
