"""Which branches a user may see (docs/architecture.md, Roles)."""

from __future__ import annotations

import sqlalchemy as sa

from ..accounts.models import User, manager_branches
from ..extensions import db
from ..vocabulary import Role
from .models import Branch


def visible_branches_stmt(user: User) -> sa.Select:
    """Select the branches in a user's scope: all for admin and HR, own for managers, none otherwise."""
    stmt = sa.select(Branch).order_by(Branch.code)
    if user.role in (Role.ADMIN, Role.HR):
        return stmt
    if user.role == Role.MANAGER:
        return stmt.join(manager_branches, manager_branches.c.branch_id == Branch.id).where(
            manager_branches.c.user_id == user.id)
    return stmt.where(sa.false())


def visible_branches(user: User) -> list[Branch]:
    return list(db.session.scalars(visible_branches_stmt(user)))


def branch_by_code(code: str) -> Branch | None:
    return db.session.scalar(sa.select(Branch).where(Branch.code == code))
