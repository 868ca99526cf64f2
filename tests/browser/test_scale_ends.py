"""A scale's end labels on a phone at their longest: under the first and last button, never wider than the screen,
axe-clean, and read with the group, also once form.js has been through its marks."""

from __future__ import annotations

from playwright.sync_api import expect

from auditapp.concepts.loader import MAX_SCALE_LABEL
from auditapp.visits import services

from ..factories import DATA
from .conftest import assert_no_horizontal_scroll, choose, login, std, wait_saved
from .test_accessibility import violations

LOW = "Cold, hurried and looking past you at the next guest in line"
HIGH = "Warm and personal: you felt expected, welcome and remembered"
ENDS = f"0 = {LOW} 10 = {HIGH}"


def test_the_longest_end_labels_sit_under_their_buttons_and_describe_the_group(live_app, phone, factory, tmp_path):
    assert len(LOW) == len(HIGH) == MAX_SCALE_LABEL
    source = tmp_path / "mini.yaml"
    source.write_text((DATA / "mini.yaml").read_text().replace(
        "min: 1, max: 5, why: Warmth.}", f'min: 0, max: 10, na: true, labels: {{min: "{LOW}", max: "{HIGH}"}}, '
                                         "why: Warmth.}"))
    visit = factory.visit(version=factory.concept(source))
    services.start_visit(visit, visit.auditor)
    login(phone, visit.auditor)
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(f"/visits/{visit.id}/form")

    scale = std(phone, "friendliness")
    group = scale.get_by_role("radiogroup")
    expect(group).to_have_accessible_name("Friendliness.")
    expect(group).to_have_accessible_description(ENDS)
    low, high = scale.locator(".scale-min"), scale.locator(".scale-max")
    expect(low).to_be_visible()
    expect(high).to_be_visible()
    # Measured in one go: the status line above the form may change height between two separate measurements.
    first, row, left, right = scale.evaluate("""el => [
        el.querySelector('[role=radiogroup] label'), el.querySelector('[role=radiogroup]'),
        el.querySelector('.scale-min'), el.querySelector('.scale-max'),
    ].map(n => { const r = n.getBoundingClientRect(); return {x: r.x, y: r.y, width: r.width, height: r.height}; })""")
    assert abs(left["x"] - first["x"]) < 2                                   # the low end starts under "0"
    assert abs((right["x"] + right["width"]) - (row["x"] + row["width"])) < 2  # the high end ends under the last
    assert left["y"] >= row["y"] + row["height"] and right["x"] >= left["x"] + left["width"]  # below, side by side
    assert_no_horizontal_scroll(phone, 390)
    assert_no_horizontal_scroll(phone, 360)
    assert violations(phone) == []

    # form.js clears the marks of a refusal on every choice and keeps the ends describing the group.
    choose(phone, "friendliness", "7")
    wait_saved(phone)
    expect(group).not_to_have_attribute("aria-invalid", "true")
    expect(group).to_have_accessible_description(ENDS)
