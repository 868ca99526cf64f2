"""HR on a phone: opens the handbook of a role from the HR home, then that role's scores — numbers over enough
visits, thin cells named as such, and no page wider than the screen."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from ..visits.test_api import COMPLETE
from .conftest import assert_no_horizontal_scroll, login


def test_hr_reads_a_roles_handbook_then_its_scores(live_app, phone, factory):
    version = factory.concept()
    branch = factory.branch("AMS", name="Amstel")
    for day, greeted in ((3, "yes"), (10, "yes"), (17, "no")):
        factory.approved(factory.visit(version=version, branch=branch), {**COMPLETE, "greeted": greeted},
                         visited_at=datetime(2026, 4, day, 12))
    login(phone, factory.user("hr"))
    assert urlsplit(phone.url).path == "/hr"

    phone.click('tr[data-role="host"] a[href="/handbooks/mini/host"]')
    phone.wait_for_load_state("networkidle")
    assert phone.locator("h1").inner_text().startswith("Host")
    assert phone.locator("#critical-title").is_visible()
    assert phone.locator("#standard-greeted .why").inner_text() == "Why: First impression."
    assert phone.locator("#standard-friendliness .good").inner_text().endswith("5, the top of the scale from 1")
    assert phone.locator(".journey-stop.owned").count() == 1  # the welcome touchpoint is the host's
    assert phone.locator(".chart-narrow svg").is_visible()  # the chain's curve: HR may see scores
    assert_no_horizontal_scroll(phone)

    phone.click("text=Role scores")
    phone.wait_for_load_state("networkidle")
    assert urlsplit(phone.url).path == "/roles/scores"
    row = phone.locator('tr[data-branch="AMS"]')
    cells = row.locator("td")
    april = [cells.nth(i).inner_text() for i in range(cells.count())]
    expected = (100 * (1 + 0.75 + 0.5) / 3 * 2 + 100 * (0 + 0.75 + 0.5) / 3) / 3
    assert any(f"{expected:.1f}" in text and "n=3" in text for text in april)
    assert phone.locator("text=not enough visits").count() >= 1  # other months hold fewer than three
    assert_no_horizontal_scroll(phone)
