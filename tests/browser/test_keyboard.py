"""Keyboard only, on a small phone: log in, open a visit, answer, give an invalid value, reach its message, fix it and
submit. At every focus stop the focused element is on screen and not covered by the sticky bar (WCAG 2.4.7, 2.4.11);
and every control of the form has its standard's text in its accessible name."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from auditapp.extensions import db
from auditapp.photos.models import Photo
from auditapp.visits import services

from ..factories import PASSWORD
from .conftest import login, wait_saved

# Where the focused element is and what sits on top of it; a visually hidden radio is shown by its label.
FOCUS = """() => {
  const el = document.activeElement;
  const shown = el.getBoundingClientRect().width > 2 ? el : el.closest('label') || el;
  const r = shown.getBoundingClientRect();
  const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1), y = r.top + Math.min(r.height / 2, 20);
  const hit = y >= 0 && y < innerHeight ? document.elementFromPoint(x, y) : null;
  return {tag: el.tagName, name: el.name || '', text: (el.textContent || '').trim().slice(0, 40), id: el.id,
          top: r.top, bottom: r.bottom, height: innerHeight,
          covered: !hit || !(shown.contains(hit) || hit.contains(shown)),
          outline: getComputedStyle(el.matches(':focus-visible') ? el : document.body).outlineStyle};
}"""


def stop(page) -> dict:
    """The focus stop as it is now; fails when it is off screen or under something else."""
    f = page.evaluate(FOCUS)
    assert f["bottom"] > 0 and f["top"] < f["height"], f"focus is off screen: {f}"
    assert not f["covered"], f"focus is covered: {f}"
    return f


def tab_to(page, test, *, back: bool = False, limit: int = 120) -> dict:
    """Press Tab (or Shift+Tab) until the focused element passes `test`, checking every stop on the way."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        stops.append(f := stop(page))
        if test(f):
            return f
    raise AssertionError(f"never reached the element after {limit} stops: {stops[:6]}")


def test_keyboard_only_on_a_small_phone(live_app, phone, factory):
    version = factory.concept()
    visit = factory.visit(version=version, persona="solo", due=date.today() + timedelta(days=3))
    services.start_visit(visit, visit.auditor)
    factory.answered(visit, {"confirmed": "yes", "friendliness": 4, "upsell": "drink", "clean": "yes",
                             "dish": "Soup", "pilot": "no"})
    db.session.add_all([Photo(visit=visit, standard_key=key, file_key="0" * 64) for key in ("clean", "entrance")])
    db.session.commit()
    phone.set_viewport_size({"width": 360, "height": 740})

    phone.goto("/login")
    expect(phone.locator("input[name=email]")).to_be_focused()  # autofocus
    tab_to(phone, lambda f: f["text"] == "Skip to content", back=True)  # first on the page, and shown when focused
    tab_to(phone, lambda f: f["name"] == "email")
    phone.keyboard.type(visit.auditor.email)
    tab_to(phone, lambda f: f["name"] == "password")
    phone.keyboard.type(PASSWORD)
    phone.keyboard.press("Enter")
    phone.wait_for_url(re.compile(r"/visits/$"))

    tab_to(phone, lambda f: f["tag"] == "A" and visit.branch.name in f["text"])
    phone.keyboard.press("Enter")
    phone.wait_for_url(re.compile(rf"/visits/{visit.id}/form"))
    phone.wait_for_load_state("networkidle")

    tab_to(phone, lambda f: f["name"] == "v-greeted")
    phone.keyboard.press("Space")
    expect(phone.locator('input[name="v-greeted"][value="yes"]')).to_be_checked()
    tab_to(phone, lambda f: f["name"] == "v-wait")
    phone.keyboard.type("lots")
    phone.keyboard.press("Tab")
    expect(phone.locator("#err-wait")).to_have_text("must be a number")
    wait = phone.locator('input[name="v-wait"]')
    expect(wait).to_have_attribute("aria-invalid", "true")
    expect(wait).to_have_attribute("aria-describedby", "err-wait")

    tab_to(phone, lambda f: f["name"] == "v-wait", back=True)  # back to the field; its message is in view with it
    box = phone.locator("#err-wait").bounding_box()
    assert box and 0 < box["y"] and box["y"] + box["height"] < 740
    phone.keyboard.press("Control+A")
    phone.keyboard.type("4")
    phone.keyboard.press("Tab")
    wait_saved(phone)
    expect(phone.locator("#err-wait")).to_be_hidden()
    expect(wait).not_to_have_attribute("aria-invalid", "true")

    tab_to(phone, lambda f: f["text"] == "Review and submit")
    tab_to(phone, lambda f: f["tag"] == "A" and f["text"] == "Skip to content", back=True, limit=200)  # all the way up
    tab_to(phone, lambda f: f["text"] == "Review and submit", limit=200)
    phone.keyboard.press("Enter")
    phone.wait_for_url(re.compile(rf"/visits/{visit.id}/submit"))
    tab_to(phone, lambda f: f["text"] == "Submit for review")
    phone.keyboard.press("Enter")
    phone.wait_for_url(re.compile(rf"/visits/{visit.id}/thanks"))
    db.session.expire_all()
    assert visit.status == "submitted"


def test_every_control_of_the_visit_form_names_its_standard(live_app, phone, factory):
    visit = factory.visit(version=factory.concept())
    services.start_visit(visit, visit.auditor)
    content = visit.concept_version.content
    pictured = next(st for _tp, st in content.for_channel(visit.channel).standards() if st.photo != "none")
    db.session.add(Photo(visit=visit, standard_key=pictured.key, file_key="0" * 64, caption=""))
    db.session.commit()
    login(phone, visit.auditor)
    phone.goto(f"/visits/{visit.id}/form")
    expect(phone.get_by_role("textbox", name=f"Caption for: {pictured.text}")).to_have_count(1)
    expect(phone.get_by_role("button", name=f"Delete photo of: {pictured.text}")).to_have_count(1)
    checked = 0
    for _tp, st in content.for_channel(visit.channel).standards():
        if st.type in ("yesno", "scale", "choice"):
            expect(phone.get_by_role("radiogroup", name=st.text)).to_have_count(1)
        elif st.type in ("number", "text"):
            expect(phone.get_by_role("textbox", name=st.text)).to_have_count(1)
        # closed in its <details> until opened, so hidden from the tree for now
        expect(phone.get_by_role("textbox", name=f"Comment on: {st.text}", include_hidden=True)
               ).to_have_count(1)
        if st.photo != "none":
            expect(phone.get_by_role("button", name=f"Photo for: {st.text}").or_(
                phone.get_by_label(f"Photo for: {st.text}"))).to_have_count(1)
        checked += 1
    assert checked >= 8
    expect(phone.get_by_role("progressbar", name=re.compile(r"answered"))).to_have_count(1)
    expect(phone.get_by_role("heading", level=1)).to_contain_text(visit.branch.name)
