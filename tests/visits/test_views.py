"""The auditor's HTML pages: my visits, briefing, start, the no-JS form, submit and the read-only answers."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from auditapp.visits.commands import Decision, Review
from auditapp.extensions import db
from auditapp.photos.models import Photo
from auditapp.visits import services
from auditapp.visits.models import Answer, Visit

from ..photos.helpers import encode, noisy_image

COMPLETE = {"confirmed": "yes", "greeted": "yes", "friendliness": 4, "upsell": "drink", "clean": "yes",
            "wait": 3, "dish": "Soup of the day", "pilot": "no"}


SOON = date.today() + timedelta(days=30)


def page(response) -> str:
    return response.get_data(as_text=True)


def post(auth, url, data=None, **kwargs):
    return auth.client.post(url, data={"csrf_token": auth.csrf, **(data or {})}, **kwargs)


def values(visit_id: int) -> dict:
    return {a.standard_key: a.value for a in db.session.scalars(sa.select(Answer).where(Answer.visit_id == visit_id))}


@pytest.fixture
def auditor(factory, auth):
    user = factory.user("auditor", name="Ann Auditor")
    auth.login(user)
    return user


@pytest.fixture
def mine(factory, auditor):
    branch = factory.branch(name="Harbour Hotel", city="Leiden")
    branch.address = "Kade 12"
    db.session.commit()
    return factory.visit(auditor=auditor, branch=branch, persona="family", due=SOON)


def test_auditor_home_leads_to_my_visits(auth, auditor):
    response = auth.client.get("/auditor")
    assert response.status_code == 302 and response.location.endswith("/visits/")


def test_other_roles_do_not_see_the_auditor_pages(auth, factory, mine):
    auth.client.post("/logout", data={"csrf_token": auth.csrf})
    auth.login(factory.user("manager", branches=(mine.branch,)))
    for url in ("/visits/", f"/visits/{mine.id}/briefing", f"/visits/{mine.id}/form"):
        assert auth.client.get(url).status_code == 404


def test_anonymous_is_sent_to_login(client, factory):
    visit = factory.visit()
    response = client.get(f"/visits/{visit.id}/form")
    assert response.status_code == 302 and "/login" in response.location


def test_my_visits_lists_open_then_submitted_and_nothing_of_others(auth, factory, auditor, mine):
    overdue = factory.visit(auditor=auditor, branch=factory.branch(name="Old Mill"), due=date(2020, 1, 1),
                            channel="call")
    returned = factory.visit(auditor=auditor, branch=factory.branch(name="Quay Side"), due=SOON)
    factory.answered(returned, COMPLETE)
    db.session.add_all([Photo(visit_id=returned.id, standard_key=k, file_key="0" * 64) for k in ("clean", "entrance")])
    db.session.commit()
    services.submit_visit(returned, auditor)
    services.review_visit(returned, factory.user("admin"), Review(Decision.RETURN, "The Welcome answers contradict the photo."))
    done = factory.visit(auditor=auditor, branch=factory.branch(name="Dune Inn"))
    factory.answered(done, COMPLETE)
    db.session.add_all([Photo(visit_id=done.id, standard_key=k, file_key="0" * 64) for k in ("clean", "entrance")])
    db.session.commit()
    services.submit_visit(done, auditor)
    factory.visit(branch=factory.branch(name="Someone Else's"))

    html = page(auth.client.get("/visits/"))
    assert "Someone Else" not in html
    order = [html.index(name) for name in ("Quay Side", "Old Mill", "Harbour Hotel", "Submitted</h2>", "Dune Inn")]
    assert order == sorted(order)
    assert "The Welcome answers contradict the photo." in html
    assert html.count("overdue</span>") == 1
    assert "Leiden" in html and "Family" in html and "Phone call" in html


def test_another_auditors_visit_pages_are_404(auth, factory, auditor):
    theirs = factory.visit()
    for url in (f"/visits/{theirs.id}", f"/visits/{theirs.id}/briefing", f"/visits/{theirs.id}/form",
                f"/visits/{theirs.id}/submit", f"/visits/{theirs.id}/thanks"):
        assert auth.client.get(url).status_code == 404, url
    assert post(auth, f"/visits/{theirs.id}/start").status_code == 404
    assert post(auth, f"/visits/{theirs.id}/form", {"v-greeted": "yes"}).status_code == 404
    assert post(auth, f"/visits/{theirs.id}/submit").status_code == 404
    assert values(theirs.id) == {}


def test_briefing_shows_place_persona_watch_list_and_photos(auth, mine):
    response = auth.client.get(f"/visits/{mine.id}")
    assert response.status_code == 302 and response.location.endswith(f"/visits/{mine.id}/briefing")
    html = page(auth.client.get(response.location))
    assert "Harbour Hotel" in html and "Kade 12, Leiden" in html
    assert "Two adults and a child with a nut allergy." in html
    assert "Greeted within a minute." in html and "Welcome" in html
    assert "Answered within three rings." not in html  # a call standard
    photos = html[html.index("Photos you will need"):]
    assert "The table is clean." in photos and "Photo of the entrance." in photos
    assert 'name="csrf_token"' in html and 'name="duration_minutes"' not in html


def test_call_briefing_shows_the_number_and_asks_start_time_and_duration(auth, factory, auditor):
    branch = factory.branch(name="Call Centre")
    branch.phone = "+31 71 555 0100"
    db.session.commit()
    visit = factory.visit(auditor=auditor, branch=branch, channel="call")
    html = page(auth.client.get(f"/visits/{visit.id}/briefing"))
    assert 'href="tel:+31715550100"' in html
    assert 'name="visited_at"' in html and 'name="duration_minutes"' in html

    response = post(auth, f"/visits/{visit.id}/start", {"visited_at": "2026-04-14T10:05", "duration_minutes": "x"})
    assert response.status_code == 422
    assert "must be whole minutes" in page(response)
    assert db.session.get(Visit, visit.id).status == "scheduled"

    response = post(auth, f"/visits/{visit.id}/start", {"visited_at": "2026-04-14T10:05", "duration_minutes": "7"})
    assert response.status_code == 302 and response.location.endswith(f"/visits/{visit.id}/form")
    visit = db.session.get(Visit, visit.id)
    assert (visit.status, visit.duration_minutes, visit.visited_at.isoformat()) == ("in_progress", 7, "2026-04-14T10:05:00")


def test_start_needs_csrf(auth, mine):
    response = auth.client.post(f"/visits/{mine.id}/start")
    assert response.status_code == 400
    assert db.session.get(Visit, mine.id).status == "scheduled"


def test_start_then_the_form_in_journey_order(auth, mine):
    response = post(auth, f"/visits/{mine.id}/start")
    assert response.status_code == 302
    visit = db.session.get(Visit, mine.id)
    assert visit.status == "in_progress" and visit.started_at is not None
    html = page(auth.client.get(f"/visits/{mine.id}/form"))
    ids = re.findall(r'id="(?:ph|tp|st)-([a-z0-9-]+)"', html)
    assert ids == ["booking", "confirmation", "confirmed", "visit", "welcome", "greeted", "friendliness",
                   "upsell", "table", "clean", "wait", "dish", "pilot", "entrance"]
    assert 'name="v-confirmed" value="na"' in html and 'name="v-greeted" value="na"' not in html
    assert html.count('name="v-friendliness"') == 5
    assert 'inputmode="decimal"' in html and ">minutes<" in html
    assert 'name="staff-welcome"' in html and 'name="staff-table"' not in html
    assert 'capture="environment"' in html and 'accept="image/*"' in html
    assert 'name="photo-clean"' in html and 'name="photo-tp-welcome"' in html
    assert "0</span> / 9" in html
    assert "js/form.js" in html


def test_no_js_post_saves_and_keeps_everything(auth, mine):
    data = {"v-greeted": "yes", "c-greeted": "Smiled.", "v-friendliness": "4", "v-upsell": "drink",
            "v-wait": "2,5", "v-dish": "Soup", "na-confirmed": "na", "staff-welcome": "Ann",
            "visited_at": "2026-04-14T19:30", "remarks": "Quiet night.", "action": "save"}
    response = post(auth, f"/visits/{mine.id}/form", data)
    assert response.status_code == 302
    assert values(mine.id) == {"greeted": "yes", "friendliness": 4, "upsell": "drink", "wait": 2.5, "dish": "Soup",
                               "confirmed": "na"}
    visit = db.session.get(Visit, mine.id)
    assert visit.remarks == "Quiet night." and visit.staff[0].name == "Ann"
    html = page(auth.client.get(response.location))
    assert "Saved." in html
    assert 'name="v-greeted" value="yes" checked' in html and "Smiled.</textarea>" in html
    assert 'value="2.5"' in html and "6</span> / 9" in html


def test_the_error_summary_names_the_visit_detail_it_links_to(auth, mine):
    response = post(auth, f"/visits/{mine.id}/form", {"visited_at": "2999-01-01T10:00", "action": "save"})
    assert response.status_code == 422
    summary = page(response).split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert 'href="#visited_at"' in summary
    assert "When did the visit take place?: cannot lie in the future" in summary


def test_no_js_post_with_a_bad_value_is_shown_again_with_the_error_and_nothing_lost(auth, mine):
    factory_answer = {"v-greeted": "no", "v-friendliness": "4", "v-wait": "abc", "c-wait": "Timed it.",
                      "remarks": "Long wait.", "action": "save"}
    response = post(auth, f"/visits/{mine.id}/form", factory_answer)
    assert response.status_code == 422
    html = page(response)
    error = re.search(r'id="err-wait">([^<]*)<', html)
    assert error and error.group(1) == "must be a number"
    assert 'class="std has-error" id="st-wait"' in html
    assert 'value="abc"' in html and "Timed it.</textarea>" in html and "Long wait.</textarea>" in html
    assert 'name="v-greeted" value="no" checked' in html
    assert values(mine.id) == {}  # all or nothing, as in the API


def test_no_js_post_attaches_and_deletes_photos(app, auth, mine):
    jpeg = encode(noisy_image((400, 300)), "JPEG")
    response = post(auth, f"/visits/{mine.id}/form", {"photo-clean": (io.BytesIO(jpeg), "t.jpg"),
                                                       "photo-tp-welcome": (io.BytesIO(jpeg), "w.jpg")},
                    content_type="multipart/form-data")
    assert response.status_code == 302
    photos = db.session.scalars(sa.select(Photo).order_by(Photo.id)).all()
    assert [(p.standard_key, p.touchpoint_key) for p in photos] == [("clean", "table"), (None, "welcome")]
    response = post(auth, f"/visits/{mine.id}/form", {f"caption-{photos[0].id}": "Sticky", "delete_photo": photos[1].id},
                    content_type="multipart/form-data")
    assert response.status_code == 302
    assert [(p.id, p.caption) for p in db.session.scalars(sa.select(Photo))] == [(photos[0].id, "Sticky")]


def test_no_js_photo_that_is_not_an_image_is_refused_at_its_standard(auth, mine):
    response = post(auth, f"/visits/{mine.id}/form", {"v-greeted": "yes",
                                                       "photo-clean": (io.BytesIO(b"<html>"), "x.jpg")},
                    content_type="multipart/form-data")
    assert response.status_code == 422
    assert "not a photo we can read" in page(response)
    assert db.session.scalar(sa.select(sa.func.count(Photo.id))) == 0
    assert values(mine.id) == {"greeted": "yes"}


def test_submit_screen_lists_missing_answers_and_photos_with_links(auth, factory, mine):
    factory.answered(mine, {k: v for k, v in COMPLETE.items() if k not in ("friendliness", "dish")})
    html = page(auth.client.get(f"/visits/{mine.id}/submit"))
    assert f'/visits/{mine.id}/form#st-friendliness' in html and "Friendliness." in html
    assert f'/visits/{mine.id}/form#st-clean' in html and "a photo is required" in html
    assert "Greeted within a minute." not in html
    assert "#st-dish" not in html  # free text is optional: not missing
    response = post(auth, f"/visits/{mine.id}/submit")
    assert response.status_code == 422
    assert db.session.get(Visit, mine.id).status == "in_progress"


def test_submit_thanks_and_read_only_afterwards(auth, factory, mine):
    factory.answered(mine, COMPLETE)
    db.session.add_all([Photo(visit_id=mine.id, standard_key=k, file_key="0" * 64) for k in ("clean", "entrance")])
    db.session.commit()
    html = page(auth.client.get(f"/visits/{mine.id}/submit"))
    assert "Everything required is filled in." in html
    response = post(auth, f"/visits/{mine.id}/submit")
    assert response.status_code == 302 and response.location.endswith(f"/visits/{mine.id}/thanks")
    assert "Thank you" in page(auth.client.get(response.location))
    assert db.session.get(Visit, mine.id).status == "submitted"

    for url in (f"/visits/{mine.id}/form", f"/visits/{mine.id}/briefing"):
        response = auth.client.get(url, follow_redirects=True)
        html = page(response)
        assert "can no longer be changed" in html
        assert "Soup of the day" in html and "A drink" in html and "4 / 5" in html
        assert 'name="v-' not in html and 'type="file"' not in html
    response = post(auth, f"/visits/{mine.id}/form", {"v-greeted": "no"})
    assert response.status_code == 302
    assert values(mine.id)["greeted"] == "yes"


def test_returned_visit_shows_the_comment_and_opens_at_the_named_touchpoint(auth, factory, mine):
    factory.answered(mine, COMPLETE)
    db.session.add_all([Photo(visit_id=mine.id, standard_key=k, file_key="0" * 64) for k in ("clean", "entrance")])
    db.session.commit()
    services.submit_visit(mine, mine.auditor)
    services.review_visit(mine, factory.user("admin"), Review(Decision.RETURN, "Please check the table: was it really clean?"))
    response = auth.client.get(f"/visits/{mine.id}")
    assert response.status_code == 302 and response.location.endswith(f"/visits/{mine.id}/form#tp-table")
    html = page(auth.client.get(f"/visits/{mine.id}/form"))
    assert "was it really clean?" in html and 'href="#tp-table">Table</a>' in html
    assert 'data-open-at="tp-table"' in html


def test_returned_visit_without_a_named_touchpoint_opens_at_the_first_failed_standard(auth, factory, mine):
    factory.answered(mine, {**COMPLETE, "greeted": "no"})
    db.session.add_all([Photo(visit_id=mine.id, standard_key=k, file_key="0" * 64) for k in ("clean", "entrance")])
    db.session.commit()
    services.submit_visit(mine, mine.auditor)
    services.review_visit(mine, factory.user("admin"), Review(Decision.RETURN, "Are you sure?"))
    response = auth.client.get(f"/visits/{mine.id}")
    assert response.location.endswith(f"/visits/{mine.id}/form#st-greeted")


def test_user_text_is_escaped(auth, factory, mine):
    factory.answered(mine, {"dish": "<script>alert(1)</script>"})
    html = page(auth.client.get(f"/visits/{mine.id}/form"))
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
