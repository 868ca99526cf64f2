"""Server-side charts: one reportlab Drawing per chart — a visit's journey curve and a branch's trend — rendered
both to inline SVG for pages (reports.svg) and into PDFs; everything carries a text label and a description."""

from __future__ import annotations

import math
from typing import Sequence

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, PolyLine, Rect
from reportlab.lib.colors import Color, white
from reportlab.pdfbase.pdfmetrics import stringWidth

from ..scoring import band
from .chart_parts import (AXIS, BAND_INK, BAND_SHAPE, INK, LINE, MUTED, SERIES_STYLES, ChartDrawing, Frame, clean,
                          draw_text, fit, margins, mark_words, marker, wrap)
from .content import CurvePoint
from .text import _, format_number, format_score

__all__ = ["journey_curve", "trend_chart"]


def journey_curve(points: Sequence[CurvePoint], *, good: float, poor: float, width: int = 640, height: int = 260,
                  font: str = "Helvetica", bold_font: str = "Helvetica-Bold", font_size: float = 16) -> Drawing:
    """Draw a visit's touchpoint scores in journey order, marking peak, low and end (the peak-end rule)."""
    # font_size is in drawing units: 16 on a 640-wide chart still gives 9 px labels on a 360 px phone.
    points = tuple(points)
    size = font_size
    labels = [clean(p.label or p.key) for p in points]
    desc = _curve_description(points, labels, good, poor)
    d = ChartDrawing(width, height, title=_("Journey curve: touchpoint scores in journey order"), desc=desc)
    g = Group()
    d.add(g)

    left, right_margin = margins(font, bold_font, size)
    top_margin = size * 1.7  # the phase names
    layout = _x_labels(labels, left, width - right_margin, height, max_left=width * 0.1, font=font, size=size)
    left, step, xs, angle, fitted, bottom, label_size = layout
    plot_w = width - right_margin - left
    frame = Frame(left, bottom, left + plot_w, height - top_margin)
    frame.draw(g, good=good, poor=poor, font=font, bold=bold_font, size=size)

    _draw_phases(g, points, xs, step, frame, height, font=bold_font, size=size)
    for x, lines in zip(xs, fitted):
        g.add(Line(x, frame.bottom, x, frame.bottom - 3, strokeColor=AXIS, strokeWidth=0.8))
        if angle == 0:
            for k, line in enumerate(lines):
                g.add(draw_text(x, frame.bottom - label_size * (1.25 + 1.15 * k), line, font=font, size=label_size,
                            color=INK, anchor="middle"))
        elif lines[0]:
            rad = math.radians(angle)
            label = Group(draw_text(0, 0, lines[0], font=font, size=label_size, color=INK, anchor="end"))
            # Shift so the middle of the text (not its baseline) points at the tick.
            label.translate(x + label_size * 0.35 * math.sin(rad),
                            frame.bottom - 5 - label_size * 0.35 * math.cos(rad))
            label.rotate(angle)
            g.add(label)

    scored = [(i, p.score) for i, p in enumerate(points) if p.score is not None]
    if not scored:
        message = _("No scored touchpoints") if points else _("No touchpoints")
        g.add(draw_text((frame.left + frame.right) / 2, (frame.bottom + frame.top) / 2, message, font=font, size=size,
                    color=MUTED, anchor="middle"))
    _draw_runs(g, [(xs[i], p.score) for i, p in enumerate(points)], frame, LINE, None, size * 0.17)

    radius = min(size * 0.3, step * 0.32)
    for i, p in enumerate(points):
        if p.score is None:
            na = _("n/a")
            na_size = size * 0.65
            if stringWidth(na, font, na_size) <= step - 2:
                g.add(draw_text(xs[i], frame.bottom + 3, na, font=font, size=na_size, color=MUTED, anchor="middle"))
            continue
        kind = band(p.score, good, poor)
        g.add(marker(BAND_SHAPE[kind], xs[i], frame.y(p.score), radius, BAND_INK[kind], white, width=0.8))
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
    wrapped = [wrap(t, font, label_size, step - 4) for t in labels]
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
    fitted = [[fit(t, font, label_size, min(room, (x - 2) / cos if cos > 0.01 else room))]
              for t, x in zip(labels, xs)]
    longest = max((stringWidth(t[0], font, label_size) for t in fitted), default=0)
    return left, step, xs, angle, fitted, min(bottom_max, longest * sin + label_size + 6), label_size


def _draw_phases(g: Group, points: Sequence[CurvePoint], xs: list[float], step: float, frame: Frame,
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
        name = fit(clean(phase), font, label_size, x1 - x0 - 6)
        if name:
            g.add(draw_text((x0 + x1) / 2, frame.top + (height - frame.top) / 2 - label_size * 0.35, name, font=font,
                        size=label_size, color=MUTED, anchor="middle"))


def _draw_runs(g: Group, values: list[tuple[float, float | None]], frame: Frame, color: Color,
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


def _draw_marks(g: Group, points: Sequence[CurvePoint], xs: list[float], frame: Frame, *,
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
        g.add(draw_text(x0 + pad, y0 + pad + label_size * 0.18, text, font=font, size=label_size, color=INK))


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
    periods = [clean(p) for p in periods]
    series = [(clean(name), list(values)) for name, values in series]
    size = font_size
    desc = _trend_description(periods, series, version_marks)
    d = ChartDrawing(width, height, title=_("Score trend per period"), desc=desc)
    g = Group()
    d.add(g)

    left, right_margin = margins(font, bold_font, size)
    legend_rows = _legend(g, series, left, width - right_margin, height, font=font, size=size)
    top = height - legend_rows * size * 1.5 - size * 0.5
    n = len(periods)
    label_size = size * 0.8
    frame = Frame(left, label_size * 2.0, width - right_margin, top)
    frame.draw(g, good=good, poor=poor, font=font, bold=bold_font, size=size)
    plot_w = frame.right - frame.left
    step = plot_w / max(n, 1)
    xs = [left + step * (i + 0.5) for i in range(n)]

    widest = max((stringWidth(p, font, label_size) for p in periods), default=0)
    every = max(1, math.ceil((widest + size * 0.6) / step)) if n else 1
    for i, (x, label) in enumerate(zip(xs, periods)):
        g.add(Line(x, frame.bottom, x, frame.bottom - 3, strokeColor=AXIS, strokeWidth=0.8))
        if (n - 1 - i) % every == 0:  # thin out from the latest period, which always gets its label
            g.add(draw_text(x, frame.bottom - label_size * 1.3, fit(label, font, label_size, step * every - 4),
                        font=font, size=label_size, color=INK, anchor="middle"))

    index = {p: i for i, p in enumerate(periods)}
    marks: dict[int, list[str]] = {}
    for period, label in version_marks:
        i = index.get(clean(period))
        if i is not None:
            marks.setdefault(i, []).append(clean(label))
    mark_size = size * 0.75
    for i, labels in sorted(marks.items()):
        x = xs[i] - step / 2 if i else frame.left + 1
        g.add(Line(x, frame.bottom, x, frame.top, strokeColor=INK, strokeWidth=1.1, strokeDashArray=(4, 3)))
        text = ", ".join(labels)
        box_w = stringWidth(text, bold_font, mark_size) + mark_size * 0.6
        bx = x + 2 if x + 2 + box_w <= frame.right else x - 2 - box_w
        by = frame.top - mark_size * 1.6
        g.add(Rect(bx, by, box_w, mark_size * 1.4, fillColor=white, strokeColor=INK, strokeWidth=0.6))
        g.add(draw_text(bx + mark_size * 0.3, by + mark_size * 0.38, text, font=bold_font, size=mark_size))

    if not n or all(v is None for _name, values in series for v in values):
        g.add(draw_text((frame.left + frame.right) / 2, (frame.bottom + frame.top) / 2, _("No scores in these periods"),
                    font=font, size=size, color=MUTED, anchor="middle"))
    for k, (name, values) in enumerate(series):
        color, dash, shape, filled, line_w = SERIES_STYLES[k % len(SERIES_STYLES)]
        pts = list(zip(xs, values[:n] + [None] * (n - len(values))))
        _draw_runs(g, pts, frame, color, dash, size * line_w)
        for x, v in pts:
            if v is not None:
                g.add(marker(shape, x, frame.y(v), size * 0.28, color if filled else white, color, width=1.3))
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
        name = fit(name, font, size * 0.85, right - left - sample_w - 6)
        item_w = sample_w + 5 + stringWidth(name, font, size * 0.85)
        if x > left and x + item_w > right:
            rows, x = rows + 1, left
        y = height - rows * size * 1.5 + size * 0.2
        g.add(Line(x, y + size * 0.3, x + sample_w, y + size * 0.3, strokeColor=color, strokeWidth=size * line_w,
                   strokeDashArray=dash))
        g.add(marker(shape, x + sample_w / 2, y + size * 0.3, size * 0.28, color if filled else white, color, 1.3))
        g.add(draw_text(x + sample_w + 5, y, name, font=font, size=size * 0.85, color=INK))
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
        parts.append(_("Concept %(version)s from %(period)s.", version=clean(label), period=clean(period)))
    return " ".join(parts)
