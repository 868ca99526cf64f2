"""Flask-Login wiring: session users, bearer tokens, and how an anonymous request is answered."""

from __future__ import annotations

from flask import Flask, g, redirect, request, url_for
from flask_babel import lazy_gettext as _l

from ..extensions import db, login
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
def load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.active else None


def bearer_token(req) -> str | None:
    """The token of an `Authorization: Bearer` header, if the request carries one."""
    header = req.headers.get("Authorization", "")
    return header[len("Bearer "):].strip() if header.startswith("Bearer ") else None


def token_user(req) -> User | None:
    """The active user the request's bearer token belongs to, looked up once per request."""
    if "token_user" not in g:
        token = bearer_token(req)
        from .services import user_for_token

        g.token_user = user_for_token(token) if token else None
    return g.token_user


@login.request_loader
def load_user_from_token(req) -> User | None:
    return token_user(req)


@login.unauthorized_handler
def unauthorized():
    """Programs get a 401 JSON, people the login page; never an HTML redirect for the API."""
    if request.path.startswith("/api/"):
        from ..domain_error import DomainError, N_

        raise DomainError("unauthorized", N_("Log in or send a valid Bearer token."))
    return redirect(url_for("accounts.login", next=request.full_path if request.query_string else request.path))
