"""The visit part of the JSON API (docs/architecture.md, Interfaces); thin: the schema checks the request, a service acts, the schema answers."""

from __future__ import annotations

from flask_login import current_user

from ..api import ApiBlueprint
from ..domain_error import not_found
from . import saving, services
from .acks import SavedSchema, acknowledgement
from .commands import Review, SaveAnswers
from .queries import list_visits, may_review, visible_visit
from .responses import VisitSchema, VisitSummarySchema
from .schemas import OperationSchema, ReviewSchema, SaveAnswersSchema, VisitListQuerySchema

bp = ApiBlueprint("visits_api", __name__, description="Visits: the form, answers, submit and review.")

VISIT = "The visit, with its form, answers, photos and scores."


@bp.get("/visits")
@bp.arguments(VisitListQuerySchema, location="query")
@bp.response(200, VisitSummarySchema(many=True), description="Visits, newest due date first.")
@bp.refusals(422)
def index(query: dict):
    """The visits the caller may see."""
    return list_visits(current_user, status=query.get("status"), branch_code=query.get("branch") or None)


@bp.get("/visits/<int:visit_id>")
@bp.response(200, VisitSchema, description=VISIT)
@bp.refusals(404)
def show(visit_id: int):
    """A visit with its form (for its channel), answers, photos and scores."""
    return visible_visit(current_user, visit_id)


@bp.post("/visits/<int:visit_id>/start")
@bp.arguments(OperationSchema, required=False)
@bp.response(200, VisitSchema, description=VISIT)
@bp.refusals(400, 404, 409, 422)
def start(body: dict, visit_id: int):
    """Record that the auditor started the visit or call (moves it to in_progress).

    With an `operation` id, the same id again is answered as the first time, whatever the visit's status now."""
    return services.start_visit(visible_visit(current_user, visit_id), current_user, _operation(body))


def _operation(body: dict | None) -> str | None:
    operation = (body or {}).get("operation")
    return str(operation) if operation else None


@bp.put("/visits/<int:visit_id>/answers")
@bp.arguments(SaveAnswersSchema, example={
    "answers": [{"standard": "greeted", "value": "yes", "comment": "At once, with a smile."},
                {"standard": "friendliness", "value": 4}],
    "visited_at": "2026-04-14T19:30", "remarks": "A busy evening."})
@bp.response(200, SavedSchema, description="What is now stored for what the request named.")
@bp.refusals(400, 404, 409, 422)
def answers(update: SaveAnswers, visit_id: int):
    """Upsert answers and visit details; all or nothing, idempotent.

    Only the auditor of the visit, while it is scheduled, in progress or returned. Standards not in the
    visit's channel are refused by name; omit a value to keep it, null or "" clears it. A change with a
    `changed_at` older than the stored one is not applied and is listed under `stale`.
    """
    visit = visible_visit(current_user, visit_id)
    return acknowledgement(saving.save_answers(visit, current_user, update))


@bp.post("/visits/<int:visit_id>/submit")
@bp.arguments(OperationSchema, required=False)
@bp.response(200, VisitSchema, description=VISIT)
@bp.refusals(400, 404, 409, 422)
def submit(body: dict, visit_id: int):
    """Send a complete visit for review; repeating it changes nothing.

    A 422 lists the missing required answers and photos, keyed by standard (`visited_at` for the time). With
    an `operation` id, a retry is answered as the first time even after the visit was returned meanwhile.
    """
    return services.submit_visit(visible_visit(current_user, visit_id), current_user, _operation(body))


@bp.post("/visits/<int:visit_id>/review")
@bp.arguments(ReviewSchema)
@bp.response(200, VisitSchema, description=VISIT)
@bp.refusals(400, 404, 409, 422)
def review(decision: Review, visit_id: int):
    """Approve a submitted visit or return it to the auditor with a comment."""
    visit = visible_visit(current_user, visit_id)
    if not may_review(current_user, visit):
        raise not_found()
    return services.review_visit(visit, current_user, decision)
