"""Flask-Login wiring: session users, bearer tokens, and how an anonymous request is answered."""

from __future__ import annotations

from flask import Flask, g, redirect, request, url_for
from flask_babel import lazy_gettext as _l

from ..converters import MAX_ID
from ..domain_error import N_, DomainError
from ..extensions import db, login
from . import throttle
from .models import User


def init_login(app: Flask) -> None:
    login.init_app(app)
    login.login_view = "accounts.login"
    login.login_message = _l("Please log in to continue.")
    # No binding of a login to the address or browser: an auditor's phone moves between hotel wifi and 4G
    # mid-visit (and proxies rewrite X-Forwarded-For), and "strong" would log it out with unsaved answers.
    # The cookie is signed and HttpOnly; revoking sessions is the per-user session version's job.
    login.session_protection = None


@login.user_loader
def load_user(session_id: str) -> User | None:
    """The active user a session cookie names, if it was issued under their current session version."""
    user_id, _sep, version = session_id.partition(":")
    if not (user_id.isascii() and user_id.isdigit() and version.isascii() and version.isdigit()):
        return None  # a cookie from before session versions, or a forged one
    if int(user_id) > MAX_ID:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def bearer_token(req) -> str | None:
    """The token of an `Authorization: Bearer` header, if the request carries one."""
    header = req.headers.get("Authorization", "")
    return header[len("Bearer "):].strip() if header.startswith("Bearer ") else None


def token_user(req) -> User | None:
    """The active user the request's bearer token belongs to, looked up once per request."""
    if "token_user" not in g:
        token = bearer_token(req)
        from .services import user_for_token

        if token and throttle.blocked_address():
            raise DomainError("too_many", N_("Too many wrong tokens from this address. Wait a minute."))
        g.token_user = user_for_token(token) if token else None
        if token and g.token_user is None:
            throttle.failed_address()
    return g.token_user


@login.request_loader
def load_user_from_token(req) -> User | None:
    return token_user(req)


@login.unauthorized_handler
def unauthorized():
    """Programs get a 401 JSON, people the login page; never an HTML redirect for the API."""
    if request.path.startswith("/api/"):
        raise DomainError("unauthorized", N_("Log in or send a valid Bearer token."))
    return redirect(url_for("accounts.login", next=request.full_path if request.query_string else request.path))
