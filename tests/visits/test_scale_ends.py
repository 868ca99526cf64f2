"""The meaning of a scale's ends reaches the auditor: under the buttons, read with the group, and in the API's form."""

from __future__ import annotations

import pytest


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
