"""Server-side charts: one reportlab Drawing per chart, rendered both to inline SVG for pages and into PDFs.

Band colours never carry meaning alone: zones differ in lightness and the poor zone is hatched, markers
change shape with the band, series differ in dash pattern and marker, and everything carries a text label.
"""

from __future__ import annotations

import math
import re
from typing import Callable, Sequence
from xml.etree import ElementTree

from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Path, Polygon, PolyLine, Rect, String
from reportlab.lib.attrmap import AttrMap, AttrMapValue
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.validators import isString
from reportlab.pdfbase.pdfmetrics import stringWidth

from ..scoring import band
from ..vocabulary import Band
from .content import CurvePoint
from .text import _, format_number, format_score, term_label

__all__ = ["journey_curve", "trend_chart", "to_svg", "responsive_svg"]

INK = HexColor("#202124")
MUTED = HexColor("#5F6368")
AXIS = HexColor("#6B6B6B")
GRID = HexColor("#D9D9D9")
LINE = HexColor("#1F3A5F")

# Zone fills differ in lightness (good a light tint, fair white, poor darker and hatched): grey print keeps them apart.
ZONE_FILL = {Band.GOOD: HexColor("#E4F2DF"), Band.FAIR: HexColor("#FFFFFF"), Band.POOR: HexColor("#F9DEDA")}
POOR_HATCH = HexColor("#EBB9B2")
BAND_INK = {Band.GOOD: HexColor("#2E6B30"), Band.FAIR: HexColor("#8A5A00"), Band.POOR: HexColor("#A4231B")}
BAND_SHAPE = {Band.GOOD: "circle", Band.FAIR: "diamond", Band.POOR: "triangle"}
MARK_ORDER = ("peak", "low", "end")

# (colour, dash pattern, marker shape, filled marker, line width factor) per series, in order.
SERIES_STYLES = (
    (HexColor("#1F3A5F"), None, "circle", True, 0.17),
    (HexColor("#6B6B6B"), (6, 3), "square", False, 0.14),
    (HexColor("#8B4513"), (1.5, 2.5), "triangle", True, 0.14),
    (HexColor("#5B2C83"), (8, 3, 2, 3), "diamond", False, 0.14),
)

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SVG_NS = "{http://www.w3.org/2000/svg}"
# Helvetica metrics fitted the labels; Arial and Liberation Sans share them, so put them first in the browser.
_SVG_FONTS = 'Helvetica, Arial, "Liberation Sans", Roboto, sans-serif'
_SVG_TAGS = {"g", "rect", "circle", "ellipse", "line", "polyline", "polygon", "path", "text"}
_SVG_GEOMETRY = {"x", "y", "width", "height", "cx", "cy", "r", "rx", "ry", "x1", "y1", "x2", "y2", "points", "d",
                 "transform"}
_CLOSED_LINE = re.compile(r"^M [-\d.,]+ L [-\d.,]+ Z$")
_LONG_NUMBER = re.compile(r"-?\d+\.\d{3,}")
_SVG_DEFAULTS = {("stroke-linecap", "butt"), ("stroke-width", "1"), ("stroke-linejoin", "miter")}
_SVG_PRESENTATION = {"fill", "fill-rule", "fill-opacity", "stroke", "stroke-width", "stroke-linecap",
                     "stroke-linejoin", "stroke-dasharray", "stroke-opacity", "stroke-miterlimit", "font-size",
                     "opacity"}


class ChartDrawing(Drawing):
    """A Drawing that carries an accessible title and description for its SVG form."""

    _attrMap = AttrMap(BASE=Drawing, title=AttrMapValue(isString), desc=AttrMapValue(isString))

    def __init__(self, width: float, height: float, title: str = "", desc: str = "") -> None:
        super().__init__(width, height)
        self.title = title
        self.desc = desc


def _clean(text: object) -> str:
    """Drop control characters: they make invalid XML and print as boxes."""
    return " ".join(_CONTROL.sub(" ", str(text)).split())


def band_labels() -> dict[Band, str]:
    """Name the zones in the reader's language; called per chart, never at import."""
    return {b: term_label(b) for b in Band}


def mark_words() -> tuple[tuple[str, str], ...]:
    """Name peak, low and end in the reader's language, in the order they are listed."""
    words = {"peak": _("Peak"), "low": _("Low"), "end": _("End")}
    return tuple((key, words[key]) for key in MARK_ORDER)


def _fit(text: str, font: str, size: float, max_width: float) -> str:
    """Shorten a label with an ellipsis until it fits, so 25 touchpoints still read."""
    if stringWidth(text, font, size) <= max_width:
        return text
    if max_width <= 0 or stringWidth("…", font, size) > max_width:
        return ""
    lo, hi = 0, len(text)
    while lo < hi:  # longest prefix that fits with the ellipsis
        mid = (lo + hi + 1) // 2
        if stringWidth(text[:mid].rstrip() + "…", font, size) <= max_width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…" if lo else ""


def _wrap(text: str, font: str, size: float, max_width: float) -> list[str] | None:
    """Break a label into at most two lines that fit, or None when it would need more."""
    words = text.split()
    if not words:
        return [""]
    lines: list[str] = []
    for word in words:
        if lines and stringWidth(lines[-1] + " " + word, font, size) <= max_width:
            lines[-1] += " " + word
        elif stringWidth(word, font, size) <= max_width and len(lines) < 2:
            lines.append(word)
        else:
            return None
    return lines


def _text(x: float, y: float, text: str, *, font: str, size: float, color: Color = INK,
          anchor: str = "start") -> String:
    """Make a String that remembers its anchor, so the SVG can let the browser align it in its own font."""
    s = String(x, y, text, fontName=font, fontSize=size, fillColor=color, textAnchor=anchor)
    if anchor != "start":
        s._svgAttrs = {"data-anchor": anchor, "data-x": f"{x:.3f}"}
    return s


def _marker(shape: str, x: float, y: float, r: float, fill: Color | None, stroke: Color,
            width: float = 1.2) -> Circle | Rect | Polygon:
    """Draw a point marker whose shape (not just colour) tells series or bands apart."""
    if shape == "circle":
        return Circle(x, y, r, fillColor=fill, strokeColor=stroke, strokeWidth=width)
    if shape == "square":
        s = r * 0.9
        return Rect(x - s, y - s, 2 * s, 2 * s, fillColor=fill, strokeColor=stroke, strokeWidth=width)
    if shape == "diamond":
        s = r * 1.25
        return Polygon([x, y + s, x + s, y, x, y - s, x - s, y], fillColor=fill, strokeColor=stroke,
                       strokeWidth=width)
    s = r * 1.25  # triangle pointing down: "poor" reads as going down even without colour
    return Polygon([x - s, y + s * 0.75, x + s, y + s * 0.75, x, y - s], fillColor=fill, strokeColor=stroke,
                   strokeWidth=width)


def _hatch(group: Group, x0: float, y0: float, x1: float, y1: float, spacing: float) -> None:
    """Hatch a rectangle with diagonal lines, clipped by hand (Drawings have no clip paths), as one path."""
    h = y1 - y0
    if h <= 0 or x1 <= x0:
        return
    path = Path(strokeColor=POOR_HATCH, strokeWidth=0.7, fillColor=None)
    start = x0 - h
    k = 0
    while start + k * spacing < x1:
        x = start + k * spacing
        t0, t1 = max(0.0, x0 - x), min(h, x1 - x)
        if t0 < t1:
            path.moveTo(x + t0, y0 + t0)
            path.lineTo(x + t1, y0 + t1)
        k += 1
    group.add(path)


class _Frame:
    """The plot area of a 0–100 chart and its band zones, shared by both charts."""

    def __init__(self, left: float, bottom: float, right: float, top: float) -> None:
        self.left, self.bottom, self.right, self.top = left, bottom, right, top

    def y(self, score: float) -> float:
        return self.bottom + max(0.0, min(100.0, score)) / 100.0 * (self.top - self.bottom)

    def draw(self, g: Group, *, good: float, poor: float, font: str, bold: str, size: float) -> None:
        """Shade the zones, draw grid, thresholds, y ticks and the zone names in the right margin."""
        good_line, poor_line = max(good, poor), min(good, poor)
        zones = ((Band.GOOD, good_line, 100.0), (Band.FAIR, poor_line, good_line), (Band.POOR, 0.0, poor_line))
        width = self.right - self.left
        labels = band_labels()
        for zone, lo, hi in zones:
            y0, y1 = self.y(lo), self.y(hi)
            if y1 - y0 <= 0:
                continue
            g.add(Rect(self.left, y0, width, y1 - y0, fillColor=ZONE_FILL[zone], strokeColor=None))
            if zone == Band.POOR:
                _hatch(g, self.left, y0, self.right, y1, spacing=max(6.0, size * 0.7))
            if y1 - y0 >= size * 0.8:
                g.add(_text(self.right + 5, (y0 + y1) / 2 - size * 0.3, labels[zone], font=bold,
                            size=size * 0.85, color=BAND_INK[zone]))
        thresholds = {float(good), float(poor)}
        ticks = {float(v) for v in range(0, 101, 20)}
        ticks = {v for v in ticks if all(abs(v - t) >= 6 or v == t for t in thresholds)}
        for v in sorted(ticks | {t for t in thresholds if 0 <= t <= 100}):
            y = self.y(v)
            if v in thresholds:
                g.add(Line(self.left, y, self.right, y, strokeColor=AXIS, strokeWidth=0.9, strokeDashArray=(4, 3)))
            elif 0 < v < 100:
                g.add(Line(self.left, y, self.right, y, strokeColor=GRID, strokeWidth=0.5))
            g.add(_text(self.left - 4, y - size * 0.3, format_number(v), font=font, size=size * 0.8, color=MUTED,
                        anchor="end"))
        g.add(Rect(self.left, self.bottom, width, self.top - self.bottom, fillColor=None, strokeColor=AXIS,
                   strokeWidth=0.8))


def _margins(font: str, bold: str, size: float) -> tuple[float, float]:
    """Left margin for "100" and right margin for the zone names."""
    left = stringWidth("100", font, size * 0.8) + 8
    right = max(stringWidth(label, bold, size * 0.85) for label in band_labels().values()) + 9
    return left, right


def journey_curve(points: Sequence[CurvePoint], *, good: float, poor: float, width: int = 640, height: int = 260,
                  font: str = "Helvetica", bold_font: str = "Helvetica-Bold", font_size: float = 16) -> Drawing:
    """Draw a visit's touchpoint scores in journey order, marking peak, low and end (the peak-end rule)."""
    # font_size is in drawing units: 16 on a 640-wide chart still gives 9 px labels on a 360 px phone.
    points = tuple(points)
    size = font_size
    labels = [_clean(p.label or p.key) for p in points]
    desc = _curve_description(points, labels, good, poor)
    d = ChartDrawing(width, height, title=_("Journey curve: touchpoint scores in journey order"), desc=desc)
    g = Group()
    d.add(g)

    left, right_margin = _margins(font, bold_font, size)
    top_margin = size * 1.7  # the phase names
    layout = _x_labels(labels, left, width - right_margin, height, max_left=width * 0.1, font=font, size=size)
    left, step, xs, angle, fitted, bottom, label_size = layout
    plot_w = width - right_margin - left
    frame = _Frame(left, bottom, left + plot_w, height - top_margin)
    frame.draw(g, good=good, poor=poor, font=font, bold=bold_font, size=size)

    _draw_phases(g, points, xs, step, frame, height, font=bold_font, size=size)
    for x, lines in zip(xs, fitted):
        g.add(Line(x, frame.bottom, x, frame.bottom - 3, strokeColor=AXIS, strokeWidth=0.8))
        if angle == 0:
            for k, line in enumerate(lines):
                g.add(_text(x, frame.bottom - label_size * (1.25 + 1.15 * k), line, font=font, size=label_size,
                            color=INK, anchor="middle"))
        elif lines[0]:
            rad = math.radians(angle)
            label = Group(_text(0, 0, lines[0], font=font, size=label_size, color=INK, anchor="end"))
            # Shift so the middle of the text (not its baseline) points at the tick.
            label.translate(x + label_size * 0.35 * math.sin(rad),
                            frame.bottom - 5 - label_size * 0.35 * math.cos(rad))
            label.rotate(angle)
            g.add(label)

    scored = [(i, p.score) for i, p in enumerate(points) if p.score is not None]
    if not scored:
        message = _("No scored touchpoints") if points else _("No touchpoints")
        g.add(_text((frame.left + frame.right) / 2, (frame.bottom + frame.top) / 2, message, font=font, size=size,
                    color=MUTED, anchor="middle"))
    _draw_runs(g, [(xs[i], p.score) for i, p in enumerate(points)], frame, LINE, None, size * 0.17)

    radius = min(size * 0.3, step * 0.32)
    for i, p in enumerate(points):
        if p.score is None:
            na = _("n/a")
            na_size = size * 0.65
            if stringWidth(na, font, na_size) <= step - 2:
                g.add(_text(xs[i], frame.bottom + 3, na, font=font, size=na_size, color=MUTED, anchor="middle"))
            continue
        kind = band(p.score, good, poor)
        g.add(_marker(BAND_SHAPE[kind], xs[i], frame.y(p.score), radius, BAND_INK[kind], white, width=0.8))
    _draw_marks(g, points, xs, frame, font=bold_font, size=size, radius=radius)
    return d


def _x_labels(labels: list[str], left: float, right: float, height: float, *, max_left: float, font: str,
              size: float) -> tuple[float, float, list[float], int, list[list[str]], float, float]:
    """Lay out touchpoint labels: horizontal in up to two lines when they fit, else rotated and shortened.

    Returns the (possibly widened) left edge, the step between points, their x positions, the angle, the lines
    of each label, the height the labels need below the plot, and their font size.
    """
    n = len(labels)
    step = (right - left) / max(n, 1)
    label_size = min(size * 0.85, step * 0.92)
    xs = [left + step * (i + 0.5) for i in range(n)]
    wrapped = [_wrap(t, font, label_size, step - 4) for t in labels]
    if all(w is not None for w in wrapped):
        bottom = label_size * (1.4 + 1.15 * max((len(w) for w in wrapped), default=1))
        return left, step, xs, 0, wrapped, bottom, label_size
    angle = 45 if step * math.sin(math.radians(45)) >= label_size * 1.02 else 90  # 90° when crowded
    sin, cos = math.sin(math.radians(angle)), math.cos(math.radians(angle))
    bottom_max = height * 0.36
    room = (bottom_max - 6 - label_size) / sin
    # A rotated label runs down and to the left: make room for the first one, shorten the first few.
    if cos > 0.01 and left < min(room * cos, max_left):
        left = min(room * cos, max_left)
        step = (right - left) / max(n, 1)
        xs = [left + step * (i + 0.5) for i in range(n)]
    fitted = [[_fit(t, font, label_size, min(room, (x - 2) / cos if cos > 0.01 else room))]
              for t, x in zip(labels, xs)]
    longest = max((stringWidth(t[0], font, label_size) for t in fitted), default=0)
    return left, step, xs, angle, fitted, min(bottom_max, longest * sin + label_size + 6), label_size


def _draw_phases(g: Group, points: Sequence[CurvePoint], xs: list[float], step: float, frame: _Frame,
                 height: float, *, font: str, size: float) -> None:
    """Separate the phases with vertical lines and name them above the plot."""
    runs: list[tuple[str, int, int]] = []
    for i, p in enumerate(points):
        if runs and runs[-1][0] == p.phase:
            runs[-1] = (p.phase, runs[-1][1], i)
        else:
            runs.append((p.phase, i, i))
    label_size = size * 0.75
    for k, (phase, first, last) in enumerate(runs):
        x0, x1 = xs[first] - step / 2, xs[last] + step / 2
        if k:
            g.add(Line(x0, frame.bottom, x0, height - 2, strokeColor=AXIS, strokeWidth=1))
        name = _fit(_clean(phase), font, label_size, x1 - x0 - 6)
        if name:
            g.add(_text((x0 + x1) / 2, frame.top + (height - frame.top) / 2 - label_size * 0.35, name, font=font,
                        size=label_size, color=MUTED, anchor="middle"))


def _draw_runs(g: Group, values: list[tuple[float, float | None]], frame: _Frame, color: Color,
               dash: tuple[float, ...] | None, width: float) -> None:
    """Join consecutive scored points; a missing score leaves a gap rather than a made-up line."""
    run: list[float] = []
    for x, v in values + [(0.0, None)]:
        if v is not None:
            run += [x, frame.y(v)]
            continue
        if len(run) >= 4:
            g.add(PolyLine(run, strokeColor=color, strokeWidth=width, strokeDashArray=dash, strokeLineJoin=1,
                           strokeLineCap=1 if dash and dash[0] < 2 else 0))
        run = []


def _draw_marks(g: Group, points: Sequence[CurvePoint], xs: list[float], frame: _Frame, *,
                font: str, size: float, radius: float) -> None:
    """Label peak, low and end with boxed text next to the point, avoiding earlier labels."""
    placed: list[tuple[float, float, float, float]] = []
    label_size = size * 0.8
    pad = label_size * 0.3
    box_h = label_size + 2 * pad
    words = mark_words()
    for i, p in enumerate(points):
        marks = [word for key, word in words if key in p.marks]
        if p.score is None or not marks:
            continue
        text = " · ".join(marks) + f" {format_score(p.score)}"
        box_w = stringWidth(text, font, label_size) + 2 * pad
        px, py = xs[i], frame.y(p.score)
        g.add(Circle(px, py, radius * 1.9, fillColor=None, strokeColor=INK, strokeWidth=1))
        prefer_above = "peak" in p.marks or ("low" not in p.marks and p.score <= 75)
        x0 = min(max(px - box_w / 2, frame.left + 1), frame.right - box_w - 1)
        above = py + radius * 2 + 2
        below = py - radius * 2 - 2 - box_h
        candidates = [above, below] if prefer_above else [below, above]
        candidates += [c + dy for c in candidates for dy in (box_h + 2, -(box_h + 2))]
        y0 = None
        for c in candidates:
            c = min(max(c, frame.bottom + 1), frame.top - box_h - 1)
            overlaps_point = (c < py + radius and c + box_h > py - radius
                              and x0 < px + radius and x0 + box_w > px - radius)
            overlaps_label = any(c < b[1] + b[3] and c + box_h > b[1] and x0 < b[0] + b[2] and x0 + box_w > b[0]
                                 for b in placed)
            if not overlaps_point and not overlaps_label:
                y0 = c
                break
        if y0 is None:
            y0 = min(max(candidates[0], frame.bottom + 1), frame.top - box_h - 1)
        placed.append((x0, y0, box_w, box_h))
        g.add(Rect(x0, y0, box_w, box_h, rx=2, ry=2, fillColor=white, strokeColor=INK, strokeWidth=0.7))
        g.add(_text(x0 + pad, y0 + pad + label_size * 0.18, text, font=font, size=label_size, color=INK))


def _curve_description(points: Sequence[CurvePoint], labels: list[str], good: float, poor: float) -> str:
    """Say in words what the curve shows, for screen readers."""
    if not points:
        return _("No touchpoints.")
    parts = [_("Scores 0 to 100; good from %(good)s, poor below %(poor)s.", good=format_number(good),
               poor=format_number(poor))]
    for key, word in mark_words():
        for p, name in zip(points, labels):
            if key in p.marks and p.score is not None:
                parts.append(f"{word}: {name} {format_score(p.score)}.")
    na = _("n/a")
    scores = "; ".join(f"{name} {na if p.score is None else format_score(p.score)}"
                       for p, name in zip(points, labels))
    parts.append(_("All touchpoints: %(scores)s.", scores=scores))
    return " ".join(parts)


def trend_chart(periods: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], *, good: float,
                poor: float, version_marks: Sequence[tuple[str, str]] = (), width: int = 640, height: int = 240,
                font: str = "Helvetica", bold_font: str = "Helvetica-Bold", font_size: float = 16) -> Drawing:
    """Draw scores per period as lines told apart by dash and marker, with concept version changes marked."""
    periods = [_clean(p) for p in periods]
    series = [(_clean(name), list(values)) for name, values in series]
    size = font_size
    desc = _trend_description(periods, series, version_marks)
    d = ChartDrawing(width, height, title=_("Score trend per period"), desc=desc)
    g = Group()
    d.add(g)

    left, right_margin = _margins(font, bold_font, size)
    legend_rows = _legend(g, series, left, width - right_margin, height, font=font, size=size)
    top = height - legend_rows * size * 1.5 - size * 0.5
    n = len(periods)
    label_size = size * 0.8
    frame = _Frame(left, label_size * 2.0, width - right_margin, top)
    frame.draw(g, good=good, poor=poor, font=font, bold=bold_font, size=size)
    plot_w = frame.right - frame.left
    step = plot_w / max(n, 1)
    xs = [left + step * (i + 0.5) for i in range(n)]

    widest = max((stringWidth(p, font, label_size) for p in periods), default=0)
    every = max(1, math.ceil((widest + size * 0.6) / step)) if n else 1
    for i, (x, label) in enumerate(zip(xs, periods)):
        g.add(Line(x, frame.bottom, x, frame.bottom - 3, strokeColor=AXIS, strokeWidth=0.8))
        if (n - 1 - i) % every == 0:  # thin out from the latest period, which always gets its label
            g.add(_text(x, frame.bottom - label_size * 1.3, _fit(label, font, label_size, step * every - 4),
                        font=font, size=label_size, color=INK, anchor="middle"))

    index = {p: i for i, p in enumerate(periods)}
    marks: dict[int, list[str]] = {}
    for period, label in version_marks:
        i = index.get(_clean(period))
        if i is not None:
            marks.setdefault(i, []).append(_clean(label))
    mark_size = size * 0.75
    for i, labels in sorted(marks.items()):
        x = xs[i] - step / 2 if i else frame.left + 1
        g.add(Line(x, frame.bottom, x, frame.top, strokeColor=INK, strokeWidth=1.1, strokeDashArray=(4, 3)))
        text = ", ".join(labels)
        box_w = stringWidth(text, bold_font, mark_size) + mark_size * 0.6
        bx = x + 2 if x + 2 + box_w <= frame.right else x - 2 - box_w
        by = frame.top - mark_size * 1.6
        g.add(Rect(bx, by, box_w, mark_size * 1.4, fillColor=white, strokeColor=INK, strokeWidth=0.6))
        g.add(_text(bx + mark_size * 0.3, by + mark_size * 0.38, text, font=bold_font, size=mark_size))

    if not n or all(v is None for _name, values in series for v in values):
        g.add(_text((frame.left + frame.right) / 2, (frame.bottom + frame.top) / 2, _("No scores in these periods"),
                    font=font, size=size, color=MUTED, anchor="middle"))
    for k, (name, values) in enumerate(series):
        color, dash, shape, filled, line_w = SERIES_STYLES[k % len(SERIES_STYLES)]
        pts = list(zip(xs, values[:n] + [None] * (n - len(values))))
        _draw_runs(g, pts, frame, color, dash, size * line_w)
        for x, v in pts:
            if v is not None:
                g.add(_marker(shape, x, frame.y(v), size * 0.28, color if filled else white, color, width=1.3))
    return d


def _legend(g: Group, series: list[tuple[str, list[float | None]]], left: float, right: float, height: float, *,
            font: str, size: float) -> int:
    """Draw a legend above the plot (line sample, marker, name), wrapping to more rows if needed."""
    if not series:
        return 0
    sample_w = size * 2.6
    rows, x = 1, left
    for k, (name, _values) in enumerate(series):
        color, dash, shape, filled, line_w = SERIES_STYLES[k % len(SERIES_STYLES)]
        name = _fit(name, font, size * 0.85, right - left - sample_w - 6)
        item_w = sample_w + 5 + stringWidth(name, font, size * 0.85)
        if x > left and x + item_w > right:
            rows, x = rows + 1, left
        y = height - rows * size * 1.5 + size * 0.2
        g.add(Line(x, y + size * 0.3, x + sample_w, y + size * 0.3, strokeColor=color, strokeWidth=size * line_w,
                   strokeDashArray=dash))
        g.add(_marker(shape, x + sample_w / 2, y + size * 0.3, size * 0.28, color if filled else white, color, 1.3))
        g.add(_text(x + sample_w + 5, y, name, font=font, size=size * 0.85, color=INK))
        x += item_w + size * 1.4
    return rows


def _trend_description(periods: list[str], series: list[tuple[str, list[float | None]]],
                       version_marks: Sequence[tuple[str, str]]) -> str:
    """Say in words what the trend shows, for screen readers."""
    if not periods:
        return _("No periods.")
    parts = [_("Scores 0 to 100 per period, %(first)s to %(last)s.", first=periods[0], last=periods[-1])]
    na = _("n/a")
    for name, values in series:
        cells = "; ".join(f"{p} {na if v is None else format_score(v)}" for p, v in zip(periods, values))
        parts.append(f"{name}: {cells}.")
    for period, label in version_marks:
        parts.append(_("Concept %(version)s from %(period)s.", version=_clean(label), period=_clean(period)))
    return " ".join(parts)


def _svg_attr(value: str) -> str:
    """Quote an attribute value for HTML and XML alike."""
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return '"' + value.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;") + '"'


def _svg_text(value: str) -> str:
    """Escape character data; a label such as <script> must stay text."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _round(match: re.Match[str]) -> str:
    """Two decimals are plenty at any screen size and halve the markup."""
    return f"{float(match.group()):.2f}".rstrip("0").rstrip(".")


def _svg_element(el: ElementTree.Element, out: list[str]) -> None:
    """Copy one element with known attributes only; styles become presentation attributes (CSP-safe)."""
    tag = el.tag.removeprefix(_SVG_NS)
    if tag not in _SVG_TAGS:
        return  # title, desc, clipPath: ours come first; the clip's id would clash with other charts on a page
    attrs: dict[str, str] = {k: _LONG_NUMBER.sub(_round, v) for k, v in el.attrib.items() if k in _SVG_GEOMETRY}
    for declaration in el.attrib.get("style", "").split(";"):
        name, _colon, value = (part.strip() for part in declaration.partition(":"))
        if name == "font-family":
            if "Bold" in value:
                attrs["font-weight"] = "bold"
            if "Oblique" in value or "Italic" in value:
                attrs["font-style"] = "italic"
        elif name in _SVG_PRESENTATION and value:
            if value.lower() == "none":
                value = "none"
            if (name, value) not in _SVG_DEFAULTS:
                attrs[name] = value.removesuffix("px") if name == "font-size" else value
    anchor = el.attrib.get("data-anchor")
    if tag == "text" and anchor in ("middle", "end") and "data-x" in el.attrib:
        attrs["x"], attrs["text-anchor"] = el.attrib["data-x"], anchor  # let the browser align in its own font
    if tag == "path" and _CLOSED_LINE.match(attrs.get("d", "")):
        attrs["d"] = attrs["d"][:-2]  # reportlab closes a Line's path; the way back would fill the dash gaps
    if tag == "g" and not attrs.get("transform", "").strip():
        attrs.pop("transform", None)
    out.append("<" + tag + "".join(f" {k}={_svg_attr(v)}" for k, v in attrs.items()))
    children = list(el)
    if tag == "text":
        out.append(">" + _svg_text(_clean(el.text or "")) + "</text>")
    elif children:
        out.append(">")
        for child in children:
            _svg_element(child, out)
        out.append(f"</{tag}>")
    else:
        out.append("/>")


def to_svg(drawing: Drawing) -> str:
    """Render a Drawing as an inline <svg> that scales to its container and says what it shows."""
    root = ElementTree.fromstring(renderSVG.drawToString(drawing).encode("utf-8"))
    title = _clean(getattr(drawing, "title", "") or _("Chart"))
    desc = _clean(getattr(drawing, "desc", "") or "")
    w, h = (f"{float(v):g}" for v in (drawing.width, drawing.height))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" '
           f'preserveAspectRatio="xMidYMid meet" role="img" aria-label={_svg_attr(title)} class="chart" '
           f'font-family={_svg_attr(_SVG_FONTS)}>',
           f"<title>{_svg_text(title)}</title>"]
    if desc:
        out.append(f"<desc>{_svg_text(desc)}</desc>")
    for child in root:
        _svg_element(child, out)
    out.append("</svg>")
    return "".join(out)


def responsive_svg(draw: Callable[..., Drawing], font_size: float = 13) -> str:
    """Render a chart for a phone and for a wide screen, so labels stay legible on both; CSS shows one."""
    narrow = to_svg(draw(width=360, height=270, font_size=font_size))
    wide = to_svg(draw(width=760, height=300, font_size=font_size))
    return f'<div class="chart-narrow">{narrow}</div><div class="chart-wide">{wide}</div>'
