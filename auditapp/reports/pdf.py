"""The visit report as PDF bytes (reportlab platypus), drawn from the same content as the HTML page.

Photos are embedded as their original JPEG bytes (DCTDecode).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Sequence

from PIL import Image as PILImage
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (CondPageBreak, Flowable, Image, PageBreak, Paragraph, Spacer, Table, TableStyle)

from .charts import journey_curve
from .content import HistoryItem, PhaseRow, PhotoItem, TouchpointRow, VisitReport
from .pdf_base import (ALERT, ALERT_BG, BAND_FILL, INK, MAX_CELL_TEXT, MUTED, RULE, SHADE, Styles, band_cell, band_word, build_pdf,
                       clean, document, esc, fonts, grid)
from .text import _, format_datetime, format_number, format_score, ngettext, term_label

_REPORTLAB_JPEG_SUFFIXES = (".jpg", ".JPG", ".jpeg", ".JPEG")  # what platypus.Image embeds without decoding


def visit_report_pdf(report: VisitReport) -> bytes:
    """Render one visit: cover with score and journey curve, failures, standards, remarks, photos, history."""
    regular, bold = fonts()
    st = Styles(regular, bold)
    buffer = io.BytesIO()
    doc = document(buffer, A4, title=_("Visit report #%(id)s – %(branch)s", id=report.visit_id,
                                        branch=clean(report.branch_name)),
                    subject=_("%(concept)s (version %(version)s)", concept=clean(report.concept_name),
                              version=report.concept_version))
    width = doc.width
    story: list[Flowable] = []
    story += _visit_cover(report, st, width)
    story.append(PageBreak())
    story += _visit_phases(report, st, width)
    story += [CondPageBreak(70), Paragraph(_("General remarks"), st.h2)]
    remarks = [part for part in re.split(r"\n\s*\n", clean(report.remarks)) if part.strip()]
    story += [Paragraph(esc(part), st.para) for part in remarks] or [Paragraph(_("No general remarks."), st.muted)]
    story += _visit_photos(report.photos, st, width)
    story += _visit_history(report.history, st, width)
    footer = _("Visit report #%(id)s · %(code)s %(branch)s", id=report.visit_id, code=report.branch_code,
               branch=report.branch_name)
    build_pdf(doc, story, footer, regular)
    return buffer.getvalue()


def _visit_cover(report: VisitReport, st: Styles, width: float) -> list[Flowable]:
    """Say what was audited and how it went, at a glance."""
    place = " · ".join(esc(part) for part in (report.branch_code, report.city) if part)
    facts = [
        (_("Branch"), f"{esc(report.branch_name)} ({esc(report.branch_code)})"
                      + (f", {esc(report.city)}" if report.city else "")),
        (_("Concept"), _("%(concept)s, version %(version)s", concept=esc(report.concept_name),
                         version=report.concept_version)),
        (_("Channel"), esc(term_label(report.channel))),
        (_("Persona"), esc(report.persona) or "—"),
        (_("Visited"), format_datetime(report.visited_at)),
        (_("Auditor"), esc(report.auditor) or "—"),
        (_("Status"), esc(term_label(report.status))),
    ]
    facts_table = Table([[Paragraph(k, st.muted), Paragraph(v, st.body)] for k, v in facts],
                        colWidths=[22 * mm, width * 0.62 - 22 * mm - 6])
    facts_table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                     ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]))

    card_w = width * 0.38
    band = report.band
    failures = len(report.critical_failures)
    card_rows = [
        [Paragraph(_("Visit score"), st.center_small)],
        [Paragraph(format_score(report.score), st.big)],
        [Paragraph((band_word(band) or _("Not scored")).upper(), st.band)],
        [Paragraph(_("Good from %(good)s, poor below %(poor)s", good=format_number(report.good),
                     poor=format_number(report.poor)), st.center_small)],
    ]
    if failures:
        count = ngettext("%(num)d critical failure", "%(num)d critical failures", failures)
        card_rows.append([Paragraph(f"<font color='#A4231B'><b>{count}</b></font>", st.center)])
    card = Table(card_rows, colWidths=[card_w])
    card_style = [("BOX", (0, 0), (-1, -1), 0.8, INK), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                  ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                  ("TOPPADDING", (0, 0), (0, 0), 6), ("BOTTOMPADDING", (0, 1), (0, 1), 6)]
    if band in BAND_FILL:
        card_style.append(("BACKGROUND", (0, 2), (0, 2), BAND_FILL[band]))
    card.setStyle(TableStyle(card_style))

    header = Table([[facts_table, card]], colWidths=[width * 0.62, card_w])
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    out: list[Flowable] = [
        Paragraph(_("VISIT REPORT · #%(id)s", id=report.visit_id), st.kicker),
        Paragraph(esc(report.branch_name), st.title),
        Paragraph(f"{place} · {esc(report.concept_name)}" if place else esc(report.concept_name), st.subtitle),
        header,
        Spacer(1, 10),
        _critical_box(report.critical_failures, st, width),
        Paragraph(_("Journey curve"), st.h2),
        Paragraph(_("Touchpoint scores (0–100) in journey order. Peak, low and end are marked: guests remember "
                    "the best and the last moment most."), st.muted),
        Spacer(1, 4),
        journey_curve(report.curve, good=report.good, poor=report.poor, width=int(width), height=230,
                      font=st.regular, bold_font=st.bold, font_size=9.5),
    ]
    if report.phases:
        out += [Paragraph(_("Phases"), st.h2), _phase_summary(report.phases, st, width)]
    return out


def _critical_box(failures: Sequence[str], st: Styles, width: float) -> Flowable:
    """Put failed critical standards where no reader can miss them."""
    if not failures:
        box = Table([[Paragraph(_("No critical failures."), st.body)]], colWidths=[width])
        box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.5, RULE), ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 8)]))
        return box
    rows = [[Paragraph(_("CRITICAL FAILURES (%(count)d) – each sets its touchpoint to 0", count=len(failures)),
                       ParagraphStyle("alert", st.head, textColor=ALERT, fontSize=9))]]
    rows += [[Paragraph(esc(text, 600), st.body, bulletText="•")] for text in failures]
    box = Table(rows, colWidths=[width])
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.2, ALERT), ("BACKGROUND", (0, 0), (-1, -1), ALERT_BG),
                             ("LEFTPADDING", (0, 0), (-1, -1), 10), ("TOPPADDING", (0, 0), (-1, -1), 2),
                             ("TOPPADDING", (0, 0), (0, 0), 6), ("BOTTOMPADDING", (0, -1), (-1, -1), 6)]))
    return box


def _phase_summary(phases: Sequence[PhaseRow], st: Styles, width: float) -> Table:
    """One line per phase, so the cover shows where the journey is weak."""
    rows = [[Paragraph(_("Phase"), st.head), Paragraph(_("Touchpoints"), st.head_right),
             Paragraph(_("Score"), st.head_right)]]
    style = []
    for i, phase in enumerate(phases, start=1):
        scored = sum(1 for tp in phase.touchpoints if tp.score is not None)
        rows.append([Paragraph(esc(phase.name), st.cell),
                     Paragraph(_("%(scored)d of %(total)d scored", scored=scored, total=len(phase.touchpoints)),
                               st.cell_right),
                     band_cell(phase.score, phase.band, st)])
        if phase.band in BAND_FILL:
            style.append(("BACKGROUND", (2, i), (2, i), BAND_FILL[phase.band]))
    table = Table(rows, colWidths=[width * 0.55, width * 0.25, width * 0.20], repeatRows=1)
    table.setStyle(grid(style))
    return table


def _visit_phases(report: VisitReport, st: Styles, width: float) -> list[Flowable]:
    """Per phase, every touchpoint and standard with answer, score, weight and comment: the score's trail."""
    out: list[Flowable] = [Paragraph(_("Standards by phase"), st.h2),
                           Paragraph(_("Standard scores run from 0 to 100; a touchpoint's score is their mean "
                                       "weighted by the weights shown. n/a and unscored answers do not count."),
                                     st.muted)]
    widths = [width * f for f in (0.37, 0.16, 0.085, 0.085, 0.30)]
    for phase in report.phases:
        out.append(CondPageBreak(110))  # keepWithNext would move a whole long table to the next page
        out.append(Paragraph(f"{esc(phase.name)} <font color='#5F6368' size='10'>· "
                             f"{format_score(phase.score)} {band_word(phase.band)}</font>", st.h3))
        rows: list[list] = [[Paragraph(h, s) for h, s in ((_("Standard"), st.head), (_("Answer"), st.head),
                                                          (_("Score"), st.head_right), (_("Weight"), st.head_right),
                                                          (_("Comment"), st.head))]]
        style: list[tuple] = []
        for tp in phase.touchpoints:
            rows, style = _touchpoint_rows(tp, st, rows, style)
        if len(rows) == 1:
            rows.append([Paragraph(_("No touchpoints for this channel."), st.muted), "", "", "", ""])
            style.append(("SPAN", (0, 1), (-1, 1)))
        table = Table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(grid(style))
        out.append(table)
    return out


def _touchpoint_rows(tp: TouchpointRow, st: Styles, rows: list[list], style: list[tuple]
                     ) -> tuple[list[list], list[tuple]]:
    """Add a touchpoint's header row and its standards to a phase table."""
    r = len(rows)
    details = [_("weight %(weight)s", weight=format_number(tp.weight))]
    if tp.staff:
        details.append(_("served by %(name)s", name=esc(tp.staff, 200)))
    rows.append([Paragraph(f"<b>{esc(tp.name)}</b> <font color='#5F6368' size='7.5'>{' · '.join(details)}</font>",
                           st.cell), "", band_cell(tp.score, tp.band, st), "", ""])
    style += [("SPAN", (0, r), (1, r)), ("SPAN", (2, r), (4, r)), ("BACKGROUND", (0, r), (-1, r), SHADE),
              ("LINEABOVE", (0, r), (-1, r), 0.6, MUTED),
              ("NOSPLIT", (0, r), (-1, r + 1))]  # never leave a touchpoint's header alone at a page foot
    if tp.band in BAND_FILL:
        style.append(("BACKGROUND", (2, r), (4, r), BAND_FILL[tp.band]))
    if not tp.standards:
        rows.append([Paragraph(_("No standards for this channel."), st.muted), "", "", "", ""])
        style.append(("SPAN", (0, r + 1), (-1, r + 1)))
    for sr in tp.standards:
        text = esc(sr.text, 600)
        if sr.failed_critical:
            text = f"<font color='#A4231B'><b>{_('CRITICAL – FAILED')}</b></font><br/>{text}"
        elif sr.critical:
            text = f"<font color='#5F6368' size='7'><b>{_('CRITICAL')}</b></font><br/>{text}"
        score = format_score(None if sr.score is None else 100 * sr.score)
        rows.append([Paragraph(text, st.cell), Paragraph(esc(sr.answer, MAX_CELL_TEXT) or "—", st.cell),
                     Paragraph(score, st.cell_right), Paragraph(format_number(sr.weight), st.cell_right),
                     Paragraph(esc(sr.comment, MAX_CELL_TEXT), st.cell)])
        if sr.failed_critical:
            style.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), ALERT_BG))
    return rows, style


class _OriginalJpeg(Flowable):
    """Place a JPEG whose file name reportlab does not recognise, still as its original bytes."""

    def __init__(self, path: Path, width: float, height: float) -> None:
        super().__init__()
        self.path, self.width, self.height = path, width, height
        self.hAlign = "CENTER"

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv.drawImage(_JpegSource(self.path), 0, 0, self.width, self.height)


class _JpegSource:
    """What reportlab's image XObject reads a JPEG stream from (its ``jpeg_fh`` protocol)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __str__(self) -> str:  # names the XObject, so the same file is stored once
        return f"jpeg:{self.path}"

    def jpeg_fh(self) -> io.BytesIO:
        return io.BytesIO(self.path.read_bytes())


def _photo_flowable(item: PhotoItem, max_w: float, max_h: float, st: Styles) -> Flowable:
    """Fit a photo into its box, keeping its aspect ratio, without decoding it."""
    path = Path(item.path)
    try:
        with PILImage.open(path) as im:  # reads the header only
            kind, (w, h) = im.format, im.size
    except (OSError, ValueError, PILImage.DecompressionBombError):
        return Paragraph(_("Photo not available."), st.muted)
    if not w or not h:
        return Paragraph(_("Photo not available."), st.muted)
    scale = min(max_w / w, max_h / h)
    dw, dh = w * scale, h * scale
    if kind == "JPEG" and path.suffix in _REPORTLAB_JPEG_SUFFIXES:
        return Image(str(path), width=dw, height=dh)
    if kind == "JPEG":
        return _OriginalJpeg(path, dw, dh)
    return Image(str(path), width=dw, height=dh)  # not a JPEG: reportlab has to re-encode it


def _visit_photos(photos: Sequence[PhotoItem], st: Styles, width: float) -> list[Flowable]:
    """Show the evidence two to a row with caption and where it was taken."""
    if not photos:
        return []
    col = width / 2
    cells = []
    for i, item in enumerate(photos, start=1):
        caption = f"<b>{_('Photo %(number)d', number=i)}</b>" + (
            f" · {esc(item.caption, 400)}" if clean(item.caption).strip() else "")
        cells.append([_photo_flowable(item, col - 10, 175, st), Spacer(1, 3), Paragraph(caption, st.small),
                      Paragraph(esc(item.where, 300), st.muted)])
    rows = [cells[i:i + 2] + [""] * (2 - len(cells[i:i + 2])) for i in range(0, len(cells), 2)]
    table = Table(rows, colWidths=[col, col])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 5),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 12)]))
    return [CondPageBreak(230), Paragraph(_("Photos (%(count)d)", count=len(photos)), st.h2), table]


def _visit_history(history: Sequence[HistoryItem], st: Styles, width: float) -> list[Flowable]:
    """List who changed the status when and why, including reviewers' comments."""
    rows: list[list] = [[Paragraph(h, st.head) for h in (_("When"), _("By"), _("Status"), _("Comment"))]]
    for item in history:
        change = esc(term_label(item.to_status))
        if item.from_status:
            was = _("(was %(status)s)", status=esc(term_label(item.from_status)))
            change += f" <font color='#5F6368'>{was}</font>"
        rows.append([Paragraph(format_datetime(item.at), st.cell), Paragraph(esc(item.actor, 200), st.cell),
                     Paragraph(change, st.cell), Paragraph(esc(item.comment, MAX_CELL_TEXT), st.cell)])
    if len(rows) == 1:
        return [Paragraph(_("Review history"), st.h2), Paragraph(_("No status changes recorded."), st.muted)]
    table = Table(rows, colWidths=[width * f for f in (0.2, 0.16, 0.22, 0.42)], repeatRows=1)
    table.setStyle(grid())
    return [CondPageBreak(90), Paragraph(_("Review history"), st.h2), table]


