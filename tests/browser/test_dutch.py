"""A Dutch mystery guest, on a phone, fills in and submits the Dutch retail concept: every word on the way is Dutch."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from auditapp.extensions import db
from auditapp.visits.models import Visit

from ..i18n.catalogue import translations
from .conftest import login, std, stored, wait_saved
from .offline import jpeg

NL = translations("nl")


def nl(message: str) -> str:
    return NL.get(message).string


def test_a_dutch_auditor_fills_in_and_submits_the_dutch_retail_concept(live_app, phone, factory):
    version = factory.showcase("winkelbezoek")
    branch = factory.branch(name="Harbour Huis Haarlem", city="Haarlem")
    auditor = factory.user("auditor")
    auditor.language = "nl"
    db.session.commit()
    persona = version.content.personas[0].key
    visit = factory.visit(version=version, branch=branch, auditor=auditor, persona=persona,
                          due=date.today() + timedelta(days=2))
    form = version.content.for_channel("visit")

    login(phone, auditor)
    expect(phone.locator("html")).to_have_attribute("lang", "nl")
    phone.get_by_role("link", name=re.compile("Harbour Huis Haarlem")).click()
    expect(phone.get_by_text(version.content.personas[0].briefing)).to_be_visible()
    phone.get_by_role("button", name=nl("Start")).click()
    phone.wait_for_url(re.compile(rf"/visits/{visit.id}/form"))
    expect(phone.get_by_role("heading", name=form.phases[0].name)).to_be_visible()

    answered = {}
    for tp, st in form.standards():
        block = std(phone, st.key)
        if st.type in ("yesno", "scale", "choice"):
            block.locator("[role=radiogroup] label").first.click()
            answered[st.key] = True
        elif st.type == "number":
            block.locator(f'input[name="v-{st.key}"]').fill("2")
            answered[st.key] = True
        elif st.type == "text":
            block.locator(f'textarea[name="v-{st.key}"]').fill("Vriendelijk geholpen, ook zonder aankoop.")
            answered[st.key] = True
        if st.type == "photo" or st.photo == "required":
            block.locator("input[type=file]").first.set_input_files(
                {"name": "winkel.jpg", "mimeType": "image/jpeg", "buffer": jpeg("orange")})
            expect(block.locator(".thumbs li[data-photo-id]")).to_have_count(1, timeout=20_000)
            expect(block.locator(".photo-state")).to_have_text([nl("Synced")])
    wait_saved(phone, nl("Synced"))
    expect(phone.locator("#save-status")).to_have_text(nl("Synced"))

    phone.get_by_role("button", name=nl("Review and submit")).click()
    phone.wait_for_url(re.compile(rf"/visits/{visit.id}/submit"))
    expect(phone.get_by_text(nl("Everything required is filled in. After submitting you can no longer change "
                                "the answers."))).to_be_visible()
    phone.get_by_role("button", name=nl("Submit for review")).click()
    phone.wait_for_url(re.compile(rf"/visits/{visit.id}/thanks"))
    expect(phone.get_by_role("heading", name=nl("Thank you!"))).to_be_visible()
    phone.goto("/visits/")  # the sync bar's words come from the page, so its JavaScript speaks Dutch too
    expect(phone.locator("#sync-bar .sync-text")).to_have_text(nl("Everything is synced"))

    db.session.expire_all()
    assert db.session.get(Visit, visit.id).status == "submitted"
    assert set(stored(visit.id)) == set(answered)

