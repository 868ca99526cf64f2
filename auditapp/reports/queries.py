"""Report reads: SQL aggregation over approved visits and their touchpoint score rows, always inside the
viewer's branch scope (docs/architecture.md, Scoring and Roles).

Periods are grouped in SQL by their label (2026-04, 2026-Q2, 2026), computed by the database from the visit date
in SQL that reads the same on SQLite and PostgreSQL (reports/sql.py). No function here loads one row per visit
or per score into Python, except the drill-down list and the CSV export, which exist to do that. Statements are
built once per viewer and shape, with every value bound at execution.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Iterator

import sqlalchemy as sa

from ..accounts.models import User
from ..branches.models import Branch, Region
from ..branches.queries import visible_branches_stmt
from ..concepts.models import Concept, ConceptVersion
from ..extensions import db
from ..visits.models import Answer, StandardScore, TouchpointScore, Visit
from ..vocabulary import REPORTED_STATUS
from .content import Cell
from .periods import Period
from .sql import period_label_sql


def in_scope(viewer: User | Scope, column: Any) -> Any:
    """Keep rows of branches the viewer may see; no condition at all when that is every branch, which spares
    the database an IN over all of them (SQLite would walk the branch index instead of reading the range)."""
    visible = visible_branches_stmt(viewer)
    if visible.whereclause is None and visible.get_final_froms() == [Branch.__table__]:
        return sa.true()
    return column.in_(visible.with_only_columns(Branch.id).order_by(None))


@dataclass(frozen=True)
class Scope:
    """What the branch scope depends on (docs/architecture.md, Roles), hashable so that a statement is built once per viewer."""

    id: int
    role: str


def scope_of(viewer: User) -> Scope:
    return Scope(viewer.id, viewer.role)


# Statements are built once per viewer and shape and cached; every value is a bound parameter, set when they run.
statement = functools.lru_cache(maxsize=512)


def bind(concept_id: int | None = None, start: date | None = None, end: date | None = None,
            branch_id: int | None = None, region_id: int | None = None, **more: Any) -> dict[str, Any]:
    params = {"concept_id": concept_id, "start": start, "end": end, "branch_id": branch_id, "region_id": region_id,
              "start_at": _at(start) if start else None, "end_at": _at(end) if end else None}
    params.update(more)
    return params


def _at(day: date) -> datetime:
    return datetime.combine(day, time.min)


def cell(score: Any, n: Any) -> Cell:
    n = int(n or 0)
    return Cell(float(score) if score is not None and n else None, n)


def _visit_filters(scope: Scope, *, dated: bool = True, branch: bool = False, region: bool = False) -> list[Any]:
    """Approved visits of a concept in [start_at, end_at) at branches the viewer may see."""
    versions = sa.select(ConceptVersion.id).where(ConceptVersion.concept_id == sa.bindparam("concept_id"))
    filters = [Visit.status == REPORTED_STATUS, Visit.concept_version_id.in_(versions),
               in_scope(scope, Visit.branch_id)]
    if dated:
        filters += [Visit.visited_at >= sa.bindparam("start_at", type_=sa.DateTime),
                    Visit.visited_at < sa.bindparam("end_at", type_=sa.DateTime)]
    if branch:
        filters.append(Visit.branch_id == sa.bindparam("branch_id"))
    if region:
        filters.append(Visit.branch_id.in_(sa.select(Branch.id).where(Branch.region_id == sa.bindparam("region_id"))))
    return filters


def _score_filters(scope: Scope, *, branch: bool = False, region: bool = False) -> list[Any]:
    """Score rows of a concept in [start, end) at branches the viewer may see: rows of approved visits only.

    Only an approval writes score rows, in the transaction of its conditional status UPDATE, and every review
    first deletes what a visit had (visits.services.review_visit), so the rows need no join to the visit's status:
    that join made the heatmap 6x and the overview 9x the plain GROUP BY (bench/reports.py)."""
    ts = TouchpointScore
    filters = [ts.concept_id == sa.bindparam("concept_id"), ts.visited_on >= sa.bindparam("start", type_=sa.Date),
               ts.visited_on < sa.bindparam("end", type_=sa.Date), in_scope(scope, ts.branch_id)]
    if branch:
        filters.append(ts.branch_id == sa.bindparam("branch_id"))
    if region:
        filters.append(ts.branch_id.in_(sa.select(Branch.id).where(Branch.region_id == sa.bindparam("region_id"))))
    return filters


def by_period(stmt: sa.Select, keys: tuple[Any, ...], column: Any, kind: str, *aggregates: Any) -> sa.Select:
    """Add the period label to a statement and group by the keys and the label."""
    label = period_label_sql(column, kind)
    return stmt.add_columns(*keys, label, *aggregates).group_by(*keys, label)


@statement
def _touchpoint_cells_stmt(scope: Scope, kind: str, branch: bool) -> sa.Select:
    ts = TouchpointScore
    return by_period(sa.select().where(*_score_filters(scope, branch=branch)), (ts.touchpoint_key,), ts.visited_on,
                      kind, sa.func.avg(ts.score), sa.func.count(ts.score))


def touchpoint_cells(viewer: User, concept_id: int, kind: str, start: date, end: date, *,
                     branch_id: int | None = None) -> dict[tuple[str, str], Cell]:
    """Mean touchpoint score and n per (touchpoint key, period label); keys join concept versions."""
    stmt = _touchpoint_cells_stmt(scope_of(viewer), kind, branch_id is not None)
    rows = db.session.execute(stmt, bind(concept_id, start, end, branch_id)).all()
    return {(key, label): cell(score, n) for key, label, score, n in rows}


@statement
def _overall_cells_stmt(scope: Scope, kind: str, branch: bool) -> sa.Select:
    return by_period(sa.select().where(*_visit_filters(scope, branch=branch)), (), Visit.visited_at, kind,
                      sa.func.avg(Visit.score), sa.func.count(Visit.score))


def overall_cells(viewer: User, concept_id: int, kind: str, start: date, end: date, *,
                  branch_id: int | None = None) -> dict[str, Cell]:
    """Mean visit score and n per period label, for one branch or every branch the viewer may see."""
    stmt = _overall_cells_stmt(scope_of(viewer), kind, branch_id is not None)
    rows = db.session.execute(stmt, bind(concept_id, start, end, branch_id)).all()
    return {label: cell(score, n) for label, score, n in rows}


def _phase_scores(scope: Scope, branch: bool) -> sa.Subquery:
    """Each visit's phase scores: touchpoint scores weighted by touchpoint weight (docs/architecture.md, Scoring)."""
    ts = TouchpointScore
    weight_scored = sa.case((ts.score.is_not(None), ts.weight), else_=None)
    score = sa.func.sum(ts.weight * ts.score) / sa.func.nullif(sa.func.sum(weight_scored), 0)
    return (sa.select(ts.visit_id, ts.phase_key, ts.visited_on, score.label("score"))
            .where(*_score_filters(scope, branch=branch))
            .group_by(ts.visit_id, ts.phase_key, ts.visited_on)).subquery()


@statement
def _phase_cells_stmt(scope: Scope, kind: str, branch: bool) -> sa.Select:
    inner = _phase_scores(scope, branch)
    return by_period(sa.select(), (inner.c.phase_key,), inner.c.visited_on, kind,
                      sa.func.avg(inner.c.score), sa.func.count(inner.c.score))


def phase_cells(viewer: User, concept_id: int, kind: str, start: date, end: date, *,
                branch_id: int | None = None) -> dict[tuple[str, str], Cell]:
    """Mean phase score and n per (phase key, period label): the plain mean of each visit's phase score."""
    stmt = _phase_cells_stmt(scope_of(viewer), kind, branch_id is not None)
    rows = db.session.execute(stmt, bind(concept_id, start, end, branch_id)).all()
    return {(key, label): cell(score, n) for key, label, score, n in rows}


@statement
def _standard_failures_stmt(scope: Scope, branch: bool) -> sa.Select:
    ss = StandardScore
    filters = [ss.concept_id == sa.bindparam("concept_id"), ss.visited_on >= sa.bindparam("start", type_=sa.Date),
               ss.visited_on < sa.bindparam("end", type_=sa.Date), in_scope(scope, ss.branch_id)]
    if branch:
        filters.append(ss.branch_id == sa.bindparam("branch_id"))
    failed = sa.func.sum(sa.case((ss.score == 0, 1), else_=0))
    return sa.select(ss.standard_key, failed, sa.func.count()).where(*filters).group_by(ss.standard_key)


def standard_failures(viewer: User, concept_id: int, start: date, end: date, *,
                      branch_id: int | None = None) -> dict[str, tuple[int, int]]:
    """Per standard key: how often it scored 0 and how often it scored at all, over the approved visits in scope."""
    stmt = _standard_failures_stmt(scope_of(viewer), branch_id is not None)
    rows = db.session.execute(stmt, bind(concept_id, start, end, branch_id)).all()
    return {key: (int(failed or 0), int(n)) for key, failed, n in rows}


@statement
def _version_first_use_stmt(scope: Scope, branch: bool) -> sa.Select:
    return (sa.select(ConceptVersion.number, sa.func.min(Visit.visited_at))
            .join(ConceptVersion, ConceptVersion.id == Visit.concept_version_id)
            .where(*_visit_filters(scope, dated=False, branch=branch))
            .group_by(ConceptVersion.number).order_by(ConceptVersion.number))


def version_first_use(viewer: User, concept_id: int, *, branch_id: int | None = None) -> list[tuple[int, datetime]]:
    """When each concept version was first used by an approved visit: (version number, first visit time)."""
    stmt = _version_first_use_stmt(scope_of(viewer), branch_id is not None)
    rows = db.session.execute(stmt, bind(concept_id, branch_id=branch_id)).all()
    return [(number, first) for number, first in rows if first is not None]


@dataclass(frozen=True)
class VisitScore:
    """A visit behind a report cell, with the score it contributed."""

    visit_id: int
    visited_at: datetime
    channel: str
    version: int
    score: float


def cell_visits(viewer: User, concept_id: int, branch_id: int, start: date, end: date, *,
                touchpoint: str | None = None, phase: str | None = None) -> list[VisitScore]:
    """The approved visits behind a cell: a touchpoint's, a phase's, or (neither given) the overall one."""
    scope = scope_of(viewer)
    columns = [Visit.id, Visit.visited_at, Visit.channel, ConceptVersion.number]
    if touchpoint is not None:
        ts = TouchpointScore
        stmt = (sa.select(*columns, ts.score).join(ts, ts.visit_id == Visit.id)
                .where(ts.touchpoint_key == touchpoint, ts.score.is_not(None)))
    elif phase is not None:
        inner = _phase_scores(scope, branch=True)
        stmt = (sa.select(*columns, inner.c.score).join(inner, inner.c.visit_id == Visit.id)
                .where(inner.c.phase_key == phase, inner.c.score.is_not(None)))
    else:
        stmt = sa.select(*columns, Visit.score).where(Visit.score.is_not(None))
    stmt = (stmt.join(ConceptVersion, ConceptVersion.id == Visit.concept_version_id)
            .where(*_visit_filters(scope, branch=True)).order_by(Visit.visited_at, Visit.id))
    rows = db.session.execute(stmt, bind(concept_id, start, end, branch_id)).all()
    return [VisitScore(vid, at, channel, number, float(score)) for vid, at, channel, number, score in rows]


@dataclass(frozen=True)
class LeagueRow:
    """A branch's overall score in a period and in the one before it."""

    branch_id: int
    code: str
    name: str
    region: str
    current: Cell
    previous: Cell

    @property
    def change(self) -> float | None:
        if self.current.score is None or self.previous.score is None:
            return None
        return self.current.score - self.previous.score


@statement
def _visible_branch_rows_stmt(scope: Scope, region: bool) -> sa.Select:
    stmt = (visible_branches_stmt(scope).with_only_columns(Branch.id, Branch.code, Branch.name, Region.name)
            .outerjoin(Region, Region.id == Branch.region_id))
    return stmt.where(Branch.region_id == sa.bindparam("region_id")) if region else stmt


def visible_branch_rows(viewer: User, region_id: int | None = None) -> list[tuple[int, str, str, str]]:
    """(id, code, name, region name) of the branches the viewer may see, by code."""
    stmt = _visible_branch_rows_stmt(scope_of(viewer), region_id is not None)
    rows = db.session.execute(stmt, {"region_id": region_id}).all()
    return [(bid, code, name, region or "") for bid, code, name, region in rows]


@statement
def _league_stmt(scope: Scope, region: bool) -> sa.Select:
    in_current = Visit.visited_at >= sa.bindparam("middle_at", type_=sa.DateTime)
    current_score = sa.case((in_current, Visit.score), else_=None)
    previous_score = sa.case((in_current, None), else_=Visit.score)
    return (sa.select(Visit.branch_id, sa.func.avg(current_score), sa.func.count(current_score),
                      sa.func.avg(previous_score), sa.func.count(previous_score))
            .where(*_visit_filters(scope, region=region)).group_by(Visit.branch_id))


def league(viewer: User, concept_id: int, period: Period, *, region_id: int | None = None) -> list[LeagueRow]:
    """Every visible branch with its mean visit score and n in the period and in the previous one."""
    stmt = _league_stmt(scope_of(viewer), region_id is not None)
    params = bind(concept_id, period.previous().start, period.end, region_id=region_id,
                     middle_at=period.start_at)
    scores = {bid: (cell(cs, cn), cell(ps, pn)) for bid, cs, cn, ps, pn in db.session.execute(stmt, params).all()}
    empty = (Cell(None, 0), Cell(None, 0))
    return [LeagueRow(bid, code, name, region, *scores.get(bid, empty))
            for bid, code, name, region in visible_branch_rows(viewer, region_id)]


@statement
def _branch_touchpoint_cells_stmt(scope: Scope, region: bool) -> sa.Select:
    ts = TouchpointScore
    return (sa.select(ts.branch_id, ts.touchpoint_key, sa.func.avg(ts.score), sa.func.count(ts.score))
            .where(*_score_filters(scope, region=region)).group_by(ts.branch_id, ts.touchpoint_key))


def branch_touchpoint_cells(viewer: User, concept_id: int, period: Period, *,
                            region_id: int | None = None) -> dict[tuple[int, str], Cell]:
    """Mean touchpoint score and n per (branch id, touchpoint key) in one period."""
    stmt = _branch_touchpoint_cells_stmt(scope_of(viewer), region_id is not None)
    rows = db.session.execute(stmt, bind(concept_id, period.start, period.end, region_id=region_id)).all()
    return {(bid, key): cell(score, n) for bid, key, score, n in rows}


def latest_visit_day(viewer: User, concept_id: int) -> date | None:
    """The day of the newest approved visit the viewer may see, so reports open where the data is."""
    stmt = sa.select(sa.func.max(Visit.visited_at)).where(*_visit_filters(scope_of(viewer), dated=False))
    latest = db.session.scalar(stmt, bind(concept_id))
    if isinstance(latest, str):  # SQLite hands back the raw text for an aggregate over a DateTime
        latest = datetime.fromisoformat(latest)
    return latest.date() if latest else None


def visible_regions(viewer: User) -> list[Region]:
    """The regions of the branches the viewer may see, by name."""
    stmt = (sa.select(Region).where(Region.id.in_(
        visible_branches_stmt(viewer).with_only_columns(Branch.region_id).order_by(None)))
        .order_by(Region.name))
    return list(db.session.scalars(stmt))


def visible_branch(viewer: User, branch_id: int) -> Branch | None:
    """A branch the viewer may see, or None."""
    return db.session.scalar(visible_branches_stmt(viewer).where(Branch.id == branch_id))


def reported_concepts() -> list[Concept]:
    """Concepts with at least one version, by name."""
    return list(db.session.scalars(sa.select(Concept).where(Concept.versions.any()).order_by(Concept.name)))


@dataclass(frozen=True)
class AnswerRow:
    """One answer of an approved visit with what the export needs to place it."""

    visit_id: int
    branch: str
    region: str
    visited_at: datetime
    channel: str
    persona: str | None
    concept: str
    version: int
    version_id: int
    standard: str
    value: Any
    comment: str
    score: float | None  # s in [0, 1] from the visit's standard score row; None where the answer does not count


def export_rows(viewer: User, *, concept_id: int | None = None, branch_id: int | None = None,
                start: date | None = None, end: date | None = None, batch: int = 1000) -> Iterator[AnswerRow]:
    """Stream the answers of approved visits in scope, visit by visit, without holding them all in memory."""
    filters = [Visit.status == REPORTED_STATUS, in_scope(viewer, Visit.branch_id)]
    if concept_id is not None:
        filters.append(ConceptVersion.concept_id == concept_id)
    if branch_id is not None:
        filters.append(Visit.branch_id == branch_id)
    if start is not None:
        filters.append(Visit.visited_at >= _at(start))
    if end is not None:
        filters.append(Visit.visited_at < _at(end))
    stmt = (sa.select(Visit.id, Branch.code, Region.name, Visit.visited_at, Visit.channel, Visit.persona_key,
                      Concept.key, ConceptVersion.number, ConceptVersion.id, Answer.standard_key, Answer.value,
                      Answer.comment, StandardScore.score)
            .select_from(Answer).join(Visit, Visit.id == Answer.visit_id)
            .outerjoin(StandardScore, sa.and_(StandardScore.visit_id == Answer.visit_id,
                                              StandardScore.standard_key == Answer.standard_key))
            .join(Branch, Branch.id == Visit.branch_id).outerjoin(Region, Region.id == Branch.region_id)
            .join(ConceptVersion, ConceptVersion.id == Visit.concept_version_id)
            .join(Concept, Concept.id == ConceptVersion.concept_id)
            .where(*filters).order_by(Visit.id, Answer.id)
            .execution_options(yield_per=batch))
    for row in db.session.execute(stmt):
        yield AnswerRow(row[0], row[1], row[2] or "", row[3], row[4], row[5], row[6], row[7], row[8], row[9],
                        row[10], row[11] or "", row[12])
