"""Writes on users by an admin, each in one transaction with its audit entry; the email is unique by the database."""

from __future__ import annotations

import logging

import sqlalchemy as sa

from ..accounts.links import issue_link
from ..accounts.models import ApiToken, User
from ..accounts.services import EMAIL
from ..audit.services import record
from ..branches.models import Branch, Region
from ..clock import utcnow
from ..database import begin_write
from ..domain_error import N_, DomainError, Message
from ..extensions import db
from ..vocabulary import AuditAction, Role, Subject
from .commands import UserDetails

log = logging.getLogger(__name__)


def _checked(details: UserDetails) -> tuple[str, list[Branch], list[Region]]:
    errors: dict = {}
    email = details.email.strip().lower()
    if not EMAIL.match(email) or len(email) > 254:
        errors["email"] = Message(N_("is not an email address"))
    if not details.name.strip():
        errors["name"] = Message(N_("give the person's name"))
    if details.role not in tuple(Role):
        errors["role"] = Message(N_("choose a role"))
    branches = list(db.session.scalars(sa.select(Branch).where(Branch.id.in_(details.branches))))
    regions = list(db.session.scalars(sa.select(Region).where(Region.id.in_(details.regions))))
    if (branches or regions) and details.role != Role.MANAGER:
        errors["branches"] = Message(N_("only managers are linked to branches or regions"))
    if errors:
        raise DomainError("invalid", N_("The user was not saved."), errors)
    return email, branches, regions


def _flush_unique_email() -> None:
    """Write the user now; the unique email key, not a look beforehand, decides a clash."""
    try:
        db.session.flush()
    except sa.exc.IntegrityError:
        db.session.rollback()
        raise DomainError("invalid", N_("The user was not saved."),
                          {"email": Message(N_("a user with this email exists already"))}) from None


def create_user(details: UserDetails, by: User) -> tuple[User, str]:
    """Create a user without a password and a one-time link with which they set it; returns the link's secret."""
    email, branches, regions = _checked(details)
    begin_write(db.session)
    user = User(email=email, name=details.name.strip(), role=details.role, branches=branches, regions=regions)
    db.session.add(user)
    _flush_unique_email()
    secret = issue_link(user)
    record(by, AuditAction.USER_CREATED, Subject.USER, user.id, user.email, role=str(user.role))
    db.session.commit()
    log.info("user %s created by %s", user.email, by.email)
    return user, secret


def change_user(user: User, details: UserDetails, by: User) -> User:
    """Change name, role and a manager's branches or regions; a new role ends the user's sessions."""
    email, branches, regions = _checked(details)
    begin_write(db.session)
    before = {"role": str(user.role), "branches": sorted(b.code for b in user.branches),
              "regions": sorted(r.name for r in user.regions), "email": user.email}
    user.name, user.email, user.role = details.name.strip(), email, details.role
    user.branches, user.regions = branches, regions
    if before["role"] != str(user.role):
        user.session_version += 1  # the pages they have open were for another role
    after = {"role": str(user.role), "branches": sorted(b.code for b in branches),
             "regions": sorted(r.name for r in regions), "email": email}
    _flush_unique_email()
    changed = {k: f"{before[k]} → {after[k]}" for k in after if before[k] != after[k]}
    if changed:
        record(by, AuditAction.USER_CHANGED, Subject.USER, user.id, user.email, **changed)
    db.session.commit()
    return user


def set_active(user: User, active: bool, by: User) -> User:
    """Deactivate (sessions and tokens stop at once) or reactivate a user; nobody deactivates themselves."""
    if user.id == by.id and not active:
        raise DomainError("conflict", N_("You cannot deactivate yourself."))
    begin_write(db.session)
    if user.active != active:
        user.active = active
        user.session_version += 1
        if not active:
            db.session.execute(sa.update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                               .values(revoked_at=utcnow()))
        record(by, AuditAction.USER_REACTIVATED if active else AuditAction.USER_DEACTIVATED, Subject.USER, user.id,
               user.email)
    db.session.commit()
    return user


def reset_password(user: User, by: User) -> str:
    """A new one-time link for the user (the old password keeps working until they use it)."""
    begin_write(db.session)
    secret = issue_link(user)
    record(by, AuditAction.PASSWORD_LINK_ISSUED, Subject.USER, user.id, user.email)
    db.session.commit()
    return secret
