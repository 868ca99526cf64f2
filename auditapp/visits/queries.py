"""Which visits a user may see and act on (docs/architecture.md, Roles); everything outside answers 404."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort

from ..accounts.models import User
from ..branches.queries import managed_branch_ids, manages
from ..extensions import db
from ..vocabulary import DONE_STATUSES, EDITABLE_STATUSES, MANAGER_STATUSES, Role, VisitStatus
from .models import Visit


def visible_visits_stmt(user: User) -> sa.Select:
    """Select the visits a user may read."""
    stmt = sa.select(Visit)
    if user.role == Role.ADMIN:
        return stmt
    if user.role == Role.AUDITOR:
        return stmt.where(Visit.auditor_id == user.id)
    if user.role == Role.MANAGER:
        return stmt.where(Visit.branch_id.in_(managed_branch_ids(user.id)), Visit.status.in_(MANAGER_STATUSES))
    return stmt.where(sa.false())


def visible_visit(user: User, visit_id: int) -> Visit:
    """Load a visit the user may read, or abort with 404."""
    visit = db.session.scalar(visible_visits_stmt(user).where(Visit.id == visit_id))
    if visit is None:
        abort(404)
    return visit


def may_review(user: User, visit: Visit) -> bool:
    return user.role == Role.ADMIN or manages(user, visit.branch_id)


def may_see_auditor(viewer: User, visit: Visit) -> bool:
    """Only admins and the auditor see the auditor's name; branches see a pseudonym (docs/architecture.md, Roles)."""
    return viewer.role == Role.ADMIN or viewer.id == visit.auditor_id


def auditor_label(visit: Visit, viewer: User) -> str:
    """Show the auditor's name only to those who may see it; everyone else sees a pseudonym."""
    if may_see_auditor(viewer, visit):
        return visit.auditor.name
    return visit.auditor.pseudonym


def may_see_staff(viewer: User, visit: Visit) -> bool:
    """Staff names recorded at a touchpoint are for HR, admins and the auditor, never for the branch."""
    return viewer.role in (Role.ADMIN, Role.HR) or viewer.id == visit.auditor_id


def list_visits(user: User, status: str | None = None, branch_code: str | None = None) -> list[Visit]:
    """The visits a user may read, newest due date first, optionally filtered."""
    from ..branches.models import Branch

    stmt = visible_visits_stmt(user)
    if status:
        stmt = stmt.where(Visit.status == status)
    if branch_code:
        stmt = stmt.join(Branch, Branch.id == Visit.branch_id).where(Branch.code == branch_code)
    return list(db.session.scalars(stmt.order_by(Visit.due_date.desc(), Visit.id.desc())))


def review_queue(user: User) -> list[Visit]:
    """Submitted visits in the reviewer's scope, oldest first."""
    stmt = visible_visits_stmt(user).where(Visit.status == VisitStatus.SUBMITTED)
    return list(db.session.scalars(stmt.order_by(Visit.submitted_at.asc(), Visit.id.asc())))


DONE_PAGE = 20  # submitted visits per page of the auditor's list


def open_visits(user: User) -> list[Visit]:
    """The visits the user may still fill in (a handful: the list shows them all)."""
    stmt = visible_visits_stmt(user).where(Visit.status.in_(EDITABLE_STATUSES))
    return list(db.session.scalars(stmt.order_by(Visit.due_date, Visit.id)))


def done_visits(user: User, page: int) -> tuple[list[Visit], bool]:
    """One page of the user's submitted and approved visits, last submitted first, and whether another follows."""
    # NULLS LAST spelled out: PostgreSQL puts NULL first when descending, SQLite last; a visit without a
    # submission time (none the app makes) must not move between pages with the database.
    stmt = (visible_visits_stmt(user).where(Visit.status.in_(DONE_STATUSES))
            .order_by(Visit.submitted_at.desc().nulls_last(), Visit.id.desc())
            .offset((page - 1) * DONE_PAGE).limit(DONE_PAGE + 1))
    rows = list(db.session.scalars(stmt))
    return rows[:DONE_PAGE], len(rows) > DONE_PAGE
