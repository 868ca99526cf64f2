"""The mystery guest's path on a phone: briefing, start, every control, photos, reload, offline, submit."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import sqlalchemy as sa
from playwright.sync_api import expect

from auditapp.extensions import db
from auditapp.photos.models import Photo
from auditapp.visits import services
from auditapp.visits.models import Visit

from .conftest import assert_no_horizontal_scroll, choose, login, outbox, std, stored, wait_saved

SOON = date.today() + timedelta(days=7)


def test_auditor_fills_in_a_visit_with_photos_reload_and_submit(live_app, phone, factory, samples):
    branch = factory.branch(name="Harbour Kitchen", city="Leiden")
    visit = factory.visit(branch=branch, persona="solo", due=SOON)
    auditor = visit.auditor
    login(phone, auditor)
    assert phone.url.endswith("/visits/")
    phone.get_by_role("link", name=re.compile("Harbour Kitchen")).click()

    expect(phone.get_by_role("heading", name="Harbour Kitchen")).to_be_visible()
    expect(phone.get_by_text("You come alone and ask for a quiet table.")).to_be_visible()
    phone.get_by_role("button", name="Start").click()
    phone.wait_for_url(re.compile(rf"/visits/{visit.id}/form"))

    # First half, then a reload: the answers must still be there.
    choose(phone, "confirmed", "Yes")
    choose(phone, "greeted", "Yes")
    choose(phone, "friendliness", "4")
    choose(phone, "upsell", "A drink")
    wait_saved(phone)
    expect(phone.locator("#answered")).to_have_text("4")
    phone.reload()
    for key, value in (("confirmed", "yes"), ("greeted", "yes"), ("friendliness", "4"), ("upsell", "drink")):
        expect(phone.locator(f'input[name="v-{key}"][value="{value}"]')).to_be_checked()
    expect(phone.locator("#answered")).to_have_text("4")

    choose(phone, "clean", "Yes")
    std(phone, "wait").locator('input[name="v-wait"]').fill("3")
    std(phone, "dish").locator("textarea[name=v-dish]").fill("Soup of the day")
    choose(phone, "pilot", "No")
    std(phone, "greeted").locator("summary", has_text="Comment").click()
    std(phone, "greeted").locator("textarea[name=c-greeted]").fill("Smiled at once.")
    phone.locator("#remarks").fill("A quiet Tuesday.")

    # A 12 MP iPhone JPEG is shrunk on the phone before it is sent; a HEIC (which Chromium cannot decode) goes as is.
    uploads = []
    phone.on("request", lambda r: uploads.append(len(r.post_data_buffer or b""))
             if r.method == "POST" and r.url.endswith("/photos") else None)
    big = samples / "hdr_iphone_hdr_YES.jpg"
    std(phone, "clean").locator('input[type=file]').set_input_files(str(big))
    expect(std(phone, "clean").locator(".thumbs li[data-photo-id]")).to_have_count(1, timeout=20_000)
    std(phone, "entrance").locator('input[type=file]').set_input_files(str(samples / "mobile_iphone_13_pro_max.HEIC"))
    expect(std(phone, "entrance").locator(".thumbs li[data-photo-id]")).to_have_count(1, timeout=20_000)
    assert uploads[0] < big.stat().st_size / 2
    std(phone, "clean").locator('.thumbs input[type=text]').fill("Table 4")
    std(phone, "clean").locator('.thumbs input[type=text]').press("Tab")
    wait_saved(phone)
    expect(phone.locator("#answered")).to_have_text("9")
    thumb = std(phone, "clean").locator(".thumbs img")
    expect(thumb).to_have_js_property("complete", True)
    assert thumb.evaluate("img => img.naturalWidth") > 0

    phone.get_by_role("button", name="Review and submit").click()
    phone.wait_for_url(re.compile(rf"/visits/{visit.id}/submit"))
    expect(phone.get_by_text("Everything required is filled in.")).to_be_visible()
    phone.get_by_role("button", name="Submit for review").click()
    phone.wait_for_url(re.compile(rf"/visits/{visit.id}/thanks"))
    expect(phone.get_by_role("heading", name="Thank you!")).to_be_visible()

    db.session.expire_all()
    visit = db.session.get(Visit, visit.id)
    assert visit.status == "submitted"
    assert stored(visit.id) == {"confirmed": "yes", "greeted": "yes", "friendliness": 4, "upsell": "drink",
                                "clean": "yes", "wait": 3, "dish": "Soup of the day", "pilot": "no"}
    assert {a.standard_key: a.comment for a in visit.answers}["greeted"] == "Smiled at once."
    assert visit.remarks == "A quiet Tuesday." and visit.visited_at is not None
    photos = db.session.scalars(sa.select(Photo).where(Photo.visit_id == visit.id).order_by(Photo.id)).all()
    assert [(p.standard_key, p.caption) for p in photos] == [("clean", "Table 4"), ("entrance", "")]
    assert photos[1].height > photos[1].width  # the HEIC is a portrait photo

    # Afterwards the visit is read-only to the auditor.
    phone.goto(f"/visits/{visit.id}/form")
    expect(phone.get_by_text("can no longer be changed")).to_be_visible()
    assert phone.locator("input[type=radio]").count() == 0


def test_answers_made_offline_wait_in_the_outbox_and_are_sent_when_back_online(live_app, phone, factory):
    visit = factory.visit(due=SOON)
    services.start_visit(visit, visit.auditor)
    login(phone, visit.auditor)
    phone.goto(f"/visits/{visit.id}/form")
    wait_saved(phone)  # the visit time the phone filled in

    phone.context.set_offline(True)
    choose(phone, "greeted", "No")
    choose(phone, "friendliness", "2")
    expect(phone.locator("#save-status")).to_have_text(re.compile(r"^Saved on this phone · 2 changes waiting"))
    assert outbox(phone, visit.id)["answers"] == {"greeted": {"value": "no", "comment": ""},
                                                  "friendliness": {"value": "2", "comment": ""}}
    assert "greeted" not in stored(visit.id)

    phone.context.set_offline(False)
    wait_saved(phone)
    assert outbox(phone, visit.id) is None
    assert stored(visit.id) == {"greeted": "no", "friendliness": 2}


def test_no_page_of_the_auditors_path_scrolls_sideways(live_app, phone, factory):
    auditor = factory.user("auditor")
    branch = factory.branch(name="The Grand Harbour Hotel and Conference Centre Waterfront", city="Scheveningen")
    hotel = factory.visit(version=factory.showcase("hotel-stay"), branch=branch, auditor=auditor,
                          persona="family", due=SOON)
    done = factory.visit(auditor=auditor, due=SOON)
    factory.answered(done, {"confirmed": "yes", "greeted": "yes", "friendliness": 4, "upsell": "drink",
                            "clean": "yes", "wait": 3, "dish": "Soup", "pilot": "no"})
    db.session.add_all([Photo(visit_id=done.id, standard_key=k, file_key="0" * 64) for k in ("clean", "entrance")])
    db.session.commit()
    services.submit_visit(done, auditor)

    login(phone, auditor)
    for url in ("/visits/", f"/visits/{hotel.id}/briefing"):
        phone.goto(url)
        assert_no_horizontal_scroll(phone, 360)
    phone.get_by_role("button", name="Start").click()
    phone.wait_for_url(re.compile(rf"/visits/{hotel.id}/form"))
    assert phone.locator(".std").count() > 40
    assert_no_horizontal_scroll(phone, 360)
    for url in (f"/visits/{hotel.id}/submit", f"/visits/{done.id}/thanks", f"/visits/{done.id}"):
        phone.goto(url)
        assert_no_horizontal_scroll(phone, 360)


def test_without_javascript_the_form_posts_and_shows_errors_at_the_fields(live_app, browser, live_url, factory):
    visit = factory.visit(due=SOON)
    context = browser.new_context(java_script_enabled=False, base_url=live_url, viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        login(page, visit.auditor)
        page.goto(f"/visits/{visit.id}/form")
        choose(page, "greeted", "Yes")
        choose(page, "friendliness", "5")
        std(page, "wait").locator('input[name="v-wait"]').fill("abc")
        page.locator("#remarks").fill("Written without JavaScript.")
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.locator("#err-wait")).to_have_text("must be a number")
        expect(page.locator('input[name="v-greeted"][value="yes"]')).to_be_checked()
        expect(page.locator('input[name="v-wait"]')).to_have_value("abc")
        expect(page.locator("#remarks")).to_have_value("Written without JavaScript.")
        assert stored(visit.id) == {}

        std(page, "wait").locator('input[name="v-wait"]').fill("2")
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_text("Saved.")).to_be_visible()
        assert stored(visit.id) == {"greeted": "yes", "friendliness": 5, "wait": 2}
        assert_no_horizontal_scroll(page, 360)
    finally:
        context.close()
