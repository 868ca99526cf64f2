"""Nothing typed on the form is lost, whatever the server answers: a lost session, a visit closed behind
the form's back, a refused value, a full phone. The auditor is told what happened and what to do."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from urllib.parse import unquote

import pytest
from PIL import Image
from playwright.sync_api import expect

from auditapp.extensions import db
from auditapp.visits import services
from auditapp.visits.models import Visit

from ..factories import PASSWORD
from .conftest import assert_no_horizontal_scroll, choose, login, outbox, settle, std, stored, wait_saved

SOON = date.today() + timedelta(days=7)


def open_form(phone, factory) -> Visit:
    """An auditor with a started visit, its form open and the phone's visit time saved."""
    visit = factory.visit(due=SOON)
    services.start_visit(visit, visit.auditor)
    login(phone, visit.auditor)
    phone.goto(f"/visits/{visit.id}/form")
    wait_saved(phone)
    return visit


def small_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(out, "PNG")
    return out.getvalue()


def puts(phone) -> list[dict]:
    """Collect the bodies of the answer saves the page sends from now on."""
    bodies: list[dict] = []
    phone.on("request", lambda r: bodies.append(r.post_data_json) if r.method == "PUT" else None)
    return bodies


def values(bodies: list[dict]) -> list[list[tuple]]:
    """What each save sent, without the change times."""
    return [[(a["standard"], a["value"]) for a in b["answers"]] for b in bodies]


def test_a_session_lost_mid_visit_keeps_every_answer_and_photo_through_a_new_login(live_app, phone, factory):
    visit = open_form(phone, factory)
    choose(phone, "greeted", "Yes")
    wait_saved(phone)

    phone.context.clear_cookies()  # the session ended: expired, logged out elsewhere, or a new server key
    choose(phone, "friendliness", "4")
    choose(phone, "upsell", "A drink")
    std(phone, "dish").locator("textarea[name=v-dish]").fill("Soup of the day")
    std(phone, "clean").locator("input[type=file]").set_input_files(
        {"name": "table.png", "mimeType": "image/png", "buffer": small_png()})
    notice = phone.locator("#sync-notice")
    expect(notice).to_contain_text("Your session has ended. Your answers stay on this phone")
    expect(phone.locator("#save-status")).to_contain_text("Log in again to send")
    expect(std(phone, "clean").locator(".photo-state")).to_have_text("On this phone")
    box = outbox(phone, visit.id)
    assert box["answers"] == {"friendliness": {"value": "4", "comment": ""}, "upsell": {"value": "drink", "comment": ""},
                              "dish": {"value": "Soup of the day", "comment": ""}}
    assert [p["state"] for p in box["photos"]] == ["waiting"]
    assert stored(visit.id) == {"greeted": "yes"}
    assert_no_horizontal_scroll(phone, 360)

    link = notice.get_by_role("link", name="Log in again")
    assert unquote(link.get_attribute("href")) == f"/login?next=/visits/{visit.id}/form"
    link.click()
    phone.fill("input[name=email]", visit.auditor.email)
    phone.fill("input[name=password]", PASSWORD)
    phone.click("button[type=submit]")
    phone.wait_for_url(re.compile(rf"/visits/{visit.id}/form$"))

    for key, value in (("greeted", "yes"), ("friendliness", "4"), ("upsell", "drink")):
        expect(phone.locator(f'input[name="v-{key}"][value="{value}"]')).to_be_checked()
    expect(std(phone, "dish").locator("textarea[name=v-dish]")).to_have_value("Soup of the day")
    wait_saved(phone)
    expect(notice).to_be_hidden()
    expect(std(phone, "clean").locator(".photo-state")).to_have_text("Synced")
    assert outbox(phone, visit.id) is None
    assert stored(visit.id) == {"greeted": "yes", "friendliness": 4, "upsell": "drink", "dish": "Soup of the day"}
    db.session.expire_all()
    assert [p.standard_key for p in db.session.get(Visit, visit.id).photos] == ["clean"]


def test_a_login_in_another_tab_fetches_a_fresh_token_and_loses_nothing(live_app, phone, factory):
    visit = open_form(phone, factory)
    phone.context.clear_cookies()
    other = phone.context.new_page()  # a new session, so this page's CSRF token no longer matches
    login(other, visit.auditor)
    other.close()

    choose(phone, "greeted", "No")
    wait_saved(phone)  # refused for the stale token once, then sent again with the session's own
    expect(phone.locator("#sync-notice")).to_be_hidden()
    assert stored(visit.id) == {"greeted": "no"}
    assert outbox(phone, visit.id) is None


CLOSED = {
    "submitted": ("locked", "This visit was submitted or approved elsewhere and can no longer be changed."),
    "given to another auditor": ("gone", "This visit is no longer yours to fill in."),
}


@pytest.mark.parametrize("closed", CLOSED)
def test_a_visit_closed_behind_the_forms_back_keeps_the_unsent_answers_on_the_phone(live_app, phone, factory, closed):
    visit = open_form(phone, factory)
    if closed == "submitted":
        visit.status = "submitted"
    else:
        visit.auditor = factory.user("auditor")
    db.session.commit()
    sent = puts(phone)

    choose(phone, "friendliness", "2")
    state, message = CLOSED[closed]
    expect(phone.locator("#sync-notice")).to_contain_text(message)
    expect(phone.locator("#sync-notice")).to_contain_text("they stay on this phone")
    expect(phone.locator("#sync-notice").get_by_role("button", name="Download my unsynced data")).to_be_visible()
    expect(phone.locator("#save-status")).to_have_text("Not sent")
    box = outbox(phone, visit.id)
    assert box["answers"] == {"friendliness": {"value": "2", "comment": ""}}
    assert box["halted"]["state"] == state
    assert len(sent) == 1

    # Neither the sync timer nor more answers ask the server again; what is typed is still kept.
    settle(phone)
    choose(phone, "upsell", "A drink")
    settle(phone)
    assert outbox(phone, visit.id)["answers"] == {"friendliness": {"value": "2", "comment": ""},
                                                  "upsell": {"value": "drink", "comment": ""}}
    assert len(sent) == 1
    assert stored(visit.id) == {}

    if closed == "submitted":  # the reviewer returns it: the kept answers go out when the form opens again
        visit.status = "returned"
        db.session.commit()
        phone.goto(f"/visits/{visit.id}/form")
        wait_saved(phone)
        assert stored(visit.id) == {"friendliness": 2, "upsell": "drink"}
        assert outbox(phone, visit.id) is None


def test_a_refused_value_stays_marked_on_the_phone_and_is_not_sent_again_until_changed(live_app, phone, factory):
    visit = open_form(phone, factory)
    sent = puts(phone)
    wait = std(phone, "wait").locator('input[name="v-wait"]')
    wait.fill("abc")
    wait.press("Tab")
    expect(phone.locator("#err-wait")).to_have_text("must be a number")
    expect(std(phone, "wait")).to_have_class(re.compile(r"\bhas-error\b"))
    expect(phone.locator("#save-status")).to_have_text("Not sent — see the marked answer")

    choose(phone, "greeted", "Yes")  # the other answers still go out
    settle(phone)
    assert stored(visit.id) == {"greeted": "yes"}
    box = outbox(phone, visit.id)
    assert box["answers"] == {"wait": {"value": "abc", "comment": ""}} and box["refused"] == {"wait": "must be a number"}
    expect(phone.locator("#save-status")).to_have_text("Not sent — see the marked answer")
    assert ("wait", "abc") in values(sent)[0] and values(sent)[-1] == [("greeted", "yes")]
    count = len(sent)

    phone.reload()  # still there, still marked, still not sent
    expect(wait).to_have_value("abc")
    expect(phone.locator("#err-wait")).to_have_text("must be a number")
    settle(phone)
    assert len(puts(phone)) == 0 and len(sent) == count

    wait.fill("4")
    wait.press("Tab")
    wait_saved(phone)
    expect(phone.locator("#err-wait")).to_be_hidden()
    assert stored(visit.id) == {"greeted": "yes", "wait": 4}
    assert outbox(phone, visit.id) is None


def test_a_full_phone_says_so_and_still_sends_what_it_cannot_keep(live_app, phone, factory):
    visit = factory.visit(due=SOON)
    login(phone, visit.auditor)
    # Every write to the phone's storage is refused, as on a full phone.
    phone.add_init_script("IDBObjectStore.prototype.put = function () {"
                          " throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };")
    phone.goto(f"/visits/{visit.id}/form")
    choose(phone, "greeted", "Yes")
    expect(phone.locator("#sync-notice")).to_contain_text("This phone has no storage left")
    expect(phone.locator("#save-status")).to_have_text("Sent, but not kept on this phone: its storage is full")
    assert stored(visit.id) == {"greeted": "yes"}
    expect(phone.locator('input[name="v-greeted"][value="yes"]')).to_be_checked()
