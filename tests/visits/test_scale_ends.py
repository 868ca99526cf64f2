"""The meaning of a scale's ends reaches the auditor: under the buttons, read with the group, in the API's form and on
the read-only answers; the admin sees them in the preview and on the concept page."""

from __future__ import annotations

import re

import pytest

from auditapp.extensions import db

from ..factories import DATA


@pytest.fixture
def hotel(factory, auth):
    visit = factory.visit(version=factory.showcase("hotel-stay"))
    auth.login(visit.auditor)
    return visit


def standards(form: dict) -> dict:
    return {st["key"]: st for phase in form["phases"] for tp in phase["touchpoints"] for st in tp["standards"]}


def test_the_form_shows_the_ends_and_the_group_is_described_by_them(auth, hotel):
    html = auth.client.get(f"/visits/{hotel.id}/form").get_data(as_text=True)
    assert '<p class="scale-ends" id="ends-checkin-warmth"><span class="scale-min">1 = Cold, hurried</span>' in html
    assert '<span class="scale-max">5 = Warm, personal</span>' in html
    assert 'data-describedby="ends-checkin-warmth" aria-describedby="ends-checkin-warmth"' in html
    assert 'id="ends-website-impression"' not in html  # a scale without labels shows none


def test_the_api_form_carries_the_labels_of_scales_only(auth, hotel):
    form = standards(auth.api("GET", f"/api/v1/visits/{hotel.id}").json["form"])
    assert form["checkin-warmth"]["labels"] == {"min": "Cold, hurried", "max": "Warm, personal"}
    assert form["website-impression"]["labels"] is None
    assert "labels" not in next(st for st in form.values() if st["type"] == "yesno")


def scale_row(html: str, text: str) -> str:
    """What the read-only answers page shows for one standard."""
    return re.search(rf"<dt>{re.escape(text)}</dt>\s*<dd>(.*?)</dd>", html, re.S).group(1)


def test_the_read_only_answers_show_the_ends_beside_a_scale_answer(auth, factory, hotel):
    factory.answered(hotel, {"checkin-warmth": 4, "website-impression": 2})
    hotel.status = "submitted"  # the answers page, without filling in all of the hotel form
    db.session.commit()
    html = auth.client.get(f"/visits/{hotel.id}").get_data(as_text=True)
    warmth = scale_row(html, "Warmth and genuineness of the welcome.")
    assert "<strong>4 / 5</strong>" in warmth
    assert '<span class="scale-min">1 = Cold, hurried</span>' in warmth and "5 = Warm, personal" in warmth
    assert "scale-ends" not in scale_row(html, "Overall impression of the website as a reason to book this hotel.")


def test_a_refused_scale_points_to_its_error_and_still_to_its_ends(auth, hotel):
    auth.client.post(f"/visits/{hotel.id}/start", data={"csrf_token": auth.csrf})
    response = auth.client.post(f"/visits/{hotel.id}/form", data={
        "csrf_token": auth.csrf, "v-checkin-warmth": "9", "action": "save"})
    assert response.status_code == 422
    group = re.search(r'<div class="seg scale"[^>]*aria-labelledby="q-checkin-warmth"[^>]*>',
                      response.get_data(as_text=True)).group(0)
    assert 'aria-invalid="true"' in group and 'aria-describedby="err-checkin-warmth ends-checkin-warmth"' in group


def test_the_preview_and_the_concept_page_show_the_ends(auth, factory):
    factory.showcase("hotel-stay")
    auth.login(factory.user("admin"))
    preview = auth.client.get("/concepts/hotel-stay/preview?channel=visit").get_data(as_text=True)
    assert 'aria-describedby="ends-checkin-warmth"' in preview and "5 = Warm, personal</span>" in preview
    concept = auth.client.get("/admin/concepts/hotel-stay").get_data(as_text=True)
    assert "1 = Cold, hurried · 5 = Warm, personal" in concept


def test_labels_are_escaped(auth, factory, tmp_path):
    source = tmp_path / "mini.yaml"
    source.write_text((DATA / "mini.yaml").read_text().replace(
        "max: 5, why: Warmth.}", "max: 5, labels: {max: \"<b>Warm</b> & 'kind'\"}, why: Warmth.}"))
    visit = factory.visit(version=factory.concept(source))
    auth.login(visit.auditor)
    html = auth.client.get(f"/visits/{visit.id}/form").get_data(as_text=True)
    assert "<b>Warm</b>" not in html and "5 = &lt;b&gt;Warm&lt;/b&gt; &amp; &#39;kind&#39;" in html
