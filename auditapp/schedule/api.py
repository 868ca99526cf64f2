"""Planning for programs: POST /visits, POST /rounds, PATCH /visits/{id}, POST /visits/{id}/cancel."""

from __future__ import annotations

from flask_login import current_user

from ..api import ApiBlueprint
from ..visits.commands import Cancel
from . import queries, services
from .commands import ChangeVisit, PlanRound, PlanVisit
from .schemas import CancelSchema, ChangeVisitSchema, PlannedVisitSchema, PlanRoundSchema, PlanVisitSchema

bp = ApiBlueprint("schedule_api", __name__, description="Planning: visits and rounds, reassign, cancel.")


@bp.post("/visits")
@bp.arguments(PlanVisitSchema)
@bp.response(201, PlannedVisitSchema, description="The visit planned.")
@bp.refusals(400, 404, 422)
def plan_visit(cmd: PlanVisit):
    """Schedule one visit (admins anywhere, managers at their own branches)."""
    return services.plan_visit(cmd, current_user)


@bp.post("/rounds")
@bp.arguments(PlanRoundSchema)
@bp.response(201, PlannedVisitSchema(many=True), description="The visits of the new round.")
@bp.alt_response(200, schema=PlannedVisitSchema(many=True), description="The same round again: its visits.")
@bp.refusals(400, 404, 409, 422)
def plan_round(cmd: PlanRound):
    """One visit per open branch (listed, or of a region) in a month, auditors assigned evenly, nobody sent back
    to a branch they audited in the previous round when another auditor is available. Visits are due on the
    month's last day. A branch already in another round of the concept, channel and month answers 409."""
    visits, created = services.plan_round(cmd, current_user)
    return visits, 201 if created else 200


@bp.patch("/visits/<int:visit_id>")
@bp.arguments(ChangeVisitSchema)
@bp.response(200, PlannedVisitSchema, description="The visit as changed.")
@bp.refusals(400, 404, 409, 422)
def change(cmd: ChangeVisit, visit_id: int):
    """Reassign (`auditor`) or reschedule (`due`) a visit that has not been submitted."""
    return services.change_visit(queries.plannable_visit(current_user, visit_id), cmd, current_user)


@bp.post("/visits/<int:visit_id>/cancel")
@bp.arguments(CancelSchema)
@bp.response(200, PlannedVisitSchema, description="The visit, cancelled.")
@bp.refusals(400, 404, 409, 422)
def cancel(cmd: Cancel, visit_id: int):
    """Cancel a scheduled or in-progress visit, with the reason in its status history."""
    return services.cancel_planned(queries.plannable_visit(current_user, visit_id), cmd, current_user)
