"""The planner's pages: every open visit reachable whatever its status, planning forms that refuse at the field,
reassign / reschedule / cancel from a visit's page — with CSRF, in scope only."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from auditapp.clock import utcnow
from auditapp.extensions import db
from auditapp.visits import services as visit_services
from auditapp.visits.commands import Decision, Review
from auditapp.visits.models import Visit

from ..review.test_views import form_token
from ..visits.test_api import COMPLETE


@pytest.fixture
def world(factory):
    version = factory.concept()
    mine, other = factory.branch("AMS", name="Amstel"), factory.branch("ROT", name="Rotte")
    manager = factory.user("manager", branches=(mine,))
    auditor = factory.user("auditor", name="Anna Auditor")
    today = utcnow().date()
    visits = {
        "overdue": factory.visit(version=version, branch=mine, auditor=auditor, due=today - timedelta(days=3)),
        "due": factory.visit(version=version, branch=mine, auditor=auditor, due=today.replace(day=28)
                             if today.day <= 28 else today),
        "later": factory.visit(version=version, branch=mine, auditor=auditor, due=today + timedelta(days=70)),
        "elsewhere": factory.visit(version=version, branch=other, auditor=auditor, due=today),
    }
    started = factory.visit(version=version, branch=mine, auditor=auditor, due=today + timedelta(days=40))
    visit_services.start_visit(started, auditor)
    visits["in_progress"] = started
    returned = factory.visit(version=version, branch=mine, auditor=auditor)
    factory.answered(returned, COMPLETE)
    for missing in visit_services.missing_for_submit(returned):
        from auditapp.photos.models import Photo

        db.session.add(Photo(visit=returned, standard_key=missing, file_key="0" * 64))
    db.session.commit()
    visit_services.submit_visit(returned, auditor)
    visit_services.review_visit(returned, manager, Review(Decision.RETURN, "Add the table photo."))
    visits["returned"] = returned
    return {"manager": manager, "auditor": auditor, "visits": visits, "mine": mine, "other": other,
            "admin": factory.user("admin")}


def test_a_manager_finds_every_open_visit_of_their_branches(world, auth):
    auth.login(world["manager"])
    page = auth.client.get("/schedule/").get_data(as_text=True)
    for key in ("overdue", "due", "later", "in_progress", "returned"):
        visit = world["visits"][key]
        section = page.split(f'id="list-{key}"')[1].split("</section>")[0]
        assert f'data-visit="{visit.id}"' in section, key
        assert auth.client.get(f"/schedule/visits/{visit.id}").status_code == 200
    assert f'data-visit="{world["visits"]["elsewhere"].id}"' not in page
    assert "Anna Auditor" not in page and world["auditor"].pseudonym in page
    assert auth.client.get(f"/schedule/visits/{world['visits']['elsewhere'].id}").status_code == 404
    # A returned visit opens, and so does its report with the reviewer's comment.
    returned = world["visits"]["returned"]
    assert "Add the table photo." in auth.client.get(f"/schedule/visits/{returned.id}").get_data(as_text=True)
    assert auth.client.get(f"/review/visits/{returned.id}").status_code == 200


def test_the_manager_home_links_each_list_with_its_count(world, auth):
    auth.login(world["manager"])
    page = auth.client.get("/manager").get_data(as_text=True)
    section = page.split('id="planning"')[1].split("</ul>")[0]
    for key in ("overdue", "due", "in_progress", "returned", "later"):
        assert f'href="/schedule/#list-{key}"' in section, key
        count = section.split(f"#list-{key}")[1].split('class="muted">(')[1].split(")")[0]
        assert count == "1", key  # the visit elsewhere is not the manager's
    assert section.split("#list-submitted")[1].split('class="muted">(')[1].startswith("0)")


def test_reassign_reschedule_and_cancel_from_the_visit_page(world, auth, factory):
    other_auditor = factory.user("auditor")
    visit = world["visits"]["due"]
    auth.login(world["manager"])
    page = auth.client.get(f"/schedule/visits/{visit.id}").get_data(as_text=True)
    token = form_token(page)
    new_due = (visit.due_date + timedelta(days=2)).isoformat()
    response = auth.client.post(f"/schedule/visits/{visit.id}", data={
        "change-csrf_token": token, "change-auditor": str(other_auditor.id), "change-due": new_due,
        "change-change": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    assert (visit.auditor_id, visit.due_date.isoformat()) == (other_auditor.id, new_due)
    refused = auth.client.post(f"/schedule/visits/{visit.id}", data={
        "cancel-csrf_token": token, "cancel-reason": "", "cancel-cancel": "1"})
    assert refused.status_code == 422 and 'class="field-error"' in refused.get_data(as_text=True)
    done = auth.client.post(f"/schedule/visits/{visit.id}", data={
        "cancel-csrf_token": token, "cancel-reason": "Branch closed.", "cancel-cancel": "1"})
    assert done.status_code == 302
    db.session.expire_all()
    assert visit.status == "cancelled" and visit.history[-1].comment == "Branch closed."


def test_plan_forms_refuse_at_the_field_and_plan(world, auth, factory):
    auth.login(world["admin"])
    page = auth.client.get("/schedule/").get_data(as_text=True)
    token = form_token(page)
    bad = auth.client.post("/schedule/", data={"round-csrf_token": token, "round-concept": "mini",
                                               "round-month": "2026-13", "round-channel": "visit",
                                               "round-plan_round": "1"})
    assert bad.status_code == 422 and "Give a month like 2026-04." in bad.get_data(as_text=True)
    before = db.session.scalar(sa.select(sa.func.count(Visit.id)))
    good = auth.client.post("/schedule/", data={"round-csrf_token": token, "round-concept": "mini",
                                                "round-month": "2027-02", "round-channel": "visit",
                                                "round-region": "Centre", "round-plan_round": "1"})
    assert good.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Visit.id))) == before + 2  # Amstel and Rotte, region Centre
    one = auth.client.post("/schedule/", data={"one-csrf_token": token, "one-concept": "mini",
                                               "one-branch": str(world["mine"].id),
                                               "one-auditor": str(world["auditor"].id), "one-channel": "visit",
                                               "one-due": "2027-03-04", "one-plan_visit": "1"})
    assert one.status_code == 302


def test_posts_without_the_csrf_token_are_refused(world, auth, app):
    app.config["WTF_CSRF_ENABLED"] = True
    auth.login(world["manager"])
    visit = world["visits"]["due"]
    response = auth.client.post(f"/schedule/visits/{visit.id}", data={"cancel-reason": "x", "cancel-cancel": "1"})
    assert response.status_code == 400
    db.session.expire_all()
    assert visit.status == "scheduled"


@pytest.mark.parametrize("role", ["auditor", "hr"])
def test_others_get_404(world, auth, factory, role):
    auth.login(factory.user(role))
    assert auth.client.get("/schedule/").status_code == 404
    assert auth.client.get(f"/schedule/visits/{world['visits']['due'].id}").status_code == 404
