"""Visit and branch reports as PDF bytes (reportlab platypus), drawn from the same content as the HTML pages.

Every piece of user text goes through ``esc`` before it reaches Paragraph markup, so a comment such as
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

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (Flowable, Paragraph,
                                SimpleDocTemplate, TableStyle)

from ..vocabulary import Band
from .text import _, format_score, language_tag, term_label


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
MAX_CELL_TEXT = 1500  # a table row must fit on one page; longer text is shortened in tables only


@functools.cache
def fonts() -> tuple[str, str]:
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


def clean(text: object) -> str:
    """Drop control characters that print as boxes; keep line breaks."""
    return _CONTROL.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))


def esc(text: object, limit: int | None = None) -> str:
    """Escape user text for Paragraph markup; newlines become line breaks."""
    text = clean(text).strip()
    if limit is not None and len(text) > limit:
        text = text[:limit].rstrip() + " … " + _("(shortened)")
    return escape(text).replace("\n", "<br/>")


def band_word(band: Band | None) -> str:
    """Name a band in the reader's language; empty when there is none."""
    return term_label(band) if band else ""


class Styles:
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


def document(buffer: io.BytesIO, pagesize: tuple[float, float], title: str, subject: str, *,
             template: type[SimpleDocTemplate] = SimpleDocTemplate, margins: float | None = None) -> SimpleDocTemplate:
    """Set up a page with room for the footer, the title (shown by viewers in place of the file name) and the
    document language, which assistive technology reads the text in."""
    side = 18 * mm if margins is None else margins
    return template(buffer, pagesize=pagesize, leftMargin=side, rightMargin=side,
                    topMargin=15 * mm if margins is None else margins, bottomMargin=18 * mm if margins is None else margins,
                    title=title, subject=subject, author="auditapp", creator="auditapp", lang=language_tag(),
                    displayDocTitle=1)


def build_pdf(doc: SimpleDocTemplate, story: list[Flowable], footer: str, font: str, *, passes: int = 1,
              numbered: bool = True) -> None:
    """Build with page numbers (unless a single card) and binary streams; two passes fill a table of contents."""
    canvas = functools.partial(_NumberedCanvas, footer=clean(footer)[:150], font=font) if numbered else Canvas
    with _binary_streams():
        if passes > 1:
            doc.multiBuild(story, canvasmaker=canvas, maxPasses=passes + 2)
        else:
            doc.build(story, canvasmaker=canvas)


def grid(extra: Sequence[tuple] = ()) -> TableStyle:
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



def band_cell(score: float | None, band: Band | None, st: Styles) -> Paragraph:
    """A score with its band in words."""
    if score is None:
        return Paragraph("—", st.cell_right)
    return Paragraph(f"<b>{format_score(score)}</b> {band_word(band)}", st.cell_right)

