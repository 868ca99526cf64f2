"""The visit part of the JSON API (DESIGN §5); thin: parse, call a service, answer."""

from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user

from marshmallow import ValidationError

from ..api import api_blueprint, json_body
from ..domain_error import N_, DomainError, not_found
from ..fields import refused
from . import services
from .models import STATUSES
from .schemas import ReviewSchema, load_answers
from .queries import list_visits, may_review, visible_visit
from .serialize import visit_json, visit_summary_json

bp = api_blueprint("visits_api", __name__)


@bp.get("/visits")
def index():
    status = request.args.get("status") or None
    if status is not None and status not in STATUSES:
        raise DomainError("invalid", N_("Unknown status."), {"status": f"must be one of {', '.join(STATUSES)}"})
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
    update = load_answers(json_body())
    return jsonify(visit_json(services.save_answers(visit, current_user, update), current_user))


@bp.post("/visits/<int:visit_id>/submit")
def submit(visit_id: int):
    visit = services.submit_visit(visible_visit(current_user, visit_id), current_user)
    return jsonify(visit_json(visit, current_user))


@bp.post("/visits/<int:visit_id>/review")
def review(visit_id: int):
    visit = visible_visit(current_user, visit_id)
    if not may_review(current_user, visit):
        raise not_found()
    try:
        review = ReviewSchema().load(json_body())
    except ValidationError as exc:
        raise refused(exc, N_("The review could not be saved.")) from None
    visit = services.review_visit(visit, current_user, review)
    return jsonify(visit_json(visit, current_user))
