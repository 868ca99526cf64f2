"""Report pages: the overview (league table, heatmap), the branch report (HTML and PDF) and its drill-down."""

from __future__ import annotations

import functools

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from ..branches.models import Branch
from ..clock import utcnow
from ..vocabulary import REVIEWERS
from . import build, charts, queries
from .svg import responsive_svg
from .branch_pdf import branch_report_pdf
from .filters import parse_period_query, parse_range
from .periods import DEFAULT_SPAN, parse_period, period_of

bp = Blueprint("reports", __name__, url_prefix="/reports")


def _branch_or_404(branch_id: int) -> Branch:
    branch = queries.visible_branch(current_user, branch_id)
    if branch is None:
        abort(404)
    return branch


def _latest_day(concept):
    return queries.latest_visit_day(current_user, concept.id)


def network_label() -> str:
    """Name the comparison series after what the viewer can see."""
    return _(build.network_label(current_user))


def may_open_visits() -> bool:
    """Only reviewers open visit pages; HR reads numbers, never a single visit (no names, no photos)."""
    return current_user.role in REVIEWERS


@bp.get("/")
def overview():
    concepts = queries.reported_concepts()
    regions = queries.visible_regions(current_user)
    query, errors = parse_period_query(request.args, concepts=concepts, today=utcnow().date(),
                                       latest_day=_latest_day, region_ids={r.id for r in regions})
    data = None
    if query is not None:
        data = build.overview(current_user, query.concept, query.period, region_id=query.region_id)
    kind = query.period.kind if query else (
        request.args.get("period") if request.args.get("period") in DEFAULT_SPAN else "month")
    choices = [period_of(utcnow().date(), kind)]  # the current period and those before it, newest first
    for _i in range(DEFAULT_SPAN[kind] * 2 - 1):
        choices.append(choices[-1].previous())
    if query and query.period not in choices:
        choices = sorted({*choices, query.period}, reverse=True)
    options = {
        "concept": [(c.key, c.name) for c in concepts],
        "period": period_kind_options(),
        "at": [(p.label, p.label) for p in choices],
        "region": [("", _("All regions"))] + [(str(r.id), r.name) for r in regions],
    }
    return render_template("reports/overview.html", query=query, errors=errors, data=data, options=options,
                           args=request.args, network_label=network_label(),
                           may_open_visits=may_open_visits()), 200 if not errors else 422


def period_kind_options() -> list[tuple[str, str]]:
    return [("month", _("Month")), ("quarter", _("Quarter")), ("year", _("Year"))]


def _branch_report(branch_id: int):
    branch = _branch_or_404(branch_id)
    concepts = queries.reported_concepts()
    query, errors = parse_range(request.args, concepts=concepts, today=utcnow().date(), latest_day=_latest_day)
    report = build.branch_report(current_user, branch, query.concept, query.kind, query.first, query.last) \
        if query else None
    return branch, concepts, query, errors, report


@bp.get("/branches/<int:branch_id>")
def branch(branch_id: int):
    branch, concepts, query, errors, report = _branch_report(branch_id)
    chart = retired = None
    marks: dict[str, str] = {}
    if report is not None:
        for period, label in report.version_marks:
            marks[period] = f"{marks[period]} {label}" if period in marks else label
        chart = Markup(responsive_svg(functools.partial(
            charts.trend_chart, report.periods, [(_("This branch"), [c.score for c in report.overall]),
                                                 (network_label(), [c.score for c in report.network])],
            good=report.good, poor=report.poor, version_marks=report.version_marks)))
        retired = {key for key, _n, _p, is_retired in build.concept_layout(query.concept).touchpoints if is_retired}
    return render_template("reports/branch.html", branch=branch, concepts=concepts, query=query, errors=errors,
                           report=report, chart=chart, retired=retired or set(), marks=marks, args=request.args,
                           network_label=network_label(), concept_options=[(c.key, c.name) for c in concepts],
                           kind_options=period_kind_options()), 200 if not errors else 422


@bp.get("/branches/<int:branch_id>/report.pdf")
def branch_pdf(branch_id: int):
    branch, _concepts, query, errors, report = _branch_report(branch_id)
    if report is None:
        abort(422)
    body = branch_report_pdf(report)
    name = f"branch-{branch.code}-{query.concept.key}-{report.periods[0]}-{report.periods[-1]}.pdf"
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "private, no-store"})


@bp.get("/branches/<int:branch_id>/visits")
def cell(branch_id: int):
    """List the approved visits behind one cell of the branch report, each with the score it added."""
    branch = _branch_or_404(branch_id)
    concepts = queries.reported_concepts()
    query, errors = parse_range(request.args, concepts=concepts, today=utcnow().date(), latest_day=_latest_day,
                                concept_required=True)
    if query is None:
        abort(404)
    try:
        period = parse_period(request.args.get("at", ""), query.kind)
    except ValueError:
        abort(404)
    layout = build.concept_layout(query.concept)
    touchpoint = request.args.get("touchpoint") or None
    phase = request.args.get("phase") or None
    if touchpoint is not None:
        row = next((name for key, name, _p, _r in layout.touchpoints if key == touchpoint), None)
    elif phase is not None:
        row = next((name for key, name in layout.phases if key == phase), None)
    else:
        row = _("Overall")
    if row is None:
        abort(404)
    visits = queries.cell_visits(current_user, query.concept.id, branch.id, period.start, period.end,
                                 touchpoint=touchpoint, phase=phase)
    return render_template("reports/cell.html", branch=branch, query=query, period=period, row=row,
                           visits=visits, good=layout.good, poor=layout.poor, may_open_visits=may_open_visits())
