"""The visit part of the JSON API (DESIGN §5); thin: parse, call a service, answer."""

from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user

from ..api import api_blueprint, json_body
from ..errors import ApiError
from . import services
from .models import STATUSES
from .queries import list_visits, may_review, visible_visit
from .serialize import visit_json, visit_summary_json

bp = api_blueprint("visits_api", __name__)


@bp.get("/visits")
def index():
    status = request.args.get("status") or None
    if status is not None and status not in STATUSES:
        raise ApiError(422, "invalid", "Unknown status.", {"status": f"must be one of {', '.join(STATUSES)}"})
    visits = list_visits(current_user, status=status, branch_code=request.args.get("branch") or None)
    return jsonify([visit_summary_json(v) for v in visits])


@bp.get("/visits/<int:visit_id>")
def show(visit_id: int):
    return jsonify(visit_json(visible_visit(current_user, visit_id), current_user))


@bp.post("/visits/<int:visit_id>/start")
def start(visit_id: int):
    visit = services.start_visit(visible_visit(current_user, visit_id), current_user)
    return jsonify(visit_json(visit, current_user))


@bp.put("/visits/<int:visit_id>/answers")
def answers(visit_id: int):
    visit = visible_visit(current_user, visit_id)
    body = json_body()
    update = services.AnswerUpdate(
        answers=body.get("answers", []), visited_at=body.get("visited_at"), remarks=body.get("remarks"),
        duration_minutes=body.get("duration_minutes"), staff=body.get("staff", []))
    return jsonify(visit_json(services.save_answers(visit, current_user, update), current_user))


@bp.post("/visits/<int:visit_id>/submit")
def submit(visit_id: int):
    visit = services.submit_visit(visible_visit(current_user, visit_id), current_user)
    return jsonify(visit_json(visit, current_user))


@bp.post("/visits/<int:visit_id>/review")
def review(visit_id: int):
    visit = visible_visit(current_user, visit_id)
    if not may_review(current_user, visit):
        raise ApiError(404, "not_found", "No such visit.")
    body = json_body()
    visit = services.review_visit(visit, current_user, body.get("decision"), body.get("comment"))
    return jsonify(visit_json(visit, current_user))
