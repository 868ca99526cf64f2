"""Writes for users and API tokens; the CLI and admin pages both call these."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass, field

import sqlalchemy as sa

from ..branches.models import Branch
from ..clock import utcnow
from ..extensions import db
from ..vocabulary import Role
from .models import ROLES, ApiToken, User

log = logging.getLogger(__name__)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 8


class AccountError(ValueError):
    """Input a user account cannot take; `field` names the form field it belongs to."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


@dataclass(frozen=True)
class NewUser:
    email: str
    name: str
    role: str
    password: str
    branch_codes: tuple[str, ...] = field(default_factory=tuple)


def add_user(data: NewUser) -> User:
    """Create a user with a hashed password; managers get their branches."""
    email = data.email.strip().lower()
    if not EMAIL.match(email):
        raise AccountError("email", f"{data.email!r} is not an email address")
    if data.role not in ROLES:
        raise AccountError("role", f"role must be one of {', '.join(ROLES)}")
    if not data.name.strip():
        raise AccountError("name", "name is required")
    if len(data.password) < MIN_PASSWORD:
        raise AccountError("password", f"password must have at least {MIN_PASSWORD} characters")
    if db.session.scalar(sa.select(User.id).where(User.email == email)):
        raise AccountError("email", f"a user with email {email} exists already")
    if data.branch_codes and data.role != Role.MANAGER:
        raise AccountError("branch", "only managers are linked to branches")
    branches = []
    for code in data.branch_codes:
        branch = db.session.scalar(sa.select(Branch).where(Branch.code == code))
        if branch is None:
            raise AccountError("branch", f"no branch with code {code}")
        branches.append(branch)
    user = User(email=email, name=data.name.strip(), role=data.role, branches=branches)
    user.set_password(data.password)
    db.session.add(user)
    db.session.commit()
    log.info("user %s added as %s", email, data.role)
    return user


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(email: str) -> str:
    """Make a personal API token; only its hash is stored, so it is shown once."""
    user = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise AccountError("email", f"no user with email {email}")
    token = "aud_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user=user, token_hash=hash_token(token)))
    db.session.commit()
    log.info("API token issued for %s", user.email)
    return token


def user_for_token(token: str) -> User | None:
    """Find the active user a bearer token belongs to."""
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    if row is None or not row.user.active:
        return None
    row.last_used_at = utcnow()
    db.session.commit()
    return row.user


def authenticate(email: str, password: str) -> User | None:
    """Return the user whose email and password match, or None."""
    user = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None or not user.active or not user.check_password(password):
        return None
    return user
