"""Failed logins counted per account and per client address (Flask-Limiter's storage and strategy), so guessing
a password — or trying one password on many accounts — stops after a few tries a minute."""

from __future__ import annotations

from flask import current_app, request
from limits import parse

from ..extensions import limiter

SCOPE = "failed-login"


def _keys(email: str) -> list[tuple[str, str]]:
    return [("account", email.strip().lower()[:254]), ("address", request.remote_addr or "")]


def blocked(email: str) -> bool:
    """Whether this account or this address has used up its failed attempts for now."""
    item = parse(current_app.config["LOGIN_ATTEMPTS"])
    return any(not limiter.limiter.test(item, SCOPE, kind, key) for kind, key in _keys(email))


def failed(email: str) -> None:
    """Count one failed attempt against the account and the address."""
    item = parse(current_app.config["LOGIN_ATTEMPTS"])
    for kind, key in _keys(email):
        limiter.limiter.hit(item, SCOPE, kind, key)


def blocked_address() -> bool:
    """Whether this address has used up its failed attempts (wrong API tokens count too)."""
    item = parse(current_app.config["LOGIN_ATTEMPTS"])
    return not limiter.limiter.test(item, SCOPE, "address", request.remote_addr or "")


def failed_address() -> None:
    limiter.limiter.hit(parse(current_app.config["LOGIN_ATTEMPTS"]), SCOPE, "address", request.remote_addr or "")
