"""Writes for users and API tokens; the CLI and admin pages both call these."""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from ..branches.models import Branch
from ..clock import utcnow
from ..extensions import db
from werkzeug.security import check_password_hash, generate_password_hash

from ..database import begin_write
from ..domain_error import N_, DomainError, Message
from ..vocabulary import Role
from .models import ROLES, ApiToken, User
from .passwords import weakness

log = logging.getLogger(__name__)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TOKEN_NAME = 80


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
    if (weak := weakness(data.password, data.name, email)) is not None:
        raise AccountError("password", str(weak))  # English: the CLI's language
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


def issue_token(email: str, name: str = "", expires_at: datetime | None = None) -> str:
    """Make a personal API token; only its hash is stored, so it is shown once."""
    user = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise AccountError("email", f"no user with email {email}")
    return create_token(user, name, expires_at)


def create_token(user: User, name: str = "", expires_at: datetime | None = None) -> str:
    """A new personal token for the user, optionally named and expiring; shown once, stored hashed."""
    if expires_at is not None and expires_at <= utcnow():
        raise DomainError("invalid", N_("The token could not be made."),
                          {"expires": Message(N_("choose a day in the future"))})
    token = "aud_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=hash_token(token), name=name.strip()[:TOKEN_NAME],
                            expires_at=expires_at))
    db.session.commit()
    log.info("API token issued for %s", user.email)
    return token


def revoke_token(user: User, token_id: int) -> None:
    """Stop one of the user's own tokens; revoking it again changes nothing."""
    db.session.execute(sa.update(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id,
                                                 ApiToken.revoked_at.is_(None)).values(revoked_at=utcnow()))
    db.session.commit()


def user_for_token(token: str) -> User | None:
    """Find the active user a bearer token belongs to, if the token is neither revoked nor expired."""
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    now = utcnow()
    if row is None or not row.user.active or not row.usable(now):
        return None
    row.last_used_at = now
    db.session.commit()
    return row.user


@functools.cache
def _dummy_hash() -> str:
    """A hash to check unknown emails against, so they take as long as a wrong password (made once, on demand)."""
    return generate_password_hash(secrets.token_hex(16), method="scrypt")


def authenticate(email: str, password: str) -> User | None:
    """Return the user whose email and password match, or None — in the same time whether or not the email is
    known, so the answer's timing does not tell which emails have accounts."""
    user = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None or not user.password_hash:
        check_password_hash(_dummy_hash(), password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


def end_sessions(user: User) -> None:
    """Make every session cookie issued to the user useless (logout, password change, deactivation)."""
    db.session.execute(sa.update(User).where(User.id == user.id)
                       .values(session_version=User.session_version + 1))
    db.session.commit()
    db.session.refresh(user)


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password after checking the current one; other sessions and every token stop."""
    errors: dict = {}
    if not user.check_password(current):
        errors["current"] = Message(N_("is not your current password"))
    elif (weak := weakness(new, user.name, user.email)) is not None:
        errors["new"] = weak
    elif new == current:
        errors["new"] = Message(N_("choose a password other than the current one"))
    if errors:
        raise DomainError("invalid", N_("The password was not changed."), errors)
    begin_write(db.session)
    user.set_password(new)
    user.session_version += 1
    db.session.execute(sa.update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                       .values(revoked_at=utcnow()))
    db.session.commit()
    log.info("password changed for %s", user.email)


def set_language(user: User, language: str | None, supported: tuple[str, ...]) -> None:
    """Keep the user's interface language; None follows the browser again."""
    if language is not None and language not in supported:
        raise DomainError("invalid", N_("The language was not changed."),
                          {"language": Message(N_("is not a language of this app"))})
    begin_write(db.session)
    user.language = language
    db.session.commit()
