"""Role scores for programs: GET /api/v1/roles/scores (docs/architecture.md, Interfaces)."""

from __future__ import annotations

from flask_login import current_user

from ..api import ApiBlueprint
from ..clock import utcnow
from ..domain_error import DomainError
from . import build
from .schemas import RoleScoresQuerySchema, RoleScoresSchema

bp = ApiBlueprint("roles_api", __name__, description="Role scores: staff roles judged over enough visits.")


@bp.get("/roles/scores")
@bp.arguments(RoleScoresQuerySchema, location="query")
@bp.response(200, RoleScoresSchema, description="Scores with n per period; cells under 3 visits hidden.")
@bp.refusals(404, 422)
def scores(query: dict):
    """A role's scores per period over the branches the caller may see (admin, HR: all; managers: theirs)."""
    checked, errors = build.parse_role_query(current_user, RoleScoresQuerySchema().as_args(query), utcnow().date())
    if checked is None:
        raise DomainError("invalid", RoleScoresQuerySchema.REFUSED, errors)
    return build.role_scores(current_user, checked)
