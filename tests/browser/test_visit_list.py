"""The auditor's paged list of submitted visits on a phone: axe-clean on both pages, the pager's links found by
their names in a named navigation, and "Newer" back at the first page's submitted list."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from playwright.sync_api import expect

from auditapp.extensions import db
from auditapp.visits.queries import DONE_PAGE

from .conftest import login
from .test_accessibility import check


def test_the_submitted_list_pages_by_named_links_and_passes_axe(live_app, phone, factory):
    version, auditor = factory.concept(), factory.user("auditor")
    factory.visit(version=version, branch=factory.branch(name="Dune Inn"), auditor=auditor)  # still open
    for n in range(DONE_PAGE + 3):
        visit = factory.visit(version=version, branch=factory.branch(name=f"Branch {n:02d}"), auditor=auditor)
        visit.status, visit.submitted_at = "submitted", datetime(2026, 1, 1, 9) + timedelta(days=n)
    db.session.commit()
    login(phone, auditor)
    found: dict[str, list[str]] = {}
    pager = phone.get_by_role("navigation", name="Pages of submitted visits")

    expect(phone.locator(".done li")).to_have_count(DONE_PAGE)
    expect(phone.locator(".done li").first).to_contain_text("Branch 22")  # the last submitted on top
    check(phone, "visits page 1", found)
    pager.get_by_role("link", name="Older").click()
    phone.wait_for_url(re.compile(r"/visits/\?page=2#submitted$"))
    expect(phone.locator(".done li")).to_have_count(3)
    expect(phone.locator(".done li").last).to_contain_text("Branch 00")
    expect(phone.get_by_role("heading", name="Submitted")).to_be_in_viewport()
    check(phone, "visits page 2", found)
    pager.get_by_role("link", name="Newer").click()
    phone.wait_for_url(re.compile(r"/visits/#submitted$"))
    expect(phone.locator(".done li")).to_have_count(DONE_PAGE)
    assert not any(found.values()), found
