"""The admin lands on the administration overview on a phone; it and a concept page stay within 360 px."""

from __future__ import annotations

from urllib.parse import urlsplit

from .conftest import assert_no_horizontal_scroll, login


def test_admin_lands_on_the_overview_and_reads_a_concept_on_a_small_phone(phone, factory):
    version = factory.concept()
    branch = factory.branch("AMS", name="Amstel Hotel and Conference Centre", city="Amsterdam", region="North")
    factory.user("manager", name="Mia Manager", email="mia.manager.with.a.long.address@example.test",
                 branches=(branch, factory.branch("MAA"), factory.branch("UTR")))
    factory.visit(version=version, branch=branch)
    admin = factory.user("admin")

    login(phone, admin)
    assert urlsplit(phone.url).path == "/admin/"
    assert phone.locator("#users-title").is_visible()
    assert phone.locator("text=mia.manager.with.a.long.address@example.test").is_visible()
    assert_no_horizontal_scroll(phone)

    phone.click('a[href="/admin/concepts/mini"]')
    phone.wait_for_load_state("networkidle")
    assert phone.locator("h1").inner_text().startswith("Mini concept")
    assert phone.locator("text=Greeted within a minute.").is_visible()
    assert_no_horizontal_scroll(phone)
