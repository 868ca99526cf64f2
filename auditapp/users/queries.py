"""Reads for the user administration: the list, searched and filtered, and one user."""

from __future__ import annotations

import sqlalchemy as sa
import sqlalchemy.orm as so

from ..accounts.models import User
from ..branches.models import Branch, Region
from ..extensions import db

PAGE_SIZE = 50


def users(search: str = "", role: str | None = None, page: int = 1) -> tuple[list[User], bool]:
    """Users by name, matching a search in name or email (case-insensitive), one page at a time."""
    stmt = sa.select(User).options(so.selectinload(User.branches), so.selectinload(User.regions))
    if search:
        pattern = "%" + search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(sa.or_(sa.func.lower(User.name).like(pattern, escape="\\"),
                                 sa.func.lower(User.email).like(pattern, escape="\\")))
    if role:
        stmt = stmt.where(User.role == role)
    rows = list(db.session.scalars(stmt.order_by(User.name, User.id).offset((page - 1) * PAGE_SIZE)
                                   .limit(PAGE_SIZE + 1)))
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def branch_choices() -> list[tuple[str, str]]:
    return [(str(b.id), f"{b.name} ({b.code})") for b in db.session.scalars(sa.select(Branch).order_by(Branch.code))]


def region_choices() -> list[tuple[str, str]]:
    return [(str(r.id), r.name) for r in db.session.scalars(sa.select(Region).order_by(Region.name))]
