"""Branches in the caller's scope, for clients that pick or filter by branch."""

from flask import jsonify
from flask_login import current_user

from ..api import api_blueprint
from .queries import visible_branches

bp = api_blueprint("branches_api", __name__)


@bp.get("/branches")
def index():
    return jsonify([{"id": b.id, "code": b.code, "name": b.name, "city": b.city, "region": b.region_name}
                    for b in visible_branches(current_user)])
