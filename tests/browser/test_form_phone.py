"""The form on a phone: progress that counts what submit will accept, a delete that can be undone, and a logout,
departure or download that never throws unsent work away."""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect

from .conftest import MODULE, choose, eventually, outbox, std, stored, wait_saved
from .offline import jpeg
from .test_outbox import open_form

def add_photo(phone, key, color="teal"):
    std(phone, key).locator("input[type=file]").set_input_files(
        {"name": f"{color}.jpg", "mimeType": "image/jpeg", "buffer": jpeg(color)})


def test_a_required_photo_is_marked_and_counted_and_a_refused_value_is_not_answered(live_app, phone, factory):
    open_form(phone, factory)
    answered = phone.locator("#answered")
    choose(phone, "clean", "Yes")
    missing = std(phone, "clean").locator(".photo-missing")
    expect(missing).to_have_text("A photo is required here.")
    expect(answered).to_have_text("0")  # "yes" without its required photo is not done
    add_photo(phone, "clean")
    expect(missing).to_be_hidden()
    expect(answered).to_have_text("1")

    wait = std(phone, "wait").locator('input[name="v-wait"]')
    wait.fill("abc")
    wait.press("Tab")
    expect(phone.locator("#err-wait")).to_have_text("must be a number")
    expect(answered).to_have_text("1")  # a value the server refused is not an answer
    wait.fill("3")
    wait.press("Tab")
    expect(answered).to_have_text("2")


def test_a_deleted_photo_can_be_undone_and_is_deleted_only_after(live_app, phone, factory):
    visit = open_form(phone, factory)
    add_photo(phone, "clean")
    expect(std(phone, "clean").locator(".photo-state")).to_have_text("Synced")
    std(phone, "clean").get_by_role("button", name=re.compile("Delete photo")).click()
    expect(std(phone, "clean").locator(".thumbs li:visible")).to_have_count(0)
    std(phone, "clean").get_by_role("button", name="Undo").click()
    expect(std(phone, "clean").locator(".thumbs li:visible")).to_have_count(1)
    phone.wait_for_timeout(6500)  # past the undo window: nothing was deleted
    assert len(_photos(visit.id)) == 1

    std(phone, "clean").get_by_role("button", name=re.compile("Delete photo")).click()
    expect(std(phone, "clean").get_by_role("button", name="Undo")).to_be_visible()
    phone.wait_for_timeout(6500)
    wait_saved(phone)
    assert _photos(visit.id) == []


def test_a_photo_deleted_while_its_upload_is_on_its_way_is_deleted_on_the_server_too(live_app, phone, factory):
    visit = open_form(phone, factory)
    held = []
    # The server stores the upload, but its answer is held back until the photo is gone from the phone.
    phone.route("**/api/v1/visits/*/photos", lambda route: held.append((route, route.fetch())))
    add_photo(phone, "clean")
    eventually(phone, lambda: held)
    assert len(held) == 1 and len(_photos(visit.id)) == 1
    std(phone, "clean").get_by_role("button", name=re.compile("Delete photo")).click()
    phone.wait_for_timeout(6500)  # past the undo window: the delete is kept, while the upload has no answer yet
    route, response = held[0]
    route.fulfill(response=response)
    wait_saved(phone)
    assert _photos(visit.id) == []
    expect(std(phone, "clean").locator(".thumbs li")).to_have_count(0)


def _photos(visit_id):
    from auditapp.extensions import db
    from auditapp.visits.models import Visit

    db.session.expire_all()
    return list(db.session.get(Visit, visit_id).photos)


def test_logout_with_unsent_work_asks_and_keeps_it_and_after_a_sync_clears_the_phone(live_app, phone, factory):
    visit = open_form(phone, factory)
    phone.context.set_offline(True)
    choose(phone, "greeted", "No")
    asked = []
    phone.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    phone.click("button:has-text('Log out')")
    eventually(phone, lambda: asked)
    assert asked and "1 changes are not sent yet" in asked[0] and "stay on this phone" in asked[0]
    assert phone.url.endswith("/form") and outbox(phone, visit.id)["answers"]["greeted"]["value"] == "no"

    phone.context.set_offline(False)
    wait_saved(phone)
    assert stored(visit.id) == {"greeted": "no"}
    name = phone.evaluate(f"({MODULE})('store.js').then((s) => 'auditapp-' + s.user)")
    phone.click("button:has-text('Log out')")
    phone.wait_for_url(re.compile(r"/login"))
    assert name not in [d["name"] for d in phone.evaluate("indexedDB.databases()")]


def test_leaving_with_unsent_work_warns_and_moving_within_the_app_does_not(live_app, phone, factory):
    open_form(phone, factory)
    phone.context.set_offline(True)
    choose(phone, "greeted", "No")
    phone.wait_for_timeout(300)
    warned = []
    phone.on("dialog", lambda d: (warned.append(d.type), d.dismiss()))
    phone.close(run_before_unload=True)
    phone.wait_for_timeout(500)
    assert warned == ["beforeunload"] and not phone.is_closed()


def test_unsent_work_downloads_as_one_file_with_its_photos(live_app, phone, factory):
    visit = open_form(phone, factory)
    phone.context.set_offline(True)
    choose(phone, "greeted", "No")
    add_photo(phone, "clean", "red")
    bar = phone.locator("#sync-bar")
    expect(bar.get_by_role("button", name="Download my unsynced data")).to_be_visible()
    with phone.expect_download() as download:
        bar.get_by_role("button", name="Download my unsynced data").click()
    data = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert [(c["key"], c["change"]["value"]) for c in data["changes"] if c["kind"] == "answer"] == [("greeted", "no")]
    assert [(p["visit"], p["standard"], p["data"][:23]) for p in data["photos"]] == [
        (str(visit.id), "clean", "data:image/jpeg;base64,")]
