"""Role score reads: SQL over the standard score rows of approved visits, inside the viewer's branch scope.

A visit's role score is 100 · Σ w·s / Σ w over the standard rows the role owns (docs/architecture.md, Scoring);
cells are plain means of those visit scores. Statements are built once per viewer and shape, values bound.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from ..accounts.models import User
from ..extensions import db
from ..reports.content import Cell
from ..reports.queries import Scope, bind, by_period, cell, in_scope, scope_of, statement
from ..visits.models import StandardScore, StandardScoreRole


def _owned_rows(scope: Scope, branch: bool) -> list[Any]:
    """Conditions for the role's standard rows of a concept in [start, end) at branches the viewer may see."""
    ss = StandardScore
    owned = sa.select(StandardScoreRole.standard_score_id).where(StandardScoreRole.role_key == sa.bindparam("role"))
    filters = [ss.concept_id == sa.bindparam("concept_id"), ss.visited_on >= sa.bindparam("start", type_=sa.Date),
               ss.visited_on < sa.bindparam("end", type_=sa.Date), in_scope(scope, ss.branch_id), ss.id.in_(owned)]
    if branch:
        filters.append(ss.branch_id == sa.bindparam("branch_id"))
    return filters


def _visit_scores(scope: Scope, branch: bool) -> sa.Subquery:
    """Each approved visit's role score, with its branch and day."""
    ss = StandardScore
    score = 100 * sa.func.sum(ss.weight * ss.score) / sa.func.nullif(sa.func.sum(ss.weight), 0)
    return (sa.select(ss.visit_id, ss.branch_id, ss.visited_on, score.label("score"))
            .where(*_owned_rows(scope, branch)).group_by(ss.visit_id, ss.branch_id, ss.visited_on)).subquery()


@statement
def _cells_stmt(scope: Scope, kind: str, branch: bool, per_branch: bool) -> sa.Select:
    inner = _visit_scores(scope, branch)
    keys = (inner.c.branch_id,) if per_branch else ()
    return by_period(sa.select(), keys, inner.c.visited_on, kind, sa.func.avg(inner.c.score),
                     sa.func.count(inner.c.score))


def _params(concept_id: int, role: str, start: date, end: date, branch_id: int | None) -> dict[str, Any]:
    return bind(concept_id, start, end, branch_id, role=role)


def overall_cells(viewer: User, concept_id: int, role: str, kind: str, start: date, end: date, *,
                  branch_id: int | None = None) -> dict[str, Cell]:
    """Mean role score and n per period label over the branches in scope (or one branch)."""
    stmt = _cells_stmt(scope_of(viewer), kind, branch_id is not None, False)
    rows = db.session.execute(stmt, _params(concept_id, role, start, end, branch_id)).all()
    return {label: cell(score, n) for label, score, n in rows}


def branch_cells(viewer: User, concept_id: int, role: str, kind: str, start: date, end: date, *,
                 branch_id: int | None = None) -> dict[tuple[int, str], Cell]:
    """Mean role score and n per (branch id, period label)."""
    stmt = _cells_stmt(scope_of(viewer), kind, branch_id is not None, True)
    rows = db.session.execute(stmt, _params(concept_id, role, start, end, branch_id)).all()
    return {(bid, label): cell(score, n) for bid, label, score, n in rows}


@statement
def _standards_stmt(scope: Scope, branch: bool) -> sa.Select:
    ss = StandardScore
    critical_failed = sa.func.sum(sa.case((sa.and_(ss.critical, ss.score == 0), 1), else_=0))
    return (sa.select(ss.standard_key, 100 * sa.func.avg(ss.score), sa.func.count(), critical_failed)
            .where(*_owned_rows(scope, branch)).group_by(ss.standard_key))


def standard_cells(viewer: User, concept_id: int, role: str, start: date, end: date, *,
                   branch_id: int | None = None) -> dict[str, tuple[Cell, int]]:
    """Per standard the role owns: its mean score (0–100) and n over the range, and its critical failures."""
    stmt = _standards_stmt(scope_of(viewer), branch_id is not None)
    rows = db.session.execute(stmt, _params(concept_id, role, start, end, branch_id)).all()
    return {key: (cell(score, n), int(failed or 0)) for key, score, n, failed in rows}
