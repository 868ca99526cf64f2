"""What every JSON API blueprint shares: the /api/v1 prefix, authentication and CSRF rules."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_login import current_user

from .accounts.auth import bearer_token, token_user
from .domain_error import DomainError, N_
from .extensions import csrf

PREFIX = "/api/v1"


def api_blueprint(name: str, import_name: str) -> Blueprint:
    """Make a blueprint under /api/v1 that needs a user and checks CSRF for cookie sessions."""
    bp = Blueprint(name, import_name, url_prefix=PREFIX)
    csrf.exempt(bp)  # checked below, where we know how the caller authenticated

    @bp.before_request
    def _authenticate():
        if request.endpoint == "api.openapi":
            return
        if not current_user.is_authenticated:
            raise DomainError("unauthorized", N_("Log in or send a valid Bearer token."))
        # A browser cannot add an Authorization header cross-site, so only cookie sessions need the token.
        if bearer_token(request) is not None:
            # A token beside a session cookie counts only when it is the same user's: a wrong token must not
            # pass as a token call that skips CSRF.
            user = token_user(request)
            if user is None or user.id != current_user.id:
                raise DomainError("unauthorized", N_("The Bearer token is not valid."))
        else:
            csrf.protect()

    return bp


bp = api_blueprint("api", __name__)


@bp.get("/openapi.json")
def openapi():
    """Describe the API; open to all, like any published interface (the auth hook lets it through)."""
    from .openapi import document

    return jsonify(document())


def json_body() -> dict:
    """Read a JSON object body or answer 400 saying what was wrong."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise DomainError("bad_json", N_("The request body must be a JSON object."))
    return data
