"""Charts: one Drawing that becomes safe, accessible inline SVG and also renders into PDF."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from reportlab.graphics import renderPDF

from auditapp.reports.charts import journey_curve, trend_chart
from auditapp.reports.svg import to_svg
from auditapp.reports.content import CurvePoint

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(1)</script>"


def point(key: str, score: float | None, phase: str = "Arrival", marks: set[str] = frozenset(),
          label: str | None = None) -> CurvePoint:
    return CurvePoint(key=key, label=label or key.title(), phase=phase, score=score, marks=frozenset(marks))


def texts(svg: str) -> list[str]:
    return [el.text or "" for el in ElementTree.fromstring(svg).iter(f"{SVG}text")]


@pytest.fixture
def curve() -> list[CurvePoint]:
    return [point("website", 70, "Orientation"), point("phone", 95, "Booking", {"peak"}),
            point("parking", None, "Arrival"), point("check-in", 30, "Arrival", {"low"}),
            point("check-out", 65, "After-sales", {"end"})]


def test_journey_svg_is_wellformed_scalable_and_accessible(curve):
    svg = to_svg(journey_curve(curve, good=80, poor=60))
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == "0 0 640 260"
    assert root.get("width") == "100%" and root.get("height") is None
    assert root.get("role") == "img" and root.get("aria-label")
    assert root.find(f"{SVG}title").text
    assert "Peak" in root.find(f"{SVG}desc").text
    assert not svg.startswith("<?xml") and "DOCTYPE" not in svg


def test_journey_marks_peak_low_end_with_text_and_scores(curve):
    labels = " ".join(texts(to_svg(journey_curve(curve, good=80, poor=60))))
    assert "Peak 95.0" in labels and "Low 30.0" in labels and "End 65.0" in labels


def test_journey_names_bands_and_phases_in_text(curve):
    labels = texts(to_svg(journey_curve(curve, good=80, poor=60)))
    for word in ("Good", "Fair", "Poor", "Orientation", "Booking", "n/a", "100", "80", "60"):
        assert word in labels


def test_journey_breaks_the_line_at_missing_scores():
    points = [point("a", 50), point("b", 60), point("c", None), point("d", 70), point("e", 80)]
    root = ElementTree.fromstring(to_svg(journey_curve(points, good=80, poor=60)))
    assert len(root.findall(f".//{SVG}polyline")) == 2


def test_hostile_labels_come_out_escaped():
    points = [point("a", 50, phase=HOSTILE, label=HOSTILE, marks={"peak"}), point("b", 60, label="x & y")]
    svg = to_svg(journey_curve(points, good=80, poor=60))
    assert "<script" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert HOSTILE in texts(svg)
    assert "x &amp; y" in svg


def test_control_characters_do_not_break_the_xml():
    svg = to_svg(journey_curve([point("a", 50, label="bad\x00\x1b label\x0b")], good=80, poor=60))
    assert "bad label" in texts(svg)


def test_svg_has_no_ids_or_inline_styles():
    """Several charts share one page (no clashing ids) and a strict CSP blocks style attributes."""
    svg = to_svg(journey_curve([point("a", 50)], good=80, poor=60))
    assert " id=" not in svg and "clip" not in svg and "style=" not in svg


def test_centred_labels_let_the_browser_align_them():
    svg = to_svg(journey_curve([point("a", 50), point("b", 60)], good=80, poor=60))
    assert 'text-anchor="middle"' in svg and 'text-anchor="end"' in svg


@pytest.mark.parametrize("points", [[], [point("a", None), point("b", None, "After-sales")]])
def test_curve_without_scores_still_renders(points):
    svg = to_svg(journey_curve(points, good=80, poor=60))
    ElementTree.fromstring(svg)
    assert any(t.startswith("No ") for t in texts(svg))


def test_twenty_five_touchpoints_get_shortened_rotated_labels():
    long = "A really very long touchpoint name that will not fit"
    points = [point(f"tp{i}", 40 + i * 2, f"Phase {i // 5}", label=long) for i in range(25)]
    svg = to_svg(journey_curve(points, good=80, poor=60))
    labels = [t for t in texts(svg) if t.startswith("A really")]
    assert len(labels) == 25 and all(t.endswith("…") and len(t) > 10 for t in labels)
    assert "rotate" in svg or "matrix" in svg


def test_journey_drawing_also_renders_to_pdf(curve):
    assert renderPDF.drawToString(journey_curve(curve, good=80, poor=60, width=480)).startswith(b"%PDF")


def test_trend_chart_legend_periods_and_version_marks():
    periods = ["2026-01", "2026-02", "2026-03", "2026-04"]
    drawing = trend_chart(periods, [("This branch", [70, None, 75, 82]), ("All branches", [74, 75, 76, 77])],
                          good=80, poor=60, version_marks=[("2026-03", "v2"), ("2027-01", "v3")])
    svg = to_svg(drawing)
    labels = texts(svg)
    for word in ("This branch", "All branches", "v2", "2026-01", "2026-04", "Good", "Poor"):
        assert word in labels
    assert "v3" not in labels  # a mark outside the periods is not drawn
    assert 'stroke-dasharray="6, 3"' in svg  # the second series differs by dash, not colour only
    root = ElementTree.fromstring(svg)
    assert root.get("viewBox") == "0 0 640 240"


def test_trend_chart_marks_series_with_different_shapes():
    svg = to_svg(trend_chart(["a", "b"], [("One", [50, 60]), ("Two", [55, 65])], good=80, poor=60))
    root = ElementTree.fromstring(svg)
    assert root.findall(f".//{SVG}circle") and root.findall(f".//{SVG}rect")


@pytest.mark.parametrize("series", [[], [("This branch", [None, None])]])
def test_trend_chart_without_scores_renders(series):
    svg = to_svg(trend_chart(["2026-01", "2026-02"], series, good=80, poor=60))
    assert "No scores in these periods" in texts(svg)


def test_trend_chart_with_no_periods_and_hostile_names():
    svg = to_svg(trend_chart([], [(HOSTILE, [])], good=80, poor=60, version_marks=[(HOSTILE, HOSTILE)]))
    assert "<script" not in svg
    ElementTree.fromstring(svg)


def test_many_periods_are_thinned_but_the_latest_is_labelled():
    periods = [f"{2024 + m // 12}-{m % 12 + 1:02d}" for m in range(36)]
    labels = texts(to_svg(trend_chart(periods, [("This branch", [60.0] * 36)], good=80, poor=60)))
    shown = [p for p in periods if p in labels]
    assert periods[-1] in shown and 3 < len(shown) < 36
