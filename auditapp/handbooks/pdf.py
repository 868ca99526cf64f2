"""The handbook as a booklet (cover, contents, page numbers) and a role's one-page pocket card, as PDF bytes."""

from __future__ import annotations

import io
from datetime import date
from typing import Sequence

from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (Flowable, KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer)
from reportlab.platypus.tableofcontents import TableOfContents

from ..domain_error import Message
from ..reports.charts import journey_curve
from ..reports.content import CurvePoint
from ..reports.pdf_base import Styles, build_pdf, clean, document, esc, fonts
from ..reports.text import TRANSLATOR, _, format_date
from .content import Entry, Handbook

CARD_SIZES = (8.0, 7.0, 6.2, 5.5)  # the card shrinks its type until it fits one page
WHY_LINE = 110  # one line of why on the card


class _Booklet(SimpleDocTemplate):
    """Collect the headings for the contents page as they are laid out."""

    def afterFlowable(self, flowable: Flowable) -> None:
        level = getattr(flowable, "toc_level", None)
        if level is not None:
            self.notify("TOCEntry", (level, flowable.getPlainText(), self.page))


def _heading(text: str, style: ParagraphStyle, level: int) -> Paragraph:
    p = Paragraph(esc(text), style)
    p.toc_level = level
    return p


def _say(value: Message | str | None) -> str:
    if isinstance(value, Message):
        return value.render(TRANSLATOR.get().gettext).strip()
    return "" if value is None else value


def _title(book: Handbook) -> str:
    return book.role.name if book.role else book.concept_name


def handbook_pdf(book: Handbook, curve: Sequence[CurvePoint] | None, good: float, poor: float) -> bytes:
    """The handbook of a concept (or of one role in it): cover, contents, critical standards, each touchpoint."""
    regular, bold = fonts()
    st = Styles(regular, bold)
    buffer = io.BytesIO()
    doc = document(buffer, A4, title=_("Handbook – %(title)s", title=clean(_title(book))),
                   subject=clean(book.concept_name), template=_Booklet)
    toc = TableOfContents()
    toc.levelStyles = [ParagraphStyle("toc0", st.body, fontName=bold, leftIndent=0, spaceBefore=4),
                       ParagraphStyle("toc1", st.body, leftIndent=12)]
    story: list[Flowable] = [
        Spacer(1, 40 * mm), Paragraph(_("HANDBOOK"), st.kicker), Paragraph(esc(_title(book)), st.title),
        Paragraph(esc(book.concept_name) + " · " + _("version %(number)s", number=book.version), st.subtitle),
        Paragraph(esc(format_date(date.today())), st.muted), Spacer(1, 8 * mm),
    ]
    if book.role and book.role.description:
        story.append(Paragraph(esc(book.role.description), st.para))
    if book.description:
        story.append(Paragraph(esc(book.description), st.para))
    story += [PageBreak(), Paragraph(_("Contents"), st.h2), toc, PageBreak()]
    if book.critical:
        story.append(_heading(_("Critical standards"), st.h2, 0))
        story.append(Paragraph(_("Failing one of these sets the whole touchpoint to 0: learn them first."), st.muted))
        story += [Paragraph(f"<b>{esc(e.text)}</b> · {esc(e.touchpoint)}" + (f"<br/>{esc(e.why)}" if e.why else ""),
                            st.para) for e in book.critical]
    story.append(_heading(_("The guest journey"), st.h2, 0))
    for stage in book.stages:
        stops = ", ".join(("● " if book.role and s.owned else "") + esc(s.name) for s in stage.stops)
        story.append(Paragraph(f"<b>{esc(stage.name)}</b>: {stops}", st.para))
    if curve:
        story.append(Paragraph(_("Mean touchpoint scores now; guests remember the peak and the end."), st.muted))
        story.append(journey_curve(curve, good=good, poor=poor, width=int(doc.width), height=200, font=regular,
                                   bold_font=bold, font_size=9))
    for stage in book.stages:
        stops = [s for s in stage.stops if s.entries]
        if not stops:
            continue
        story.append(_heading(stage.name, st.h2, 0))
        for stop in stops:
            block: list[Flowable] = [_heading(stop.name, st.h3, 1)]
            if stop.description:
                block.append(Paragraph(f"<i>{_('What the guest experiences:')}</i> {esc(stop.description)}", st.para))
            story.append(KeepTogether(block))
            story += [KeepTogether(_entry(e, st)) for e in stop.entries]
    build_pdf(doc, story, _("Handbook · %(title)s · %(concept)s", title=_title(book), concept=book.concept_name),
              regular, passes=2)
    return buffer.getvalue()


def _entry(e: Entry, st: Styles) -> list[Flowable]:
    out = [Paragraph(f"<b>{esc(e.text)}</b>" + (" · " + _("critical") if e.critical else ""), st.body)]
    if e.why:
        out.append(Paragraph(f"{_('Why:')} {esc(e.why)}", st.small))
    if e.guidance:
        out.append(Paragraph(f"{_('How it is checked:')} {esc(e.guidance)}", st.small))
    if e.good is not None:
        out.append(Paragraph(f"{_('What good looks like:')} {esc(_say(e.good))}", st.small))
    out.append(Spacer(1, 5))
    return out


def pocket_card_pdf(book: Handbook) -> bytes:
    """One A6 page: the touchpoints the role owns, its critical standards and one line of why each matters."""
    for size in CARD_SIZES:
        body, pages = _card(book, size)
        if pages == 1:
            return body
    return _card(book, CARD_SIZES[-1], limit=True)[0]


def _card(book: Handbook, size: float, limit: bool = False) -> tuple[bytes, int]:
    regular, bold = fonts()
    st = Styles(regular, bold)
    text = ParagraphStyle("card", st.body, fontSize=size, leading=size * 1.25)
    head = ParagraphStyle("cardhead", text, fontName=bold, fontSize=size + 1.5, leading=(size + 1.5) * 1.25,
                          spaceBefore=3)
    buffer = io.BytesIO()
    doc = document(buffer, A6, title=_("Pocket card – %(title)s", title=clean(_title(book))),
                   subject=clean(book.concept_name), margins=7 * mm)
    owned = book.owned
    critical = book.critical[:6] if limit else book.critical
    story: list[Flowable] = [Paragraph(esc(_title(book)), ParagraphStyle("cardtitle", head, fontSize=size + 4,
                                                                         leading=(size + 4) * 1.2)),
                             Paragraph(esc(book.concept_name), text),
                             Paragraph(_("Your touchpoints"), head),
                             Paragraph(" · ".join(esc(s.name) for s in owned) or "—", text)]
    if critical:
        story.append(Paragraph(_("Never miss"), head))
        for e in critical:
            why = e.why if len(e.why) <= WHY_LINE else e.why[:WHY_LINE].rstrip() + "…"
            story.append(Paragraph(f"<b>{esc(e.text)}</b>" + (f" — {esc(why)}" if why else ""), text))
        if len(critical) < len(book.critical):
            story.append(Paragraph(_("…and %(n)d more in the handbook.", n=len(book.critical) - len(critical)), text))
    build_pdf(doc, story, "", regular, numbered=False)
    return buffer.getvalue(), doc.page
