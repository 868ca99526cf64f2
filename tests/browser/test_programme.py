"""The programme run in the browser, at phone size: an admin uploads a concept with a mistake, sees it with its
path, fixes it and plans a round; an auditor finds their new visit; a manager reassigns one visit and cancels the
other with a reason."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

import sqlalchemy as sa

from auditapp.extensions import db
from auditapp.visits.models import Visit

from ..factories import DATA
from .conftest import assert_no_horizontal_scroll, log_out, login

MINI = (DATA / "mini.yaml").read_text()


def upload(page, text: str) -> None:
    page.set_input_files("input[type=file]", files=[{"name": "mini.yaml", "mimeType": "text/yaml",
                                                     "buffer": text.encode()}])
    page.click("input[name=upload]")
    page.wait_for_load_state("networkidle")


def test_admin_plans_a_round_auditor_sees_it_manager_reassigns_and_cancels(phone, factory):
    groningen = factory.branch("GRO", name="Harbour Groningen", region="North")
    leeuwarden = factory.branch("LEE", name="Harbour Leeuwarden", region="North")
    first, second = factory.user("auditor", name="Anna Auditor"), factory.user("auditor", name="Bert Auditor")
    manager = factory.user("manager")
    manager.regions = [groningen.region]
    db.session.commit()
    today = date.today()
    month = date(today.year + (today.month == 12), today.month % 12 + 1, 1)

    login(phone, factory.user("admin"))
    phone.goto("/concepts/upload")
    upload(phone, MINI.replace("type: scale, min: 1, max: 5", "type: scale, min: 1, max: five"))
    errors = phone.locator(".concept-errors")
    assert "phases[1].touchpoints[0].standards[1].max" in errors.inner_text()
    assert_no_horizontal_scroll(phone)
    upload(phone, MINI)
    assert "mini: version 1 imported" in phone.locator(".import-result").inner_text()

    phone.goto("/schedule/")
    phone.select_option("#round-concept", "mini")
    phone.fill("#round-month", f"{month:%Y-%m}")
    phone.select_option("#round-channel", "visit")
    phone.select_option("#round-region", "North")
    phone.click("input[name='round-plan_round']")
    phone.wait_for_load_state("networkidle")
    assert "Round planned: 2 visits." in phone.content()
    visits = db.session.scalars(sa.select(Visit).order_by(Visit.branch_id)).all()
    assert sorted(v.auditor_id for v in visits) == sorted([first.id, second.id])  # one each: even loads
    log_out(phone)

    mine = next(v for v in visits if v.auditor_id == first.id)
    login(phone, first)
    assert phone.locator(f'a[href="/visits/{mine.id}/briefing"]').count() >= 1
    log_out(phone)

    login(phone, manager)
    phone.goto("/schedule/")
    later = phone.locator("#list-later").locator("xpath=..")
    assert later.locator("li[data-visit]").count() == 2
    phone.click(f'li[data-visit="{mine.id}"] a')
    phone.wait_for_load_state("networkidle")
    assert "Anna Auditor" not in phone.content() and first.pseudonym in phone.content()
    phone.select_option("#change-auditor", str(second.id))
    phone.click("input[name='change-change']")
    phone.wait_for_load_state("networkidle")
    assert "Visit changed." in phone.content()
    assert_no_horizontal_scroll(phone)

    other = next(v for v in visits if v.id != mine.id)
    phone.goto(f"/schedule/visits/{other.id}")
    phone.fill("#cancel-reason", "Branch closed for renovation.")
    phone.click("input[name='cancel-cancel']")
    phone.wait_for_load_state("networkidle")
    assert "Branch closed for renovation." in phone.locator("#history-title").locator("xpath=..").inner_text()
    db.session.expire_all()
    assert db.session.get(Visit, mine.id).auditor_id == second.id
    assert db.session.get(Visit, other.id).status == "cancelled"
    assert urlsplit(phone.url).path == f"/schedule/visits/{other.id}"
