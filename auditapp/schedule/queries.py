"""Reads for planning: the visits and branches a planner answers for, the auditors, and the previous round."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from ..accounts.models import User
from ..branches.models import Branch, Region
from ..branches.queries import managed_branch_ids
from ..domain_error import not_found
from ..extensions import db
from ..visits.models import Visit
from ..vocabulary import Role, VisitStatus
from .models import Round


def plannable_branches_stmt(user: User) -> sa.Select:
    """Active branches a user may plan visits at: every one for admins, their own for managers, none otherwise."""
    stmt = sa.select(Branch).where(Branch.active).order_by(Branch.code)
    if user.role == Role.ADMIN:
        return stmt
    if user.role == Role.MANAGER:
        return stmt.where(Branch.id.in_(managed_branch_ids(user.id)))
    return stmt.where(sa.false())


def plannable_branches(user: User, ids: list[int] | None = None, region: str | None = None) -> list[Branch]:
    stmt = plannable_branches_stmt(user)
    if ids is not None:
        stmt = stmt.where(Branch.id.in_(ids))
    if region is not None:
        stmt = stmt.join(Region, Region.id == Branch.region_id).where(Region.name == region)
    return list(db.session.scalars(stmt))


def plannable_visit(user: User, visit_id: int) -> Visit:
    """A visit the planner answers for, whatever its status; 404 otherwise."""
    visit = db.session.get(Visit, visit_id)
    if visit is None or user.role not in (Role.ADMIN, Role.MANAGER):
        raise not_found()
    if user.role == Role.MANAGER and visit.branch_id not in set(db.session.scalars(managed_branch_ids(user.id))):
        raise not_found()
    return visit


def active_auditors() -> list[User]:
    return list(db.session.scalars(sa.select(User).where(User.role == Role.AUDITOR, User.active).order_by(User.id)))


def active_auditor(user_id: int) -> User | None:
    return db.session.scalar(sa.select(User).where(User.id == user_id, User.role == Role.AUDITOR, User.active))


def previous_auditors(concept_id: int, channel: str, month: date) -> dict[int, set[int]]:
    """Who audited which branch in the latest earlier round of this concept and channel (cancelled visits aside)."""
    last = db.session.scalar(sa.select(Round.id).where(Round.concept_id == concept_id, Round.channel == channel,
                                                       Round.month < month).order_by(Round.month.desc(),
                                                                                    Round.id.desc()).limit(1))
    if last is None:
        return {}
    rows = db.session.execute(sa.select(Visit.branch_id, Visit.auditor_id).where(
        Visit.round_id == last, Visit.status != VisitStatus.CANCELLED))
    previous: dict[int, set[int]] = {}
    for branch_id, auditor_id in rows:
        previous.setdefault(branch_id, set()).add(auditor_id)
    return previous


def already_in_a_round(concept_id: int, month: date, channel: str, branch_ids: list[int]) -> list[str]:
    """Codes of the branches that already have an open or done visit from a round of this concept, channel and
    month: a second round there would send two auditors for one slot."""
    return list(db.session.scalars(
        sa.select(Branch.code).join(Visit, Visit.branch_id == Branch.id).join(Round, Round.id == Visit.round_id)
        .where(Round.concept_id == concept_id, Round.month == month, Round.channel == channel,
               Visit.branch_id.in_(branch_ids), Visit.status != VisitStatus.CANCELLED)
        .distinct().order_by(Branch.code)))


def round_visits(round_id: int) -> list[Visit]:
    return list(db.session.scalars(sa.select(Visit).where(Visit.round_id == round_id).order_by(Visit.id)))


def round_by_signature(signature: str) -> Round | None:
    return db.session.scalar(sa.select(Round).where(Round.signature == signature))


LIST_LIMIT = 200


def planner_lists(user: User, today: date) -> dict[str, list[Visit]]:
    """A planner's open work: overdue, due this month, in progress, submitted, returned, planned for later."""
    stmt = (sa.select(Visit).where(Visit.status.in_((VisitStatus.SCHEDULED, VisitStatus.IN_PROGRESS,
                                                     VisitStatus.SUBMITTED, VisitStatus.RETURNED)))
            .order_by(Visit.due_date, Visit.id))
    if user.role == Role.MANAGER:
        stmt = stmt.where(Visit.branch_id.in_(managed_branch_ids(user.id)))
    elif user.role != Role.ADMIN:
        stmt = stmt.where(sa.false())
    lists: dict[str, list[Visit]] = {"overdue": [], "due": [], "in_progress": [], "submitted": [], "returned": [],
                                     "later": []}
    for visit in db.session.scalars(stmt.limit(LIST_LIMIT * 5)):
        if visit.status in (VisitStatus.SCHEDULED, VisitStatus.IN_PROGRESS) and visit.due_date < today:
            key = "overdue"
        elif visit.status == VisitStatus.SCHEDULED:
            key = "due" if (visit.due_date.year, visit.due_date.month) == (today.year, today.month) else "later"
        else:
            key = str(visit.status)
        if len(lists[key]) < LIST_LIMIT:
            lists[key].append(visit)
    return lists
