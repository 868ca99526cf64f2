"""Offline-first field work in a real browser against a real two-worker server: a visit filled in with no
connection survives reloads and a closed browser, and arrives exactly once when the connection comes back."""

from __future__ import annotations

import re
from datetime import date, timedelta

from PIL import Image
from playwright.sync_api import expect

from ..factories import Factory, PASSWORD
from .conftest import choose, std, wait_saved
from .offline import (Phone, jpeg, kept, served, server_answers, server_photos, until_true,  # noqa: F401
                      wait_until_kept_offline)

SOON = date.today() + timedelta(days=7)
COLORS = ["red", "green", "blue"]


def seed(app):
    with app.app_context():
        factory = Factory()
        visit = factory.visit(persona="solo", due=SOON)
        return visit.id, visit.auditor.email


def log_in(page, email):
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/visits/$"))


def open_online(page, server, visit_id: int, email: str, kept: str) -> None:
    """Log in, let the list keep its visits' pages (until `kept` is kept), and open the visit's form, synced."""
    log_in(page, email)
    wait_until_kept_offline(page, server.url + "/visits/")  # the list itself, loaded before the worker took over
    wait_until_kept_offline(page, server.url + kept)
    page.goto(f"/visits/{visit_id}/form")
    expect(page.locator("#save-status")).to_have_text("Synced")


def fill_in(page):
    choose(page, "greeted", "Yes")
    choose(page, "friendliness", "4")
    choose(page, "upsell", "A drink")
    std(page, "dish").locator("textarea[name=v-dish]").fill("Soup of the day")
    files = [{"name": f"{c}.jpg", "mimeType": "image/jpeg", "buffer": jpeg(c)} for c in COLORS]
    std(page, "clean").locator("input[type=file]").set_input_files(files)
    expect(std(page, "clean").locator(".thumbs li")).to_have_count(3)


def assert_everything_shown(page):
    for key, value in (("greeted", "yes"), ("friendliness", "4"), ("upsell", "drink")):
        expect(page.locator(f'input[name="v-{key}"][value="{value}"]')).to_be_checked()
    expect(std(page, "dish").locator("textarea[name=v-dish]")).to_have_value("Soup of the day")
    expect(std(page, "clean").locator(".thumbs li")).to_have_count(3)


def test_a_visit_filled_in_offline_survives_reloads_and_a_closed_browser_and_arrives_once(
        served, playwright_instance, tmp_path):
    app, server = served
    visit_id, email = seed(app)
    form_url = f"/visits/{visit_id}/form"
    phone = Phone(playwright_instance, tmp_path / "profile", server.url)
    page = phone.open()
    try:
        open_online(page, server, visit_id, email, kept=form_url)  # the list keeps its visits' pages

        server.stop()  # no connection at all: neither the page nor its service worker reaches the server
        page.context.set_offline(True)
        fill_in(page)
        expect(page.locator("#save-status")).to_contain_text("Saved on this phone")
        store = kept(page, visit_id)
        assert {c["key"] for c in store["changes"] if c["kind"] == "answer"} == {"greeted", "friendliness", "upsell", "dish"}
        assert sorted(p["state"] for p in store["photos"]) == ["waiting"] * 3

        page.reload()
        assert_everything_shown(page)
        phone.close()

        page = phone.open()  # the browser relaunched on the same profile, still offline
        page.context.set_offline(True)
        page.goto(form_url)
        assert_everything_shown(page)
        expect(std(page, "clean").locator(".photo-state")).to_have_text(["On this phone"] * 3)

        server.start()
        page.context.set_offline(False)
        expect(page.locator("#save-status")).to_have_text("Synced", timeout=20_000)
        expect(std(page, "clean").locator(".photo-state")).to_have_text(["Synced"] * 3)
        expect(page.locator("#sync-bar .sync-text")).to_have_text("Everything is synced")
        assert kept(page, visit_id)["changes"] == []
    finally:
        phone.close()

    assert server_answers(app, visit_id) == {"greeted": "yes", "friendliness": 4, "upsell": "drink",
                                             "dish": "Soup of the day"}
    photos = server_photos(app, visit_id)
    assert len(photos) == 3 and len({p.client_id for p in photos}) == 3
    colours = []
    for p in photos:  # the contents arrived intact: each is the colour that was photographed
        with Image.open(server.uploads / "photos" / p.file_key[:2] / f"{p.file_key}.jpg") as img:
            colours.append(img.convert("RGB").resize((1, 1)).getpixel((0, 0)))
    assert sorted(max(range(3), key=lambda i: c[i]) for c in colours) == [0, 1, 2]


def test_a_visit_submitted_without_a_connection_is_submitted_once_when_back(served, playwright_instance, tmp_path):
    app, server = served
    visit_id, email = seed(app)
    phone = Phone(playwright_instance, tmp_path / "profile", server.url)
    page = phone.open()
    try:
        open_online(page, server, visit_id, email, kept=f"/visits/{visit_id}/submit")

        server.stop()
        page.context.set_offline(True)
        fill_in(page)
        for key, label in (("confirmed", "Yes"), ("clean", "Yes"), ("pilot", "No")):
            choose(page, key, label)
        std(page, "wait").locator('input[name="v-wait"]').fill("3")
        std(page, "entrance").locator("input[type=file]").set_input_files(
            {"name": "door.jpg", "mimeType": "image/jpeg", "buffer": jpeg("yellow")})
        page.get_by_role("button", name="Review and submit").click()
        page.wait_for_url(re.compile(rf"/visits/{visit_id}/submit$"))  # the kept copy, from before the answers
        expect(page.get_by_text("No connection: this list may be out of date.")).to_be_visible()
        page.get_by_role("button", name="Submit for review").click()
        page.wait_for_url(re.compile(r"/visits/$"))
        expect(page.locator(f'li[data-visit="{visit_id}"] .tag-waiting')).to_contain_text("on this phone")
        assert [op["kind"] for op in kept(page, visit_id)["ops"]] == ["submit"]

        server.start()
        page.context.set_offline(False)
        expect(page.locator("#sync-bar .sync-text")).to_have_text("Everything is synced", timeout=20_000)
    finally:
        phone.close()

    with app.app_context():
        from auditapp.extensions import db
        from auditapp.visits.models import StatusChange, Visit

        assert db.session.get(Visit, visit_id).status == "submitted"
        submitted = db.session.scalars(db.select(StatusChange).where(
            StatusChange.visit_id == visit_id, StatusChange.to_status == "submitted")).all()
        assert len(submitted) == 1
    assert len(server_photos(app, visit_id)) == 4


WORKER_STATE = """async () => {
  const r = await navigator.serviceWorker.getRegistration();
  return { waiting: !!r.waiting, active: r.active && r.active.state,
           controlled: !!navigator.serviceWorker.controller && navigator.serviceWorker.controller === r.active };
}"""


def test_a_new_service_worker_waits_and_the_open_form_keeps_working(served, playwright_instance, tmp_path):
    app, server = served
    visit_id, email = seed(app)
    phone = Phone(playwright_instance, tmp_path / "profile", server.url)
    page = phone.open()
    try:
        open_online(page, server, visit_id, email, kept=f"/visits/{visit_id}/form")

        # A deploy of a new release while the form is open; the phone finds the new worker.
        server.stop()
        server.env["AUDITAPP_RELEASE"] = "2"
        server.start()
        page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
        until_true(page, f"async () => ({WORKER_STATE})().then((s) => s.waiting)")
        assert page.evaluate(WORKER_STATE) == {"waiting": True, "active": "activated", "controlled": True}

        choose(page, "greeted", "Yes")  # the open form keeps its worker and its files, and keeps sending
        wait_saved(page)
        assert server_answers(app, visit_id) == {"greeted": "yes"}
        assert page.evaluate(WORKER_STATE)["waiting"]  # the new worker still waits for the form to close
    finally:
        phone.close()
