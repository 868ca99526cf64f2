"""Reads for planning: the visits and branches a planner answers for, the auditors, and the previous round."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so

from ..accounts.models import User
from ..branches.models import Branch, Region
from ..branches.queries import managed_branch_ids
from ..concepts.models import ConceptVersion
from ..domain_error import not_found
from ..extensions import db
from ..visits.models import Visit
from ..vocabulary import CANCELLABLE_STATUSES, Role, VisitStatus
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


def previous_auditors(concept_id: int, channel: str, month: date, branch_ids: list[int]) -> dict[int, set[int]]:
    """Who audited each branch in its latest earlier round of this concept and channel (cancelled visits aside).

    Per branch: rounds may cover one region each, so the latest round overall may not include the branch."""
    in_rounds = (sa.select(Visit.branch_id, Visit.auditor_id, Round.month).join(Round, Round.id == Visit.round_id)
                 .where(Round.concept_id == concept_id, Round.channel == channel, Round.month < month,
                        Visit.branch_id.in_(branch_ids), Visit.status != VisitStatus.CANCELLED).subquery())
    latest = (sa.select(in_rounds.c.branch_id, sa.func.max(in_rounds.c.month).label("month"))
              .group_by(in_rounds.c.branch_id).subquery())
    rows = db.session.execute(sa.select(in_rounds.c.branch_id, in_rounds.c.auditor_id).join(
        latest, sa.and_(latest.c.branch_id == in_rounds.c.branch_id, latest.c.month == in_rounds.c.month)))
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


LIST_LIMIT = 200  # per list; a planner with more open visits than that narrows by branch in the reports


def _planner_conditions(today: date) -> dict[str, sa.ColumnElement[bool]]:
    """What puts a visit on each planner list: overdue, due this month, in progress, submitted, returned, later."""
    next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    return {
        "overdue": sa.and_(Visit.status.in_(CANCELLABLE_STATUSES), Visit.due_date < today),
        "due": sa.and_(Visit.status == VisitStatus.SCHEDULED, Visit.due_date >= today, Visit.due_date < next_month),
        "in_progress": sa.and_(Visit.status == VisitStatus.IN_PROGRESS, Visit.due_date >= today),
        "submitted": Visit.status == VisitStatus.SUBMITTED,
        "returned": Visit.status == VisitStatus.RETURNED,
        "later": sa.and_(Visit.status == VisitStatus.SCHEDULED, Visit.due_date >= next_month),
    }


def _planner_scope(stmt: sa.Select, user: User) -> sa.Select:
    if user.role == Role.MANAGER:
        return stmt.where(Visit.branch_id.in_(managed_branch_ids(user.id)))
    return stmt if user.role == Role.ADMIN else stmt.where(sa.false())


def planner_lists(user: User, today: date) -> dict[str, list[Visit]]:
    """A planner's visits by what needs doing, each list its own bounded query so a long one hides no other."""
    stmt = _planner_scope(sa.select(Visit).options(
        so.selectinload(Visit.branch), so.selectinload(Visit.concept_version).selectinload(ConceptVersion.concept))
        .order_by(Visit.due_date, Visit.id).limit(LIST_LIMIT), user)
    return {key: list(db.session.scalars(stmt.where(condition)))
            for key, condition in _planner_conditions(today).items()}


def planner_counts(user: User, today: date) -> dict[str, int]:
    """How many visits each planner list holds, for the manager's home."""
    stmt = _planner_scope(sa.select(sa.func.count(Visit.id)), user)
    return {key: db.session.scalar(stmt.where(condition)) for key, condition in _planner_conditions(today).items()}
