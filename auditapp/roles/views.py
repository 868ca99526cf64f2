"""The role scores page and its PDF: for HR (every branch), admins, and managers (their branches)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from ..clock import utcnow
from ..reports import queries as report_queries
from . import build
from .pdf import role_scores_pdf

bp = Blueprint("roles", __name__, url_prefix="/roles")


def _options(query: build.RoleQuery | None) -> dict[str, list[tuple[str, str]]]:
    concepts = report_queries.reported_concepts()
    key = query.concept.key if query else request.args.get("concept", "")
    chosen = next((c for c in concepts if c.key == key), concepts[0] if concepts else None)
    return {
        "concept": [(c.key, c.name) for c in concepts],
        "role": [(r.key, r.name) for r in chosen.latest.content.roles] if chosen else [],
        "period": [("month", _("Month")), ("quarter", _("Quarter")), ("year", _("Year"))],
        "branch": [("", _("All your branches"))] + [(str(bid), f"{name} ({code})") for bid, code, name, _r
                                                    in report_queries.visible_branch_rows(current_user)],
    }


@bp.get("/scores")
def scores():
    query, errors = build.parse_role_query(current_user, request.args, utcnow().date())
    data = build.role_scores(current_user, query) if query else None
    return render_template("roles/scores.html", query=query, errors=errors, data=data, options=_options(query),
                           args=request.args), 200 if not errors else 422


@bp.get("/scores.pdf")
def scores_pdf():
    query, _errors = build.parse_role_query(current_user, request.args, utcnow().date())
    if query is None:
        abort(422)
    data = build.role_scores(current_user, query)
    name = f"role-{query.concept.key}-{query.role}-{data.periods[0].label}-{data.periods[-1].label}.pdf"
    return Response(role_scores_pdf(data), mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "private, no-store"})
