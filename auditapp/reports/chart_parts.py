"""The pieces both charts are drawn with: colours and shapes per band and series, text that fits, markers, hatching,
and the plotting frame. Band colours never carry meaning alone: zones differ in lightness and the poor zone is
hatched, markers change shape with the band, series differ in dash pattern and marker."""

from __future__ import annotations

import re

from reportlab.graphics.shapes import (
    Circle,
    Drawing,
    Group,
    Line,
    Path,
    Polygon,
    Rect,
    String,
)
from reportlab.lib.attrmap import AttrMap, AttrMapValue
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.validators import isString
from reportlab.pdfbase.pdfmetrics import stringWidth

from ..vocabulary import Band
from .text import _, format_number, term_label

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

CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


class ChartDrawing(Drawing):
    """A Drawing that carries an accessible title and description for its SVG form."""

    _attrMap = AttrMap(BASE=Drawing, title=AttrMapValue(isString), desc=AttrMapValue(isString))

    def __init__(self, width: float, height: float, title: str = "", desc: str = "") -> None:
        super().__init__(width, height)
        self.title = title
        self.desc = desc


def clean(text: object) -> str:
    """Drop control characters: they make invalid XML and print as boxes."""
    return " ".join(CONTROL.sub(" ", str(text)).split())


def band_labels() -> dict[Band, str]:
    """Name the zones in the reader's language; called per chart, never at import."""
    return {b: term_label(b) for b in Band}


def mark_words() -> tuple[tuple[str, str], ...]:
    """Name peak, low and end in the reader's language, in the order they are listed."""
    words = {"peak": _("Peak"), "low": _("Low"), "end": _("End")}
    return tuple((key, words[key]) for key in MARK_ORDER)


def fit(text: str, font: str, size: float, max_width: float) -> str:
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


def wrap(text: str, font: str, size: float, max_width: float) -> list[str] | None:
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


def draw_text(x: float, y: float, text: str, *, font: str, size: float, color: Color = INK,
          anchor: str = "start") -> String:
    """Make a String that remembers its anchor, so the SVG can let the browser align it in its own font."""
    s = String(x, y, text, fontName=font, fontSize=size, fillColor=color, textAnchor=anchor)
    if anchor != "start":
        s._svgAttrs = {"data-anchor": anchor, "data-x": f"{x:.3f}"}
    return s


def marker(shape: str, x: float, y: float, r: float, fill: Color | None, stroke: Color,
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


def hatch(group: Group, x0: float, y0: float, x1: float, y1: float, spacing: float) -> None:
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


class Frame:
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
                hatch(g, self.left, y0, self.right, y1, spacing=max(6.0, size * 0.7))
            if y1 - y0 >= size * 0.8:
                g.add(draw_text(self.right + 5, (y0 + y1) / 2 - size * 0.3, labels[zone], font=bold,
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
            g.add(draw_text(self.left - 4, y - size * 0.3, format_number(v), font=font, size=size * 0.8, color=MUTED,
                        anchor="end"))
        g.add(Rect(self.left, self.bottom, width, self.top - self.bottom, fillColor=None, strokeColor=AXIS,
                   strokeWidth=0.8))


def margins(font: str, bold: str, size: float) -> tuple[float, float]:
    """Left margin for "100" and right margin for the zone names."""
    left = stringWidth("100", font, size * 0.8) + 8
    right = max(stringWidth(label, bold, size * 0.85) for label in band_labels().values()) + 9
    return left, right
