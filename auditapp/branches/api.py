"""Branches in the caller's scope, for clients that pick or filter by branch."""

from flask_login import current_user

from ..api import ApiBlueprint
from .queries import visible_branches
from .schemas import BranchSchema

bp = ApiBlueprint("branches_api", __name__, description="Branches in the caller's scope.")


@bp.get("/branches")
@bp.response(200, BranchSchema(many=True), description="Branches by code.")
@bp.refusals()
def index():
    """The branches the caller may see."""
    return visible_branches(current_user)
