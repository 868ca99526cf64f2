"""Role guards: anyone outside the allowed roles gets a 404, so a page's existence does not leak."""

from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import abort
from flask_login import current_user

from ..extensions import login


def role_required(*roles: str) -> Callable:
    """Let only logged-in users with one of these roles through."""
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login.unauthorized()
            if current_user.role not in roles:
                abort(404)
            return view(*args, **kwargs)
        return wrapped
    return decorator
