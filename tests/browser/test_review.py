"""A manager on a phone approves one visit and returns another with a comment; the auditor then finds the
returned visit in their list with that comment. Report pages stay within a 360 px screen."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlsplit

from auditapp.extensions import db
from auditapp.photos.services import PhotoUpload, add_photo, photo_store
from auditapp.visits import services as visit_services

from ..reports.dataset import ANSWERS, fill, jpeg_bytes
from .conftest import assert_no_horizontal_scroll, log_out, login

COMMENT = "Please add a photo of the table and say how long you waited."


def submitted_visit(factory, live_app, branch, auditor, version, day: int, photo: bool = False):
    visit = factory.visit(version=version, branch=branch, auditor=auditor, persona="solo", due=date(2026, 11, day))
    if photo:
        add_photo(visit, auditor, PhotoUpload(data=jpeg_bytes((40, 120, 200), (1200, 900)), standard="clean",
                                              caption="Table by the window"),
                  photo_store(live_app.config["UPLOAD_DIR"]), 15 * 1024 * 1024)
    fill(factory, visit, ANSWERS["FAIR"], datetime(2026, 11, day, 19, 0))
    return visit_services.submit_visit(visit, auditor)


def test_manager_approves_and_returns_then_auditor_sees_the_comment(live_app, phone, factory):
    version = factory.concept()
    branch = factory.branch("AMS", name="Amstel")
    manager = factory.user("manager", branches=(branch,))
    auditor = factory.user("auditor", name="Anna Auditor")
    first = submitted_visit(factory, live_app, branch, auditor, version, 2, photo=True)
    second = submitted_visit(factory, live_app, branch, auditor, version, 3)

    login(phone, manager)
    assert urlsplit(phone.url).path == "/manager"
    assert phone.locator(f'a[href="/review/visits/{first.id}"]').is_visible()
    assert_no_horizontal_scroll(phone)

    phone.click(f'a[href="/review/visits/{first.id}"]')
    phone.wait_for_load_state("networkidle")
    assert phone.locator("h1").inner_text().startswith("Amstel")
    assert auditor.pseudonym in phone.content() and "Anna Auditor" not in phone.content()
    assert phone.locator(".chart-narrow svg.chart").is_visible()
    assert_no_horizontal_scroll(phone)
    # Tap a thumbnail: the photo opens full size without any script; tap again to close.
    photo_id = first.photos[0].id
    phone.click(f'a[href="#photo-{photo_id}"]')
    big = phone.locator(f"#photo-{photo_id} img")
    big.wait_for(state="visible")
    assert big.evaluate("img => img.complete && img.naturalWidth") == 1200
    phone.click(f"#photo-{photo_id} .lightbox-close")
    big.wait_for(state="hidden")
    # Open, then close with the phone's Back button: the photo closes and the review page stays.
    phone.click(f'a[href="#photo-{photo_id}"]')
    big.wait_for(state="visible")
    phone.go_back()
    big.wait_for(state="hidden")
    assert urlsplit(phone.url).path == f"/review/visits/{first.id}"
    # Closing by tap leaves no history entry that Back would reopen the photo from.
    phone.click(f'a[href="#photo-{photo_id}"]')
    big.wait_for(state="visible")
    phone.click(f"#photo-{photo_id} .lightbox-close")
    big.wait_for(state="hidden")
    phone.go_back()
    phone.wait_for_load_state("networkidle")
    assert urlsplit(phone.url).path == "/manager"
    phone.go_forward()
    phone.wait_for_load_state("networkidle")
    assert not big.is_visible()

    # The decision is one tap away from the top of a long visit, and its buttons keep their words whole at 360 px.
    phone.evaluate("window.scrollTo(0, 0)")
    jump = phone.locator(".decision-jump a")
    assert jump.is_visible()
    jump.click()
    send_back = phone.locator("input[name=send_back]")
    assert send_back.is_visible()
    box = send_back.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert send_back.evaluate("el => el.scrollWidth <= el.clientWidth")

    phone.click("input[name=approve]")
    phone.wait_for_load_state("networkidle")
    assert urlsplit(phone.url).path == "/manager"
    assert "Visit approved." in phone.content()

    phone.click(f'a[href="/review/visits/{second.id}"]')
    phone.wait_for_load_state("networkidle")
    phone.click("input[name=send_back]")  # no comment yet: refused at the field
    phone.wait_for_load_state("networkidle")
    assert phone.locator("#comment-error").is_visible()
    phone.fill("textarea[name=comment]", COMMENT)
    phone.click("input[name=send_back]")
    phone.wait_for_load_state("networkidle")
    assert urlsplit(phone.url).path == "/manager"
    assert "Visit returned to the auditor." in phone.content()
    assert phone.locator("a[href^='/review/visits/']").count() == 0  # the queue is empty

    db.session.expire_all()
    assert db.session.get(type(first), first.id).status == "approved"
    assert db.session.get(type(second), second.id).status == "returned"

    log_out(phone)
    login(phone, auditor)
    phone.goto("/visits/")
    returned = phone.locator("li.returned")
    assert returned.count() == 1
    assert COMMENT in returned.inner_text()
    assert returned.locator(f'a[href="/visits/{second.id}/form"]').count() == 1
    # The API the auditor's app reads says the same.
    api = phone.request.get("/api/v1/visits?status=returned").json()
    assert [v["id"] for v in api] == [second.id]
    detail = phone.request.get(f"/api/v1/visits/{second.id}").json()
    assert detail["history"][-1]["comment"] == COMMENT


def test_report_pages_fit_a_small_phone(live_app, phone, factory):
    version = factory.showcase("hotel-stay")  # many touchpoints: the heatmap is wider than the phone
    content = version.content
    branch = factory.branch("AMS", name="Amstel")
    manager = factory.user("manager", branches=(branch,))
    admin = factory.user("admin")
    for day in (3, 10, 17):
        visit = factory.visit(version=version, branch=branch, channel="visit")
        answers = {st.key: ("yes" if st.type == "yesno" else None) for _tp, st in content.for_channel("visit").standards()}
        factory.approved(visit, {k: v for k, v in answers.items() if v is not None} | _other_answers(content),
                         reviewer=admin, visited_at=datetime(2026, 10, day, 12))
    db.session.commit()
    login(phone, manager)
    for url in [f"/reports/branches/{branch.id}?concept=hotel-stay", "/reports/?concept=hotel-stay"]:
        phone.goto(url)
        phone.wait_for_load_state("networkidle")
        assert phone.locator(".heatmap").count() == 1
        assert_no_horizontal_scroll(phone)
        scroller = phone.locator(".table-scroll").last
        assert scroller.evaluate("el => el.scrollWidth > el.clientWidth")  # the table scrolls, not the page


def _other_answers(content) -> dict:
    """A valid answer for every non-yes/no standard of the visit form."""
    out = {}
    for _tp, st in content.for_channel("visit").standards():
        if st.type == "scale":
            out[st.key] = int(st.max)
        elif st.type == "choice":
            out[st.key] = st.options[-1].key
        elif st.type == "number":
            out[st.key] = 1
        elif st.type == "text":
            out[st.key] = "Fine"
    return out
