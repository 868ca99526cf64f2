"""The sync under every fault a phone meets, against a real two-worker server: answers lost after the server
committed, captive portals, redirects, lost sessions, stale tokens, refusals, server errors and dropped
connections. Whatever happens, the phone keeps the record until the server acknowledged it, and nothing arrives twice."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from auditapp.extensions import db
from auditapp.visits import services
from auditapp.visits.models import Answer

from ..factories import PASSWORD, Factory
from .conftest import eventually, outbox, settle, std, wait_saved
from .offline import jpeg, served, server_photos  # noqa: F401

SOON = date.today() + timedelta(days=7)
COMMENTED = ["confirmed", "greeted", "friendliness", "upsell", "clean", "wait", "dish", "pilot"]


@pytest.fixture
def form(served, browser, playwright_instance):
    """A started visit's form on a phone, logged in against gunicorn, without a service worker (these faults are
    the page's own requests, which the test routes)."""
    app, server = served
    with app.app_context():
        factory = Factory()
        visit = factory.visit(persona="solo", due=SOON)
        services.start_visit(visit, visit.auditor)
        visit_id, email = visit.id, visit.auditor.email
    device = {k: v for k, v in playwright_instance.devices["Pixel 7"].items() if k != "default_browser_type"}
    context = browser.new_context(**device, base_url=server.url, service_workers="block")
    page = context.new_page()
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/visits/$"))
    page.goto(f"/visits/{visit_id}/form")
    wait_saved(page)
    yield app, server, page, visit_id
    context.close()


def answers(app, visit_id) -> dict[str, tuple]:
    with app.app_context():
        rows = db.session.scalars(sa.select(Answer).where(Answer.visit_id == visit_id))
        return {a.standard_key: (a.value, a.comment) for a in rows}


def comment(page, key: str, text: str) -> None:
    box = std(page, key).locator(f"textarea[name=c-{key}]")
    if not box.is_visible():
        std(page, key).locator("summary", has_text="Comment").click()
    box.fill(text)
    box.press("Tab")


def test_fifty_saves_and_uploads_whose_answers_are_lost_arrive_once_each(form):
    app, server, page, visit_id = form
    dropped, passed = [], []

    def lose_every_other_answer(route):
        response = route.fetch()  # the server has committed by now
        if len(dropped) == len(passed):
            dropped.append(route.request.url)
            route.abort("connectionreset")  # ... but its answer never reaches the phone
        else:
            passed.append(route.request.url)
            route.fulfill(response=response)

    page.route(re.compile(r"/api/v1/visits/\d+/(answers|photos)$"), lose_every_other_answer)
    last = {}
    for i in range(40):
        key = COMMENTED[i % len(COMMENTED)]
        last[key] = f"note {i}"
        comment(page, key, last[key])
        eventually(page, lambda: len(dropped) > len(passed))
        settle(page)  # "sync now": the retry
        wait_saved(page)
    for i in range(10):
        block = "clean" if i % 2 else "entrance"
        std(page, block).locator("input[type=file]").set_input_files(
            {"name": f"p{i}.jpg", "mimeType": "image/jpeg", "buffer": jpeg((i * 25, 100, 200 - i * 20))})
        eventually(page, lambda: len(dropped) > len(passed))
        settle(page)
        wait_saved(page)

    assert len(dropped) == 50 and len(passed) == 50
    assert {key: c for key, (_v, c) in answers(app, visit_id).items()} == last  # 0 lost
    photos = server_photos(app, visit_id)
    assert len(photos) == 10 and len({p.client_id for p in photos}) == 10  # 0 duplicated
    assert outbox(page, visit_id) is None
    expect(page.locator(".photo-state")).to_have_text(["Synced"] * 10)


def fault_response(status: int, body, content_type="application/json", headers=None):
    text = json.dumps(body) if content_type == "application/json" else body
    return {"status": status, "content_type": content_type, "body": text, "headers": headers or {}}


def error(code: str, message: str, fields=None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


FAULTS = {
    "captive portal": fault_response(200, "<html><body>Log in to Hotel Wifi</body></html>", "text/html"),
    "redirect to login": fault_response(302, "", "text/html", {"Location": "/login"}),
    "session ended": fault_response(401, error("unauthorized", "Log in or send a valid Bearer token.")),
    "csrf expired": fault_response(400, error("csrf", "The CSRF token has expired.")),
    "conflict": fault_response(409, error("not_editable", "This visit is Submitted and can no longer be changed.")),
    "too large": fault_response(413, error("too_large", "The upload is larger than 20 MB.")),
    "refused": fault_response(422, error("invalid", "Some answers could not be saved.", {"dish": "is wrong"})),
    "server error": fault_response(500, error("internal", "Something went wrong on our side.")),
    "bad gateway": fault_response(502, "<html>502 Bad Gateway</html>", "text/html"),
    "connection dropped": None,
}


@pytest.mark.parametrize("fault", FAULTS)
def test_every_fault_keeps_the_record_and_recovers_when_it_ends(form, fault):
    app, server, page, visit_id = form
    hits = []
    photo = fault == "too large"
    pattern = re.compile(r"/api/v1/visits/\d+/photos$" if photo else r"/api/v1/visits/\d+/answers$")

    def broken(route):
        hits.append(route.request.method)
        if FAULTS[fault] is None:
            route.abort("connectionreset")
        else:
            route.fulfill(**FAULTS[fault])

    page.route(pattern, broken)
    if photo:
        std(page, "clean").locator("input[type=file]").set_input_files(
            {"name": "table.jpg", "mimeType": "image/jpeg", "buffer": jpeg("teal")})
    else:
        std(page, "dish").locator("textarea[name=v-dish]").fill("Soup of the day")
        std(page, "dish").locator("textarea[name=v-dish]").press("Tab")
    eventually(page, lambda: len(hits) > 0)
    settle(page)
    kept = outbox(page, visit_id)
    if photo:
        assert [p["state"] for p in kept["photos"]] == ["refused"]
        expect(std(page, "clean").locator(".photo-state")).to_have_text("The upload is larger than 20 MB.")
        assert server_photos(app, visit_id) == []
    else:
        assert kept["answers"]["dish"]["value"] == "Soup of the day"
        assert "dish" not in answers(app, visit_id)
    expect(page.locator("#save-status")).not_to_have_text("Synced")

    page.unroute(pattern)  # the fault ends; the auditor does what the page asks, if anything
    if fault == "conflict":
        page.reload()  # the form opens anew: the visit is editable, the held-back work goes
    elif fault == "refused":
        std(page, "dish").locator("textarea[name=v-dish]").fill("Soup of the day!")
        std(page, "dish").locator("textarea[name=v-dish]").press("Tab")
    elif photo:
        std(page, "clean").get_by_role("button", name="Try again").click()
    else:
        page.locator("#visit-form").get_by_role("button", name="Sync now").click()
    wait_saved(page)
    assert outbox(page, visit_id) is None
    if photo:
        assert len(server_photos(app, visit_id)) == 1
    else:
        assert answers(app, visit_id)["dish"][0] == ("Soup of the day!" if fault == "refused" else "Soup of the day")
