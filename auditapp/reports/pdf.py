"""Visit and branch reports as PDF bytes (reportlab platypus), drawn from the same content as the HTML pages.

Every piece of user text goes through ``_esc`` before it reaches Paragraph markup, so a comment such as
``<font color="x">`` prints literally. Photos are embedded as their original JPEG bytes (DCTDecode).
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
import threading
from pathlib import Path
from typing import Iterator, Sequence
from xml.sax.saxutils import escape

from PIL import Image as PILImage
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (CondPageBreak, Flowable, Image, KeepTogether, PageBreak, Paragraph,
                                SimpleDocTemplate, Spacer, Table, TableStyle)

from ..scoring import band as band_of
from ..vocabulary import Band
from .charts import journey_curve, trend_chart
from .content import BranchReport, Cell, HistoryItem, PhaseRow, PhotoItem, TouchpointRow, VisitReport
from .text import _, format_datetime, format_number, format_score, language_tag, ngettext, term_label

__all__ = ["visit_report_pdf", "branch_report_pdf"]

INK = colors.HexColor("#202124")
MUTED = colors.HexColor("#5F6368")
RULE = colors.HexColor("#C9CCD1")
SHADE = colors.HexColor("#F1F3F4")
ACCENT = colors.HexColor("#1F3A5F")
ALERT = colors.HexColor("#A4231B")
ALERT_BG = colors.HexColor("#FBE9E7")
# Cell fills step down in lightness (good 93 %, fair 86 %, poor 70 %) so a grey print still ranks them;
# the band is always written next to them as a word or letter as well.
BAND_FILL = {Band.GOOD: colors.HexColor("#E3F1DE"), Band.FAIR: colors.HexColor("#F7DC94"),
             Band.POOR: colors.HexColor("#E9A39B")}

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF",
              "/usr/share/fonts/truetype", "/usr/local/share/fonts", "/Library/Fonts", "C:/Windows/Fonts")
_MAX_CELL_TEXT = 1500  # a table row must fit on one page; longer text is shortened in tables only
_REPORTLAB_JPEG_SUFFIXES = (".jpg", ".JPG", ".jpeg", ".JPEG")  # what platypus.Image embeds without decoding


@functools.cache
def _fonts() -> tuple[str, str]:
    """Use DejaVu Sans where installed (covers Central European and Cyrillic names), else Helvetica (Latin-1)."""
    for folder in _FONT_DIRS:
        regular, bold = Path(folder, "DejaVuSans.ttf"), Path(folder, "DejaVuSans-Bold.ttf")
        if regular.is_file() and bold.is_file():
            try:
                pdfmetrics.registerFont(TTFont("AuditSans", str(regular)))
                pdfmetrics.registerFont(TTFont("AuditSans-Bold", str(bold)))
            except Exception:  # a broken font file must not break reports
                continue
            pdfmetrics.registerFontFamily("AuditSans", normal="AuditSans", bold="AuditSans-Bold",
                                          italic="AuditSans", boldItalic="AuditSans-Bold")
            return "AuditSans", "AuditSans-Bold"
    return "Helvetica", "Helvetica-Bold"


_a85_lock = threading.Lock()
_a85_users = 0
_a85_saved = rl_config.useA85


@contextlib.contextmanager
def _binary_streams() -> Iterator[None]:
    """Store streams as binary while building: ASCII85 would add a quarter to every JPEG and cost seconds."""
    global _a85_users, _a85_saved
    with _a85_lock:
        if _a85_users == 0:
            _a85_saved = rl_config.useA85
            rl_config.useA85 = 0
        _a85_users += 1
    try:
        yield
    finally:
        with _a85_lock:
            _a85_users -= 1
            if _a85_users == 0:
                rl_config.useA85 = _a85_saved


def _clean(text: object) -> str:
    """Drop control characters that print as boxes; keep line breaks."""
    return _CONTROL.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))


def _esc(text: object, limit: int | None = None) -> str:
    """Escape user text for Paragraph markup; newlines become line breaks."""
    text = _clean(text).strip()
    if limit is not None and len(text) > limit:
        text = text[:limit].rstrip() + " … " + _("(shortened)")
    return escape(text).replace("\n", "<br/>")


def _band_word(band: Band | None) -> str:
    """Name a band in the reader's language; empty when there is none."""
    return term_label(band) if band else ""


class _Styles:
    """The paragraph styles of both reports in one place."""

    def __init__(self, regular: str, bold: str) -> None:
        base = ParagraphStyle("base", fontName=regular, fontSize=9, leading=12, textColor=INK)
        self.regular, self.bold = regular, bold
        self.body = base
        self.para = ParagraphStyle("para", base, spaceAfter=5)
        self.small = ParagraphStyle("small", base, fontSize=8, leading=10)
        self.muted = ParagraphStyle("muted", base, fontSize=8, leading=10, textColor=MUTED)
        self.cell = ParagraphStyle("cell", base, fontSize=8, leading=10)
        self.cell_right = ParagraphStyle("cell_right", self.cell, alignment=TA_RIGHT)
        self.cell_center = ParagraphStyle("cell_center", self.cell, alignment=TA_CENTER, fontSize=8, leading=9)
        self.head = ParagraphStyle("head", self.cell, fontName=bold, textColor=INK)
        self.head_right = ParagraphStyle("head_right", self.head, alignment=TA_RIGHT)
        self.head_center = ParagraphStyle("head_center", self.head, alignment=TA_CENTER, fontSize=7.5, leading=9)
        self.kicker = ParagraphStyle("kicker", base, fontName=bold, fontSize=8.5, textColor=MUTED, leading=11)
        self.title = ParagraphStyle("title", base, fontName=bold, fontSize=20, leading=24, spaceAfter=2)
        self.subtitle = ParagraphStyle("subtitle", base, fontSize=11, leading=14, textColor=MUTED, spaceAfter=10)
        self.h2 = ParagraphStyle("h2", base, fontName=bold, fontSize=13, leading=16, spaceBefore=12, spaceAfter=6,
                                 textColor=ACCENT)
        self.h3 = ParagraphStyle("h3", base, fontName=bold, fontSize=10.5, leading=13, spaceBefore=8, spaceAfter=4)
        self.big = ParagraphStyle("big", base, fontName=bold, fontSize=30, leading=34, alignment=TA_CENTER)
        self.center = ParagraphStyle("center", base, alignment=TA_CENTER)
        self.center_small = ParagraphStyle("center_small", self.muted, alignment=TA_CENTER)
        self.band = ParagraphStyle("band", base, fontName=bold, fontSize=11, leading=14, alignment=TA_CENTER)


class _NumberedCanvas(Canvas):
    """Hold pages back until the end so every footer can say "Page N of M"."""

    def __init__(self, *args, footer: str = "", font: str = "Helvetica", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._footer_text = footer
        self._footer_font = font
        self._held_pages: list[dict] = []

    def showPage(self) -> None:
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held_pages)
        for state in self._held_pages:
            self.__dict__.update(state)
            self._draw_footer(total)
            super().showPage()
        super().save()

    def _draw_footer(self, total: int) -> None:
        width = self._pagesize[0]
        margin = 18 * mm
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(margin, 12 * mm, width - margin, 12 * mm)
        self.setFont(self._footer_font, 7.5)
        self.setFillColor(MUTED)
        self.drawString(margin, 8 * mm, self._footer_text)
        self.drawRightString(width - margin, 8 * mm, _("Page %(page)d of %(pages)d", page=self._pageNumber,
                                                        pages=total))
        self.restoreState()


def _document(buffer: io.BytesIO, pagesize: tuple[float, float], title: str, subject: str) -> SimpleDocTemplate:
    """Set up a page with room for the footer, the title (shown by viewers in place of the file name) and the
    document language, which assistive technology reads the text in."""
    return SimpleDocTemplate(buffer, pagesize=pagesize, leftMargin=18 * mm, rightMargin=18 * mm,
                             topMargin=15 * mm, bottomMargin=18 * mm, title=title, subject=subject,
                             author="auditapp", creator="auditapp", lang=language_tag(), displayDocTitle=1)


def _build(doc: SimpleDocTemplate, story: list[Flowable], footer: str, font: str) -> None:
    """Build with page numbers and binary streams."""
    with _binary_streams():
        doc.build(story, canvasmaker=functools.partial(_NumberedCanvas, footer=_clean(footer)[:150], font=font))


def _grid(extra: Sequence[tuple] = ()) -> TableStyle:
    """A quiet table: header rule, hairlines between rows, top alignment."""
    return TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, 0), (-1, 0), 0.9, INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
        *extra,
    ])


# --- visit report -------------------------------------------------------------------------------------------


def visit_report_pdf(report: VisitReport) -> bytes:
    """Render one visit: cover with score and journey curve, failures, standards, remarks, photos, history."""
    regular, bold = _fonts()
    st = _Styles(regular, bold)
    buffer = io.BytesIO()
    doc = _document(buffer, A4, title=_("Visit report #%(id)s – %(branch)s", id=report.visit_id,
                                        branch=_clean(report.branch_name)),
                    subject=_("%(concept)s (version %(version)s)", concept=_clean(report.concept_name),
                              version=report.concept_version))
    width = doc.width
    story: list[Flowable] = []
    story += _visit_cover(report, st, width)
    story.append(PageBreak())
    story += _visit_phases(report, st, width)
    story += [CondPageBreak(70), Paragraph(_("General remarks"), st.h2)]
    remarks = [part for part in re.split(r"\n\s*\n", _clean(report.remarks)) if part.strip()]
    story += [Paragraph(_esc(part), st.para) for part in remarks] or [Paragraph(_("No general remarks."), st.muted)]
    story += _visit_photos(report.photos, st, width)
    story += _visit_history(report.history, st, width)
    footer = _("Visit report #%(id)s · %(code)s %(branch)s", id=report.visit_id, code=report.branch_code,
               branch=report.branch_name)
    _build(doc, story, footer, regular)
    return buffer.getvalue()


def _visit_cover(report: VisitReport, st: _Styles, width: float) -> list[Flowable]:
    """Say what was audited and how it went, at a glance."""
    place = " · ".join(_esc(part) for part in (report.branch_code, report.city) if part)
    facts = [
        (_("Branch"), f"{_esc(report.branch_name)} ({_esc(report.branch_code)})"
                      + (f", {_esc(report.city)}" if report.city else "")),
        (_("Concept"), _("%(concept)s, version %(version)s", concept=_esc(report.concept_name),
                         version=report.concept_version)),
        (_("Channel"), _esc(term_label(report.channel))),
        (_("Persona"), _esc(report.persona) or "—"),
        (_("Visited"), format_datetime(report.visited_at)),
        (_("Auditor"), _esc(report.auditor) or "—"),
        (_("Status"), _esc(term_label(report.status))),
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
        [Paragraph((_band_word(band) or _("Not scored")).upper(), st.band)],
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
        Paragraph(_esc(report.branch_name), st.title),
        Paragraph(f"{place} · {_esc(report.concept_name)}" if place else _esc(report.concept_name), st.subtitle),
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


def _critical_box(failures: Sequence[str], st: _Styles, width: float) -> Flowable:
    """Put failed critical standards where no reader can miss them."""
    if not failures:
        box = Table([[Paragraph(_("No critical failures."), st.body)]], colWidths=[width])
        box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.5, RULE), ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 8)]))
        return box
    rows = [[Paragraph(_("CRITICAL FAILURES (%(count)d) – each sets its touchpoint to 0", count=len(failures)),
                       ParagraphStyle("alert", st.head, textColor=ALERT, fontSize=9))]]
    rows += [[Paragraph(_esc(text, 600), st.body, bulletText="•")] for text in failures]
    box = Table(rows, colWidths=[width])
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.2, ALERT), ("BACKGROUND", (0, 0), (-1, -1), ALERT_BG),
                             ("LEFTPADDING", (0, 0), (-1, -1), 10), ("TOPPADDING", (0, 0), (-1, -1), 2),
                             ("TOPPADDING", (0, 0), (0, 0), 6), ("BOTTOMPADDING", (0, -1), (-1, -1), 6)]))
    return box


def _band_cell(score: float | None, band: Band | None, st: _Styles) -> Paragraph:
    """A score with its band in words."""
    if score is None:
        return Paragraph("—", st.cell_right)
    return Paragraph(f"<b>{format_score(score)}</b> {_band_word(band)}", st.cell_right)


def _phase_summary(phases: Sequence[PhaseRow], st: _Styles, width: float) -> Table:
    """One line per phase, so the cover shows where the journey is weak."""
    rows = [[Paragraph(_("Phase"), st.head), Paragraph(_("Touchpoints"), st.head_right),
             Paragraph(_("Score"), st.head_right)]]
    style = []
    for i, phase in enumerate(phases, start=1):
        scored = sum(1 for tp in phase.touchpoints if tp.score is not None)
        rows.append([Paragraph(_esc(phase.name), st.cell),
                     Paragraph(_("%(scored)d of %(total)d scored", scored=scored, total=len(phase.touchpoints)),
                               st.cell_right),
                     _band_cell(phase.score, phase.band, st)])
        if phase.band in BAND_FILL:
            style.append(("BACKGROUND", (2, i), (2, i), BAND_FILL[phase.band]))
    table = Table(rows, colWidths=[width * 0.55, width * 0.25, width * 0.20], repeatRows=1)
    table.setStyle(_grid(style))
    return table


def _visit_phases(report: VisitReport, st: _Styles, width: float) -> list[Flowable]:
    """Per phase, every touchpoint and standard with answer, score, weight and comment: the score's trail."""
    out: list[Flowable] = [Paragraph(_("Standards by phase"), st.h2),
                           Paragraph(_("Standard scores run from 0 to 100; a touchpoint's score is their mean "
                                       "weighted by the weights shown. n/a and unscored answers do not count."),
                                     st.muted)]
    widths = [width * f for f in (0.37, 0.16, 0.085, 0.085, 0.30)]
    for phase in report.phases:
        out.append(CondPageBreak(110))  # keepWithNext would move a whole long table to the next page
        out.append(Paragraph(f"{_esc(phase.name)} <font color='#5F6368' size='10'>· "
                             f"{format_score(phase.score)} {_band_word(phase.band)}</font>", st.h3))
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
        table.setStyle(_grid(style))
        out.append(table)
    return out


def _touchpoint_rows(tp: TouchpointRow, st: _Styles, rows: list[list], style: list[tuple]
                     ) -> tuple[list[list], list[tuple]]:
    """Add a touchpoint's header row and its standards to a phase table."""
    r = len(rows)
    details = [_("weight %(weight)s", weight=format_number(tp.weight))]
    if tp.staff:
        details.append(_("served by %(name)s", name=_esc(tp.staff, 200)))
    rows.append([Paragraph(f"<b>{_esc(tp.name)}</b> <font color='#5F6368' size='7.5'>{' · '.join(details)}</font>",
                           st.cell), "", _band_cell(tp.score, tp.band, st), "", ""])
    style += [("SPAN", (0, r), (1, r)), ("SPAN", (2, r), (4, r)), ("BACKGROUND", (0, r), (-1, r), SHADE),
              ("LINEABOVE", (0, r), (-1, r), 0.6, MUTED),
              ("NOSPLIT", (0, r), (-1, r + 1))]  # never leave a touchpoint's header alone at a page foot
    if tp.band in BAND_FILL:
        style.append(("BACKGROUND", (2, r), (4, r), BAND_FILL[tp.band]))
    if not tp.standards:
        rows.append([Paragraph(_("No standards for this channel."), st.muted), "", "", "", ""])
        style.append(("SPAN", (0, r + 1), (-1, r + 1)))
    for sr in tp.standards:
        text = _esc(sr.text, 600)
        if sr.failed_critical:
            text = f"<font color='#A4231B'><b>{_('CRITICAL – FAILED')}</b></font><br/>{text}"
        elif sr.critical:
            text = f"<font color='#5F6368' size='7'><b>{_('CRITICAL')}</b></font><br/>{text}"
        score = format_score(None if sr.score is None else 100 * sr.score)
        rows.append([Paragraph(text, st.cell), Paragraph(_esc(sr.answer, _MAX_CELL_TEXT) or "—", st.cell),
                     Paragraph(score, st.cell_right), Paragraph(format_number(sr.weight), st.cell_right),
                     Paragraph(_esc(sr.comment, _MAX_CELL_TEXT), st.cell)])
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


def _photo_flowable(item: PhotoItem, max_w: float, max_h: float, st: _Styles) -> Flowable:
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


def _visit_photos(photos: Sequence[PhotoItem], st: _Styles, width: float) -> list[Flowable]:
    """Show the evidence two to a row with caption and where it was taken."""
    if not photos:
        return []
    col = width / 2
    cells = []
    for i, item in enumerate(photos, start=1):
        caption = f"<b>{_('Photo %(number)d', number=i)}</b>" + (
            f" · {_esc(item.caption, 400)}" if _clean(item.caption).strip() else "")
        cells.append([_photo_flowable(item, col - 10, 175, st), Spacer(1, 3), Paragraph(caption, st.small),
                      Paragraph(_esc(item.where, 300), st.muted)])
    rows = [cells[i:i + 2] + [""] * (2 - len(cells[i:i + 2])) for i in range(0, len(cells), 2)]
    table = Table(rows, colWidths=[col, col])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 5),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 12)]))
    return [CondPageBreak(230), Paragraph(_("Photos (%(count)d)", count=len(photos)), st.h2), table]


def _visit_history(history: Sequence[HistoryItem], st: _Styles, width: float) -> list[Flowable]:
    """List who changed the status when and why, including reviewers' comments."""
    rows: list[list] = [[Paragraph(h, st.head) for h in (_("When"), _("By"), _("Status"), _("Comment"))]]
    for item in history:
        change = _esc(term_label(item.to_status))
        if item.from_status:
            was = _("(was %(status)s)", status=_esc(term_label(item.from_status)))
            change += f" <font color='#5F6368'>{was}</font>"
        rows.append([Paragraph(format_datetime(item.at), st.cell), Paragraph(_esc(item.actor, 200), st.cell),
                     Paragraph(change, st.cell), Paragraph(_esc(item.comment, _MAX_CELL_TEXT), st.cell)])
    if len(rows) == 1:
        return [Paragraph(_("Review history"), st.h2), Paragraph(_("No status changes recorded."), st.muted)]
    table = Table(rows, colWidths=[width * f for f in (0.2, 0.16, 0.22, 0.42)], repeatRows=1)
    table.setStyle(_grid())
    return [CondPageBreak(90), Paragraph(_("Review history"), st.h2), table]


# --- branch report ------------------------------------------------------------------------------------------


def branch_report_pdf(report: BranchReport) -> bytes:
    """Render a branch's touchpoint scores over periods, next to all branches; landscape when periods are many."""
    regular, bold = _fonts()
    st = _Styles(regular, bold)
    buffer = io.BytesIO()
    periods = report.periods
    pagesize = landscape(A4) if len(periods) > 6 else A4
    span = _("%(first)s to %(last)s", first=periods[0], last=periods[-1]) if periods else _("no periods")
    doc = _document(buffer, pagesize, title=_("Branch report – %(branch)s (%(span)s)",
                                              branch=_clean(report.branch_name), span=span),
                    subject=_clean(report.concept_name))
    width = doc.width
    place = " · ".join(_esc(p) for p in (report.branch_code, report.city, report.region) if _clean(p).strip())
    kind = {"month": _("Monthly"), "quarter": _("Quarterly"), "year": _("Yearly")}.get(report.period_kind,
                                                                                     report.period_kind)
    story: list[Flowable] = [
        Paragraph(_("BRANCH REPORT"), st.kicker),
        Paragraph(_esc(report.branch_name), st.title),
        Paragraph(f"{place} · {_esc(report.concept_name)} · {_esc(kind)}, {_esc(span)}", st.subtitle),
        _latest_summary(report, st),
        Paragraph(_("Trend"), st.h2),
        Paragraph(_("Mean score of approved visits per period; dashed vertical lines mark a new concept version."),
                  st.muted),
        Spacer(1, 4),
        trend_chart(periods, [(_("This branch"), [c.score for c in report.overall]),
                              (_("All branches"), [c.score for c in report.network])],
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
    _build(doc, story, _("Branch report · %(code)s %(branch)s", code=report.branch_code, branch=report.branch_name),
           regular)
    return buffer.getvalue()


def _latest_summary(report: BranchReport, st: _Styles) -> Flowable:
    """Compare the latest period with data against all branches in one sentence."""
    for period, own, net in reversed(list(zip(report.periods, report.overall, report.network))):
        if own.score is not None:
            band = _band_word(band_of(own.score, report.good, report.poor))
            text = _("Latest period <b>%(period)s</b>: this branch <b>%(score)s</b> %(band)s (n=%(n)d)",
                     period=_esc(period), score=format_score(own.score), band=band, n=own.n)
            if net.score is not None:
                diff = own.score - net.score
                text += _(", all branches %(score)s (n=%(n)d); difference %(diff)s.", score=format_score(net.score),
                          n=net.n, diff=format_score(diff, signed=True))
            return Paragraph(text, st.body)
    return Paragraph(_("No approved visits in these periods."), st.muted)


def _heat_cell(cell: Cell, good: float, poor: float, st: _Styles) -> tuple[Paragraph, Band | None]:
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
                                                   ("network", _("All branches"), report.network)]
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


def _heatmaps(report: BranchReport, st: _Styles, width: float) -> list[Flowable]:
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
            label = _esc(periods[i])
            if periods[i] in marks:
                label += f"<br/><font size='6.5' color='#202124'>{_esc(', '.join(marks[periods[i]]))}</font>"
                style.append(("LINEBEFORE", (c, 0), (c, -1), 1.2, INK, None, (3, 2)))
            header.append(Paragraph(label, st.head_center))
        data: list[list] = [header]
        for kind, name, cells in rows:
            r = len(data)
            name_style = st.head if kind in ("total", "phase") else st.cell
            label = _esc(name, 300)
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
        table.setStyle(_grid(style + [("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
        if len(periods) > per_chunk:
            out.append(Paragraph(_("Periods %(first)s to %(last)s", first=_esc(periods[chunk[0]]),
                                   last=_esc(periods[chunk[-1]])), st.h3))
        out += [table, Spacer(1, 8)]
    return out


def _weakest(report: BranchReport, st: _Styles, width: float) -> list[Flowable]:
    """List the touchpoints to work on first."""
    if not report.weakest:
        return []
    rows: list[list] = [[Paragraph(h, s) for h, s in (("#", st.head), (_("Touchpoint"), st.head),
                                                      (_("Score"), st.head_right), (_("Visits"), st.head_right))]]
    style = []
    for i, (name, score, n) in enumerate(report.weakest, start=1):
        band = band_of(score, report.good, report.poor)
        rows.append([Paragraph(str(i), st.cell), Paragraph(_esc(name, 300), st.cell),
                     _band_cell(score, band, st), Paragraph(f"n={n}", st.cell_right)])
        if band:
            style.append(("BACKGROUND", (2, i), (2, i), BAND_FILL[band]))
    table = Table(rows, colWidths=[8 * mm, width * 0.55, 30 * mm, 22 * mm], repeatRows=1, hAlign="LEFT")
    table.setStyle(_grid(style))
    return [KeepTogether([Paragraph(_("Weakest touchpoints"), st.h2), table])]


def _failed_standards(report: BranchReport, st: _Styles, width: float) -> list[Flowable]:
    """List the standards missed most often, with how often they were checked."""
    if not report.failed_standards:
        return []
    rows: list[list] = [[Paragraph(h, s) for h, s in ((_("Standard"), st.head), (_("Touchpoint"), st.head),
                                                      (_("Failed"), st.head_right), (_("Share"), st.head_right))]]
    for text, touchpoint, failed, answered in report.failed_standards:
        share = (_("%(failed)d of %(answered)d (%(share).0f %%)", failed=failed, answered=answered,
                   share=100 * failed / answered) if answered else f"{failed}")
        rows.append([Paragraph(_esc(text, 600), st.cell), Paragraph(_esc(touchpoint, 300), st.cell),
                     Paragraph(str(failed), st.cell_right), Paragraph(share, st.cell_right)])
    table = Table(rows, colWidths=[width * 0.5, width * 0.24, width * 0.08, width * 0.18], repeatRows=1,
                  hAlign="LEFT")
    table.setStyle(_grid())
    return [CondPageBreak(90), Paragraph(_("Most failed standards"), st.h2), table]
