"""Reports for programs under /api/v1: the visit PDF, a branch's scores (docs/architecture.md, Interfaces) and the answers CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any, Iterator

from flask import Response, current_app, stream_with_context
from flask_babel import gettext as _
from flask_login import current_user

from ..api import ApiBlueprint
from ..clock import utcnow
from ..concepts.models import ConceptVersion
from ..concepts.queries import concept_by_key
from ..domain_error import N_, DomainError, not_found
from ..extensions import db
from ..visits.queries import visible_visit
from . import build, pdf, queries
from .filters import parse_range
from .schemas import AnswersExportQuerySchema, BranchScoresQuerySchema, BranchScoresSchema

bp = ApiBlueprint("reports_api", __name__, description="Reports: the visit PDF, branch scores, the answers export.")

READERS = ("admin", "manager", "hr")
# The export's headers follow the reader's language; its values stay machine-readable (ISO dates, dot decimals).
CSV_COLUMNS = (N_("visit"), N_("branch"), N_("region"), N_("date"), N_("channel"), N_("persona"), N_("concept"),
               N_("version"), N_("phase"), N_("touchpoint"), N_("standard"), N_("value"), N_("score"), N_("comment"))
# A byte-order mark, so spreadsheet programs read the file as UTF-8 (accents in branch names and comments).
BOM = "\ufeff"
FREE_TEXT = ("text", "photo")
BINARY = {"type": "string", "format": "binary"}


def _not_found() -> DomainError:
    return not_found(N_("No such resource."))


@bp.get("/visits/<int:visit_id>/report.pdf")
@bp.response(200, BINARY, content_type="application/pdf", description="PDF")
@bp.refusals(404)
def visit_pdf(visit_id: int):
    """The visit report as PDF."""
    visit = visible_visit(current_user, visit_id)  # admin, the branch's manager once submitted, the auditor
    body = pdf.visit_report_pdf(build.visit_report(visit, current_user, current_app.config["UPLOAD_DIR"]))
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="visit-{visit.id}.pdf"',
                             "Cache-Control": "private, no-store"})


@bp.get("/branches/<int:branch_id>/scores")
@bp.arguments(BranchScoresQuerySchema, location="query")
@bp.response(200, BranchScoresSchema, description="Scores with n per period.")
@bp.refusals(404, 422)
def branch_scores(query: dict, branch_id: int):
    """A branch's touchpoint and overall scores per period, over approved visits (docs/architecture.md, Scoring)."""
    branch = queries.visible_branch(current_user, branch_id)
    if branch is None:
        raise _not_found()
    checked, errors = parse_range(BranchScoresQuerySchema().as_args(query), concepts=queries.reported_concepts(),
                                  today=utcnow().date(), concept_required=True,
                                  latest_day=lambda c: queries.latest_visit_day(current_user, c.id))
    if checked is None:
        raise DomainError("invalid", BranchScoresQuerySchema.REFUSED, errors)
    return build.branch_trends(current_user, branch, checked.concept, checked.kind, checked.first, checked.last)


def _safe(text: Any) -> str:
    """Keep spreadsheets from running a cell as a formula (CSV injection)."""
    text = "" if text is None else str(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _number(value: Any) -> str:
    """Write numbers unrounded, whole numbers without a decimal point."""
    if value is None:
        return ""
    return str(value) if isinstance(value, int) else repr(float(value))


@bp.get("/exports/answers.csv")
@bp.arguments(AnswersExportQuerySchema, location="query")
@bp.response(200, {"type": "string"}, content_type="text/csv", description="CSV")
@bp.refusals(404, 422)
def answers_csv(query: dict):
    """One row per answer of the approved visits in the caller's scope (admin, manager, HR).

    Streamed, so a large export never sits in memory.
    """
    if current_user.role not in READERS:
        raise _not_found()
    errors: dict[str, str] = {}
    concept = concept_by_key(query["concept"].strip()) if query.get("concept") else None
    if query.get("concept") and concept is None:
        errors["concept"] = N_("is not a concept key")
    branch = queries.visible_branch(current_user, query["branch"]) if "branch" in query else None
    if "branch" in query and branch is None:
        errors["branch"] = N_("is not a branch you may see")
    first, last = query.get("from_"), query.get("to")
    if first and last and first > last:
        errors["to"] = N_("lies before from")
    if errors:
        raise DomainError("invalid", AnswersExportQuerySchema.REFUSED, errors)
    rows = queries.export_rows(current_user, concept_id=concept.id if concept else None,
                               branch_id=branch.id if branch else None,
                               start=first, end=last + timedelta(days=1) if last else None)
    role_level = current_user.role == "hr"  # HR reads roles, not people: no free text that may name someone
    name = f"answers-{concept.key if concept else 'all'}.csv"
    return Response(stream_with_context(_csv(rows, role_level)), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "private, no-store"})


def _csv(rows: Iterator[queries.AnswerRow], role_level: bool) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    writer.writerow([_(column) for column in CSV_COLUMNS])
    places: dict[int, dict] = {}
    for row in rows:
        place = places.get(row.version_id)
        if place is None:
            content = db.session.get(ConceptVersion, row.version_id).content
            place = places[row.version_id] = {st.key: (ph.key, tp.key, st) for ph, tp in content.touchpoints()
                                              for st in tp.standards}
        phase, touchpoint, standard = place.get(row.standard, ("", "", None))
        value = "" if row.value is None else row.value
        if role_level and standard is not None and standard.type in FREE_TEXT:
            value = ""
        writer.writerow((row.visit_id, _safe(row.branch), _safe(row.region), row.visited_at.date().isoformat(),
                         row.channel, row.persona or "", row.concept, row.version, phase, touchpoint, row.standard,
                         _safe(value) if isinstance(value, str) else _number(value),
                         _number(None if row.score is None else 100 * row.score),
                         "" if role_level else _safe(row.comment)))
        if buffer.tell() > 16384:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
