"""The review queue and the visit review page: what a reviewer sees, and approve / return with CSRF."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from auditapp.visits.commands import Decision, Review
from auditapp.clock import utcnow
from auditapp.extensions import db
from auditapp.visits import services as visit_services
from auditapp.visits.models import StaffRecord, TouchpointScore

from ..reports.dataset import HOSTILE, fill

ANSWERS = {"confirmed": "yes", "greeted": "no", "friendliness": 4, "upsell": "drink", "clean": "yes", "wait": 3,
           "dish": "Risotto", "pilot": "yes"}
CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


@pytest.fixture
def setup(factory):
    """A branch with its manager, a submitted visit by a named auditor, and a second branch with its own visit."""
    branch = factory.branch("AMS", name="Amstel")
    other = factory.branch("ROT", name="Rotte")
    manager = factory.user("manager", branches=(branch,))
    auditor = factory.user("auditor", name="Anna Auditor")
    visit = factory.visit(branch=branch, auditor=auditor, persona="family")
    fill(factory, visit, ANSWERS, datetime(2026, 11, 2, 19, 30), comments={"clean": HOSTILE, "greeted": "Nobody came"})
    db.session.add(StaffRecord(visit=visit, touchpoint_key="welcome", name="Sven Staff"))
    db.session.commit()
    visit_services.submit_visit(visit, auditor)
    elsewhere = factory.visit(version=visit.concept_version, branch=other)
    fill(factory, elsewhere, ANSWERS, datetime(2026, 11, 3, 12))
    visit_services.submit_visit(elsewhere, elsewhere.auditor)
    return {"branch": branch, "manager": manager, "auditor": auditor, "visit": visit, "elsewhere": elsewhere}


def form_token(html: str) -> str:
    match = CSRF_FIELD.search(html)
    assert match, "no CSRF field in the form"
    return match.group(1) or match.group(2)


def test_queue_lists_own_submitted_visits_oldest_first_with_age(setup, factory, auth):
    visit = setup["visit"]
    visit.submitted_at = utcnow() - timedelta(days=3, hours=2)
    newer = factory.visit(version=visit.concept_version, branch=setup["branch"])
    fill(factory, newer, ANSWERS, datetime(2026, 11, 4, 12))
    visit_services.submit_visit(newer, newer.auditor)
    draft = factory.visit(version=visit.concept_version, branch=setup["branch"])
    db.session.commit()
    auth.login(setup["manager"])
    html = auth.client.get("/manager").get_data(as_text=True)
    assert html.index(f"/review/visits/{visit.id}") < html.index(f"/review/visits/{newer.id}")
    assert "3 days" in html
    assert f"/review/visits/{setup['elsewhere'].id}" not in html  # another branch
    assert f"/review/visits/{draft.id}" not in html  # not submitted


def test_queue_shows_each_visits_score_band_and_critical_failures(setup, factory, auth):
    from auditapp.scoring import band, score_visit

    visit = setup["visit"]
    content = visit.concept_version.content
    expected = score_visit(content, visit.channel, visit.answer_values())
    clean = factory.visit(version=visit.concept_version, branch=setup["branch"])
    fill(factory, clean, {**ANSWERS, "greeted": "yes"}, datetime(2026, 11, 4, 12))
    visit_services.submit_visit(clean, clean.auditor)
    auth.login(setup["manager"])
    html = auth.client.get("/manager").get_data(as_text=True)
    first, second = html.split(f"/review/visits/{clean.id}")
    item = first.split(f"/review/visits/{visit.id}")[1]
    assert f"{expected.visit:.1f}" in item
    assert f"score-{band(expected.visit, content.good, content.poor)}" in item
    assert "1 critical failure" in item  # greeted: no
    assert "critical failure" not in second.split("</li>")[0]


def test_admin_queue_holds_every_branch(setup, factory, auth):
    auth.login(factory.user("admin"))
    html = auth.client.get("/admin/review").get_data(as_text=True)
    assert f"/review/visits/{setup['visit'].id}" in html and f"/review/visits/{setup['elsewhere'].id}" in html


def test_visit_page_shows_everything_the_auditor_recorded_under_a_pseudonym(setup, auth):
    visit = setup["visit"]
    auth.login(setup["manager"])
    response = auth.client.get(f"/review/visits/{visit.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Amstel" in html and "Nov 2, 2026, 7:30\u00a0PM" in html and "On-site visit" in html
    assert "Family" in html and "Mini concept, version 1" in html
    assert setup["auditor"].pseudonym in html and "Anna Auditor" not in html
    assert "Sven Staff" not in html  # staff names are for HR and admins
    # Critical failure first, then the journey curve, then the phases.
    assert html.index('id="critical-title"') < html.index('id="curve-title"') < html.index('id="phase-booking"')
    assert "Greeted within a minute." in html[html.index('id="critical-title"'):html.index('id="curve-title"')]
    assert "<svg" in html and "Journey curve" in html
    for label in ("Yes", "No", "4 / 5", "A drink", "3 minutes", "Risotto", "Nobody came", "Quiet evening."):
        assert label in html, label
    assert HOSTILE not in html and "&lt;font color=&#34;[[[x]]]&#34;&gt;" in html  # escaped
    thumbnail = f"/api/v1/photos/{visit.photos[0].id}/file?size=thumbnail"
    assert thumbnail in html and f'href="#photo-{visit.photos[0].id}"' in html
    assert "Status history" in html and "submitted" in html
    assert 'name="approve"' in html and 'name="send_back"' in html
    # Scores: welcome is 0 because the critical standard failed; the visit (100 + 2·0 + 100) / 4 = 50.
    assert "50.0" in html


def test_admin_sees_the_auditor_and_staff_names(setup, factory, auth):
    auth.login(factory.user("admin"))
    html = auth.client.get(f"/review/visits/{setup['visit'].id}").get_data(as_text=True)
    assert "Anna Auditor" in html and "Sven Staff" in html


def test_approve_writes_scores_and_history(setup, auth):
    visit = setup["visit"]
    auth.login(setup["manager"])
    token = form_token(auth.client.get(f"/review/visits/{visit.id}").get_data(as_text=True))
    response = auth.client.post(f"/review/visits/{visit.id}", data={"csrf_token": token, "comment": "Thanks",
                                                                   "approve": "Approve"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/manager#queue")
    db.session.refresh(visit)
    assert visit.status == "approved" and visit.score == pytest.approx(50.0)
    rows = db.session.scalars(db.select(TouchpointScore).where(TouchpointScore.visit_id == visit.id)).all()
    assert {r.touchpoint_key: r.score for r in rows} == {"confirmation": 100.0, "welcome": 0.0, "table": 100.0}
    last = visit.history[-1]
    assert (last.from_status, last.to_status, last.comment, last.user_id) == (
        "submitted", "approved", "Thanks", setup["manager"].id)
    page = auth.client.get(f"/review/visits/{visit.id}").get_data(as_text=True)
    assert 'name="approve"' not in page and "Thanks" in page


def test_admin_goes_back_to_the_review_queue_after_a_decision(setup, factory, auth):
    visit = setup["visit"]
    auth.login(factory.user("admin"))
    token = form_token(auth.client.get(f"/review/visits/{visit.id}").get_data(as_text=True))
    response = auth.client.post(f"/review/visits/{visit.id}", data={"csrf_token": token, "approve": "Approve"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/review#queue")


def test_return_needs_a_comment_shown_at_the_field(setup, auth):
    visit = setup["visit"]
    auth.login(setup["manager"])
    token = form_token(auth.client.get(f"/review/visits/{visit.id}").get_data(as_text=True))
    response = auth.client.post(f"/review/visits/{visit.id}", data={"csrf_token": token, "comment": "  ",
                                                                   "send_back": "Return"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="comment-error"' in html and "Say what the auditor should change." in html
    db.session.refresh(visit)
    assert visit.status == "submitted" and len(visit.history) == 3


def test_return_with_a_comment_reaches_the_auditor(setup, auth):
    visit = setup["visit"]
    auth.login(setup["manager"])
    token = form_token(auth.client.get(f"/review/visits/{visit.id}").get_data(as_text=True))
    response = auth.client.post(f"/review/visits/{visit.id}", data={
        "csrf_token": token, "comment": "Please add a photo of the bar.", "send_back": "Return"})
    assert response.status_code == 302
    db.session.refresh(visit)
    assert visit.status == "returned"
    assert visit.history[-1].comment == "Please add a photo of the bar."
    auth.client.post("/logout", data={"csrf_token": token})
    auth.login(setup["auditor"])
    mine = auth.client.get("/api/v1/visits?status=returned").get_json()
    assert [v["id"] for v in mine] == [visit.id]
    detail = auth.client.get(f"/api/v1/visits/{visit.id}").get_json()
    assert detail["history"][-1]["comment"] == "Please add a photo of the bar."


def test_review_without_csrf_token_changes_nothing(setup, auth):
    visit = setup["visit"]
    auth.login(setup["manager"])
    response = auth.client.post(f"/review/visits/{visit.id}", data={"approve": "Approve"})
    assert response.status_code == 400
    db.session.refresh(visit)
    assert visit.status == "submitted"


def test_a_reviewed_visit_cannot_be_reviewed_again(setup, factory, auth):
    visit = setup["visit"]
    visit_services.review_visit(visit, factory.user("admin"), Review(Decision.APPROVE))
    auth.login(setup["manager"])
    response = auth.client.post(f"/review/visits/{visit.id}", data={"csrf_token": auth.csrf, "comment": "x",
                                                                   "send_back": "Return"})
    assert response.status_code == 409
    assert "already been reviewed" in response.get_data(as_text=True)
    db.session.refresh(visit)
    assert visit.status == "approved"


def test_reviewing_another_branch_is_404(setup, auth):
    auth.login(setup["manager"])
    elsewhere = setup["elsewhere"]
    assert auth.client.get(f"/review/visits/{elsewhere.id}").status_code == 404
    response = auth.client.post(f"/review/visits/{elsewhere.id}", data={"csrf_token": auth.csrf, "approve": "Approve"})
    assert response.status_code == 404
    db.session.refresh(elsewhere)
    assert elsewhere.status == "submitted"


@pytest.mark.parametrize("role", ["hr", "auditor"])
def test_hr_and_auditors_cannot_reach_review(setup, factory, auth, role):
    user = setup["auditor"] if role == "auditor" else factory.user(role)
    auth.login(user)
    assert auth.client.get("/manager").status_code == 404
    assert auth.client.get(f"/review/visits/{setup['visit'].id}").status_code == 404


def test_a_draft_has_no_review_page_even_for_admin(setup, factory, auth):
    draft = factory.visit(version=setup["visit"].concept_version, branch=setup["branch"])
    fill(factory, draft, {"greeted": "yes"}, datetime(2026, 11, 5, 12))
    auth.login(factory.user("admin"))
    assert auth.client.get(f"/review/visits/{draft.id}").status_code == 404
    assert auth.client.get(f"/review/visits/{setup['visit'].id}").status_code == 200
