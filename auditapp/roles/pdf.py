"""A role's scores as PDF bytes: the same cells as the page, hidden ones named as such, and its standards."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from ..reports.pdf_base import BAND_FILL, Styles, band_cell, build_pdf, clean, document, esc, fonts, grid
from ..reports.text import _, format_score, ngettext
from ..scoring import band
from .build import Judged, RoleScores

CHUNK = 12  # periods per table; more go in further tables below


def role_scores_pdf(data: RoleScores) -> bytes:
    """Render a role's scores per period and branch, and per standard, for the viewer's branches."""
    regular, bold = fonts()
    st = Styles(regular, bold)
    buffer = io.BytesIO()
    labels = [p.label for p in data.periods]
    pagesize = landscape(A4) if len(labels) > 6 else A4
    span = _("%(first)s to %(last)s", first=labels[0], last=labels[-1])
    doc = document(buffer, pagesize, title=_("Role scores – %(role)s (%(span)s)", role=clean(data.role_name),
                                             span=span), subject=clean(data.concept.name))
    story: list[Flowable] = [
        Paragraph(_("ROLE SCORES"), st.kicker),
        Paragraph(esc(data.role_name), st.title),
        Paragraph(f"{esc(data.concept.name)} · {esc(span)}", st.subtitle),
        Paragraph(_("Mean role score of approved visits per period. A cell with fewer than 3 visits is hidden: "
                    "nobody is judged on one or two visits."), st.muted),
        Spacer(1, 4),
    ]
    story += _periods(data, labels, st, doc.width)
    story += _standards(data, st, doc.width)
    build_pdf(doc, story, _("Role scores · %(role)s · %(concept)s", role=data.role_name, concept=data.concept.name),
              regular)
    return buffer.getvalue()


def _cell(c: Judged, data: RoleScores, st: Styles) -> Paragraph:
    if c.hidden:
        return Paragraph(_("not enough visits") + f"<br/>n={c.n}", st.cell_center)
    return Paragraph(f"<b>{format_score(c.score)}</b><br/>n={c.n}", st.cell_center)


def _periods(data: RoleScores, labels: list[str], st: Styles, width: float) -> list[Flowable]:
    rows = [(_("All branches"), data.overall)] + [(f"{b.name} ({b.code})", b.cells) for b in data.branches]
    out: list[Flowable] = [Paragraph(_("Per period"), st.h2)]
    for start in range(0, len(labels), CHUNK):
        cols = labels[start:start + CHUNK]
        name_w = 45 * mm
        col_w = (width - name_w) / max(len(cols), 1)
        table = [[Paragraph(_("Branch"), st.head)] + [Paragraph(esc(p), st.head_center) for p in cols]]
        style = []
        for r, (name, cells) in enumerate(rows, start=1):
            chunk = cells[start:start + CHUNK]
            table.append([Paragraph(esc(name), st.cell)] + [_cell(c, data, st) for c in chunk])
            for col, c in enumerate(chunk, start=1):
                if not c.hidden and c.score is not None:
                    style.append(("BACKGROUND", (col, r), (col, r), BAND_FILL[band(c.score, data.good, data.poor)]))
        out += [Table(table, colWidths=[name_w] + [col_w] * len(cols), style=grid(style), repeatRows=1),
                Spacer(1, 6)]
    return out


def _standards(data: RoleScores, st: Styles, width: float) -> list[Flowable]:
    out: list[Flowable] = [Paragraph(_("Standards of this role"), st.h2),
                           Paragraph(ngettext("%(num)d critical failure in this range.",
                                              "%(num)d critical failures in this range.", data.critical_failures,
                                              num=data.critical_failures), st.para)]
    for title, rows in ((_("Strongest"), data.strongest), (_("Weakest"), data.weakest)):
        if rows:
            out.append(Paragraph(title, st.h3))
            out += [Paragraph(f"{esc(s.text)} · {esc(s.touchpoint_name)} · <b>{format_score(s.result.score)}</b> "
                              f"(n={s.result.n})", st.para) for s in rows]
    table = [[Paragraph(h, st.head) for h in (_("Standard"), _("Touchpoint"), _("Score"), "n")]]
    for s in data.standards:
        score = (Paragraph(_("not enough visits"), st.cell_right) if s.result.hidden
                 else band_cell(s.result.score, band(s.result.score, data.good, data.poor), st))
        critical = " · " + _("critical") if s.critical else ""
        table.append([Paragraph(esc(s.text) + critical, st.cell), Paragraph(esc(s.touchpoint_name), st.cell), score,
                      Paragraph(str(s.result.n), st.cell_right)])
    out.append(Table(table, colWidths=[width * 0.5, width * 0.25, width * 0.15, width * 0.1], style=grid(),
                     repeatRows=1))
    return out
