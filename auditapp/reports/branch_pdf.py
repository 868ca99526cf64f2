"""The branch report as PDF bytes: trends, heatmaps, the weakest touchpoints and the standards failed most often."""

from __future__ import annotations

import io
from typing import Sequence

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table

from ..scoring import band as band_of
from ..vocabulary import Band
from .charts import trend_chart
from .content import BranchReport, Cell
from .pdf_base import (BAND_FILL, INK, SHADE, Styles, band_cell, band_word, build_pdf,
                       clean, document, esc, fonts, grid)
from .text import _, format_number, format_period, format_score


def branch_report_pdf(report: BranchReport) -> bytes:
    """Render a branch's touchpoint scores over periods, next to all branches; landscape when periods are many."""
    regular, bold = fonts()
    st = Styles(regular, bold)
    buffer = io.BytesIO()
    periods = report.periods
    pagesize = landscape(A4) if len(periods) > 6 else A4
    span = (_("%(first)s to %(last)s", first=format_period(periods[0]), last=format_period(periods[-1])) if periods
            else _("no periods"))
    doc = document(buffer, pagesize, title=_("Branch report – %(branch)s (%(span)s)",
                                              branch=clean(report.branch_name), span=span),
                    subject=clean(report.concept_name))
    width = doc.width
    place = " · ".join(esc(p) for p in (report.branch_code, report.city, report.region) if clean(p).strip())
    kind = {"month": _("Monthly"), "quarter": _("Quarterly"), "year": _("Yearly")}.get(report.period_kind,
                                                                                     report.period_kind)
    story: list[Flowable] = [
        Paragraph(_("BRANCH REPORT"), st.kicker),
        Paragraph(esc(report.branch_name), st.title),
        Paragraph(f"{place} · {esc(report.concept_name)} · {esc(kind)}, {esc(span)}", st.subtitle),
        _latest_summary(report, st),
        Paragraph(_("Trend"), st.h2),
        Paragraph(_("Mean score of approved visits per period; dashed vertical lines mark a new concept version."),
                  st.muted),
        Spacer(1, 4),
        trend_chart(periods, [(_("This branch"), [c.score for c in report.overall]),
                              (_(report.network_label), [c.score for c in report.network])],
                    good=report.good, poor=report.poor, version_marks=report.version_marks, width=int(width),
                    height=200 if pagesize == A4 else 185, font=regular, bold_font=bold, font_size=9.5),
        CondPageBreak(160),
        Paragraph(_("Scores per touchpoint"), st.h2),
        Paragraph(_("Each cell: mean score, band letter (G good from %(good)s, F fair, P poor below %(poor)s) and "
                    "n = number of approved visits. – means no visit in that period.",
                    good=format_number(report.good), poor=format_number(report.poor)), st.muted),
        Spacer(1, 4),
    ]
    story += _heatmaps(report, st, width)
    story += _weakest(report, st, width)
    story += _failed_standards(report, st, width)
    build_pdf(doc, story, _("Branch report · %(code)s %(branch)s", code=report.branch_code, branch=report.branch_name),
           regular)
    return buffer.getvalue()


def _latest_summary(report: BranchReport, st: Styles) -> Flowable:
    """Compare the latest period with data against all branches in one sentence."""
    for period, own, net in reversed(list(zip(report.periods, report.overall, report.network))):
        if own.score is not None:
            band = band_word(band_of(own.score, report.good, report.poor))
            text = _("Latest period <b>%(period)s</b>: this branch <b>%(score)s</b> %(band)s (n=%(n)d)",
                     period=esc(period), score=format_score(own.score), band=band, n=own.n)
            if net.score is not None:
                diff = own.score - net.score
                text += _(", all branches %(score)s (n=%(n)d); difference %(diff)s.", score=format_score(net.score),
                          n=net.n, diff=format_score(diff, signed=True))
            return Paragraph(text, st.body)
    return Paragraph(_("No approved visits in these periods."), st.muted)


def _heat_cell(cell: Cell, good: float, poor: float, st: Styles) -> tuple[Paragraph, Band | None]:
    """A cell with score, band letter and n; colour repeats what the letter says."""
    if cell.score is None or cell.n == 0:
        return Paragraph("<font color='#5F6368'>–</font>", st.cell_center), None
    band = band_of(cell.score, good, poor)
    text = (f"<b>{format_score(cell.score)}</b> <font size='6.5'>{_(band.letter)}</font><br/>"
            f"<font size='6.5' color='#3C4043'>n={cell.n}</font>")
    return Paragraph(text, st.cell_center), band


def _heat_rows(report: BranchReport) -> list[tuple[str, str, Sequence[Cell]]]:
    """Order the rows: overall, all branches, then each phase followed by its touchpoints."""
    rows: list[tuple[str, str, Sequence[Cell]]] = [("total", _("This branch (overall)"), report.overall),
                                                   ("network", _(report.network_label), report.network)]
    placed: set[int] = set()
    for phase in report.phases:
        rows.append(("phase", phase.name, phase.cells))
        for i, tp in enumerate(report.touchpoints):
            if i not in placed and tp.phase in (phase.key, phase.name):
                rows.append(("touchpoint", tp.name, tp.cells))
                placed.add(i)
    current = None
    for i, tp in enumerate(report.touchpoints):
        if i in placed:
            continue
        group = tp.phase if not report.phases else _("Other touchpoints")
        if group != current:
            rows.append(("phase", group, ()))
            current = group
        rows.append(("touchpoint", tp.name, tp.cells))
    return rows


def _heatmaps(report: BranchReport, st: Styles, width: float) -> list[Flowable]:
    """Draw the touchpoint × period table, split into column chunks when the periods do not fit."""
    periods = report.periods
    if not periods:
        return [Paragraph(_("No periods to show."), st.muted)]
    name_w = 52 * mm if width < 600 else 62 * mm
    per_chunk = max(1, int((width - name_w) // (16 * mm)))
    marks: dict[str, list[str]] = {}
    for period, label in report.version_marks:
        marks.setdefault(period, []).append(label)
    rows = _heat_rows(report)
    out: list[Flowable] = []
    for start in range(0, len(periods), per_chunk):
        chunk = list(range(start, min(start + per_chunk, len(periods))))
        cell_w = min(22 * mm, (width - name_w) / len(chunk))
        header = [Paragraph(_("Touchpoint"), st.head)]
        style: list[tuple] = [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (1, 0), (-1, -1), "CENTER"),
                              ("INNERGRID", (1, 1), (-1, -1), 0.6, colors.white)]
        for c, i in enumerate(chunk, start=1):
            label = esc(periods[i])
            if periods[i] in marks:
                label += f"<br/><font size='6.5' color='#202124'>{esc(', '.join(marks[periods[i]]))}</font>"
                style.append(("LINEBEFORE", (c, 0), (c, -1), 1.2, INK, None, (3, 2)))
            header.append(Paragraph(label, st.head_center))
        data: list[list] = [header]
        for kind, name, cells in rows:
            r = len(data)
            name_style = st.head if kind in ("total", "phase") else st.cell
            label = esc(name, 300)
            if kind == "touchpoint":
                label = f"&nbsp;&nbsp;&nbsp;{label}"
            elif kind == "network":
                label = f"<font color='#5F6368'>{label}</font>"
            line = [Paragraph(label, name_style)]
            for c, i in enumerate(chunk, start=1):
                cell = cells[i] if i < len(cells) else Cell(None, 0)
                para, band = _heat_cell(cell, report.good, report.poor, st)
                line.append(para)
                if band:
                    style.append(("BACKGROUND", (c, r), (c, r), BAND_FILL[band]))
            data.append(line)
            if kind == "phase":
                style += [("LINEABOVE", (0, r), (-1, r), 0.8, INK), ("BACKGROUND", (0, r), (0, r), SHADE)]
                if r < len(rows):  # rows[r] is the next one (data has the header on top)
                    style.append(("NOSPLIT", (0, r), (-1, r + 1)))
            if kind == "network":
                style.append(("LINEBELOW", (0, r), (-1, r), 0.8, INK))
        table = Table(data, colWidths=[name_w] + [cell_w] * len(chunk), repeatRows=1, hAlign="LEFT")
        table.setStyle(grid(style + [("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
        if len(periods) > per_chunk:
            out.append(Paragraph(_("Periods %(first)s to %(last)s", first=esc(periods[chunk[0]]),
                                   last=esc(periods[chunk[-1]])), st.h3))
        out += [table, Spacer(1, 8)]
    return out


def _weakest(report: BranchReport, st: Styles, width: float) -> list[Flowable]:
    """List the touchpoints to work on first."""
    if not report.weakest:
        return []
    rows: list[list] = [[Paragraph(h, s) for h, s in (("#", st.head), (_("Touchpoint"), st.head),
                                                      (_("Score"), st.head_right), (_("Visits"), st.head_right))]]
    style = []
    for i, (name, score, n) in enumerate(report.weakest, start=1):
        band = band_of(score, report.good, report.poor)
        rows.append([Paragraph(str(i), st.cell), Paragraph(esc(name, 300), st.cell),
                     band_cell(score, band, st), Paragraph(f"n={n}", st.cell_right)])
        if band:
            style.append(("BACKGROUND", (2, i), (2, i), BAND_FILL[band]))
    table = Table(rows, colWidths=[8 * mm, width * 0.55, 30 * mm, 22 * mm], repeatRows=1, hAlign="LEFT")
    table.setStyle(grid(style))
    return [KeepTogether([Paragraph(_("Weakest touchpoints"), st.h2), table])]


def _failed_standards(report: BranchReport, st: Styles, width: float) -> list[Flowable]:
    """List the standards missed most often, with how often they were checked."""
    if not report.failed_standards:
        return []
    rows: list[list] = [[Paragraph(h, s) for h, s in ((_("Standard"), st.head), (_("Touchpoint"), st.head),
                                                      (_("Failed"), st.head_right), (_("Share"), st.head_right))]]
    for text, touchpoint, failed, answered in report.failed_standards:
        share = (_("%(failed)d of %(answered)d (%(share).0f %%)", failed=failed, answered=answered,
                   share=100 * failed / answered) if answered else f"{failed}")
        rows.append([Paragraph(esc(text, 600), st.cell), Paragraph(esc(touchpoint, 300), st.cell),
                     Paragraph(str(failed), st.cell_right), Paragraph(share, st.cell_right)])
    table = Table(rows, colWidths=[width * 0.5, width * 0.24, width * 0.08, width * 0.18], repeatRows=1,
                  hAlign="LEFT")
    table.setStyle(grid())
    return [CondPageBreak(90), Paragraph(_("Most failed standards"), st.h2), table]

