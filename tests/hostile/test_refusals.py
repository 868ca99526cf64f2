"""What the sweep's refusals look like to a person: the error at the field, everything typed kept, no 5xx.

Run on both databases: PostgreSQL is the one that refuses a NUL with an error of its own.
"""

from __future__ import annotations

import pytest

from auditapp.photos.models import Photo
from auditapp.fields import whole_number
from auditapp.reports.periods import parse_period
from auditapp.extensions import db

from ..conftest import CSRF_META
from .world import build_world

UNSTORABLE = "contains a control character or an unpaired surrogate"


@pytest.fixture
def world(app, factory):
    return build_world(factory, app.config["UPLOAD_DIR"])


def html(response) -> str:
    return response.get_data(as_text=True)


def test_login_refuses_a_nul_in_the_email_at_the_field_without_asking_the_database(client, world):
    token = CSRF_META.search(html(client.get("/login"))).group(1)
    response = client.post("/login", data={"email": "admin\x00@example.test", "password": "x", "csrf_token": token})
    assert response.status_code == 422
    assert UNSTORABLE in html(response) and 'value="admin' in html(response)


def test_an_html_form_ignores_a_json_body_of_any_shape(auth, world):
    auth.login(world.users["manager"])
    submitted = next(v for v in world.ids["visit_id"] if _visit(v).status == "submitted")
    for body in (b"[]", b"1", b'"x"', b"[" * 50_000 + b"]" * 50_000, b'{"comment": "\xed\xa0\x80"}'):
        response = auth.api("POST", f"/review/visits/{submitted}", data=body, content_type="application/json")
        assert response.status_code == 422, body[:20]
    assert _visit(submitted).status == "submitted"


def test_review_comment_with_a_nul_is_refused_at_the_field_and_kept(auth, world):
    auth.login(world.users["manager"])
    submitted = next(v for v in world.ids["visit_id"] if _visit(v).status == "submitted")
    response = auth.client.post(f"/review/visits/{submitted}", data={
        "comment": "Who greeted\x00 you?", "send_back": "Return to the auditor", "csrf_token": auth.csrf})
    assert response.status_code == 422
    assert UNSTORABLE in html(response) and "Who greeted" in html(response)
    assert _visit(submitted).status == "submitted"


def test_visit_form_refuses_a_nul_caption_at_the_photo_and_keeps_what_was_typed(auth, world):
    auth.login(world.users["auditor"])
    photo = db.session.query(Photo).filter(Photo.caption == "Table").one()
    response = auth.client.post(f"/visits/{photo.visit_id}/form", data={
        f"caption-{photo.id}": "Table by the\x00 window", "remarks": "Busy evening", "c-greeted": "At the door",
        "csrf_token": auth.csrf})
    assert response.status_code == 422
    page = html(response)
    assert UNSTORABLE in page and 'value="Table by the' in page and "Busy evening" in page and "At the door" in page
    db.session.expire_all()
    assert db.session.get(Photo, photo.id).caption == "Table"


def test_visit_form_refuses_a_nul_in_the_remarks_at_the_field_and_keeps_it(auth, world):
    auth.login(world.users["auditor"])
    started = next(v for v in world.ids["visit_id"] if _visit(v).status == "in_progress")
    response = auth.client.post(f"/visits/{started}/form", data={"remarks": "Busy\x00 evening",
                                                                 "csrf_token": auth.csrf})
    assert response.status_code == 422
    assert UNSTORABLE in html(response) and "Busy" in html(response)
    db.session.expire_all()
    assert _visit(started).remarks != "Busy\x00 evening"


def test_a_json_body_nested_50000_deep_is_a_400_with_the_envelope(auth, world):
    auth.login(world.users["auditor"])
    started = next(v for v in world.ids["visit_id"] if _visit(v).status == "in_progress")
    response = auth.api("PUT", f"/api/v1/visits/{started}/answers", data=b"[" * 50_000 + b"]" * 50_000,
                        content_type="application/json")
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_json"


@pytest.mark.parametrize("query, field", [
    ("to=0001-01-01", "to"), ("to=9999-12-31", "to"), ("from=9999-12-31", "from"), ("from=2026-02-30", "from"),
])
def test_report_dates_whose_periods_fall_off_the_calendar_are_field_errors(auth, world, query, field):
    auth.login(world.users["admin"])
    branch = world.ids["branch_id"][0]
    page = auth.client.get(f"/reports/branches/{branch}?concept=mini&{query}")
    assert page.status_code == 422 and "Give a date" in html(page)
    scores = auth.api("GET", f"/api/v1/branches/{branch}/scores?concept=mini&{query}")
    assert scores.status_code == 422 and field in scores.get_json()["error"]["fields"]
    export = auth.api("GET", f"/api/v1/exports/answers.csv?{query}")
    assert export.status_code == 422 and field in export.get_json()["error"]["fields"]


@pytest.mark.parametrize("query, field", [
    ("region=%C2%B2", "region"), ("at=0001-01", "at"), ("period=decade", "period"), ("concept=%00", "concept"),
    ("concept=%3Cunknown%3E", "concept"),
])
def test_unknown_overview_filters_are_field_errors(auth, world, query, field):
    auth.login(world.users["admin"])
    response = auth.client.get(f"/reports/?{query}")
    assert response.status_code == 422 and f'id="f-{field}-error"' in html(response)


def test_a_concept_path_key_that_is_no_key_is_not_found(auth, world):
    auth.login(world.users["admin"])
    assert auth.client.get("/admin/concepts/mini").status_code == 200
    for key in ("a%00b", "Mini", "mini%0A"):
        assert auth.client.get(f"/admin/concepts/{key}").status_code == 404
        assert auth.client.get(f"/admin/concepts/{key}/versions/1.yaml").status_code == 404


def test_numbers_are_ascii_digits_and_periods_stay_on_the_calendar():
    assert whole_number("²") is None and whole_number("١٢") is None and whole_number(" 12 ") == 12
    for label, kind in (("0001-01", "month"), ("9999-Q4", "quarter"), ("9999", "year")):
        with pytest.raises(ValueError):
            parse_period(label, kind)


def _visit(visit_id: int):
    from auditapp.visits.models import Visit

    db.session.expire_all()
    return db.session.get(Visit, visit_id)
