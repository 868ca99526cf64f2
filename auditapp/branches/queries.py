"""Which branches a user may see (docs/architecture.md, Roles)."""

from __future__ import annotations

import sqlalchemy as sa
import sqlalchemy.orm as so

from ..accounts.models import User, manager_branches, manager_regions
from ..extensions import db
from ..vocabulary import Role
from .models import Branch, Region


def managed_branch_ids(user_id: int) -> sa.Select:
    """The ids of the branches a manager answers for: those linked one by one, and every branch of a linked region
    (so a branch added to the region later is theirs at once)."""
    own = sa.select(manager_branches.c.branch_id).where(manager_branches.c.user_id == user_id)
    regions = sa.select(manager_regions.c.region_id).where(manager_regions.c.user_id == user_id)
    return sa.union(own, sa.select(Branch.id).where(Branch.region_id.in_(regions)))


def manages(user: User, branch_id: int) -> bool:
    """Whether a manager answers for a branch, directly or through its region."""
    stmt = sa.select(sa.exists(managed_branch_ids(user.id).subquery().select().where(
        sa.literal_column("branch_id") == branch_id)))
    return user.role == Role.MANAGER and bool(db.session.scalar(stmt))


def visible_branches_stmt(user: User) -> sa.Select:
    """Select the branches in a user's scope: all for admin and HR, own for managers, none otherwise."""
    stmt = sa.select(Branch).order_by(Branch.code)
    if user.role in (Role.ADMIN, Role.HR):
        return stmt
    if user.role == Role.MANAGER:
        return stmt.where(Branch.id.in_(managed_branch_ids(user.id)))
    return stmt.where(sa.false())


def visible_branches(user: User) -> list[Branch]:
    return list(db.session.scalars(visible_branches_stmt(user)))


def branch_by_code(code: str) -> Branch | None:
    return db.session.scalar(sa.select(Branch).where(Branch.code == code))


def branches_by_region() -> list[tuple[Region | None, list[Branch]]]:
    """Every branch, open and closed, grouped by region (by name; branches without one last), each by code."""
    branches = db.session.scalars(sa.select(Branch).outerjoin(Branch.region).options(so.contains_eager(Branch.region))
                                  .order_by(Region.name.is_(None), Region.name, Branch.code))
    groups: list[tuple[Region | None, list[Branch]]] = []
    for branch in branches:
        if not groups or groups[-1][0] is not branch.region:
            groups.append((branch.region, []))
        groups[-1][1].append(branch)
    return groups
