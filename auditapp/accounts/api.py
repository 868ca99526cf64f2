"""Who the caller is, with a fresh CSRF token: what a phone asks after its page's token went stale."""

from __future__ import annotations

from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from marshmallow import Schema, fields

from ..api import ApiBlueprint

bp = ApiBlueprint("session_api", __name__, description="The caller's session.")


class SessionSchema(Schema):
    user = fields.Integer(required=True)
    role = fields.String(required=True)
    csrf_token = fields.String(required=True, metadata={
        "description": "For the X-CSRFToken header of cookie-authenticated writes."})


@bp.get("/session")
@bp.response(200, SessionSchema, description="The logged-in user and a CSRF token for this session.")
@bp.refusals()
def session():
    """A page kept offline carries the token of the session it was loaded in; after a new login it asks here."""
    return {"user": current_user.id, "role": current_user.role.value, "csrf_token": generate_csrf()}
