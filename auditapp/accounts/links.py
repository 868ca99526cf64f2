"""One-time password links: how a new user sets their first password, or anyone a forgotten one, without a mail
server — an admin copies the link to the person. Only the link's hash is stored; it works once, until it expires."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

import sqlalchemy as sa

from ..clock import utcnow
from ..database import begin_write
from ..domain_error import N_, DomainError
from ..extensions import db
from .models import PasswordLink, User
from .passwords import weakness
from .services import hash_token

log = logging.getLogger(__name__)
VALID_FOR = timedelta(days=3)


def issue_link(user: User) -> str:
    """A new link for the user (earlier unused ones stop working); returns the secret part, shown once."""
    secret = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.execute(sa.update(PasswordLink).where(PasswordLink.user_id == user.id, PasswordLink.used_at.is_(None))
                       .values(used_at=now))
    db.session.add(PasswordLink(user_id=user.id, token_hash=hash_token(secret), expires_at=now + VALID_FOR))
    return secret


def usable_link(secret: str) -> PasswordLink | None:
    """The link a secret names, while it is unused, unexpired and its user active."""
    if not secret or len(secret) > 100:
        return None
    link = db.session.scalar(sa.select(PasswordLink).where(PasswordLink.token_hash == hash_token(secret)))
    if link is None or link.used_at is not None or link.expires_at <= utcnow() or not link.user.active:
        return None
    return link


def redeem(secret: str, password: str) -> User:
    """Set the password a link allows, once: the conditional UPDATE lets only one of two tabs use it."""
    link = usable_link(secret)
    if link is None:
        raise DomainError("not_found", N_("This link has expired or was used already. Ask for a new one."))
    user = link.user
    if (weak := weakness(password, user.name, user.email)) is not None:
        raise DomainError("invalid", N_("The password was not set."), {"password": weak})
    begin_write(db.session)
    claimed = db.session.execute(sa.update(PasswordLink).where(PasswordLink.id == link.id,
                                                               PasswordLink.used_at.is_(None))
                                 .values(used_at=utcnow()))
    if claimed.rowcount != 1:
        db.session.rollback()
        raise DomainError("not_found", N_("This link has expired or was used already. Ask for a new one."))
    user = db.session.get(User, link.user_id)
    user.set_password(password)
    user.session_version += 1
    db.session.commit()
    log.info("password set through a link for %s", user.email)
    return user

