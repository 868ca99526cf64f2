"""Report reads: SQL aggregation over approved visits and their touchpoint score rows, always inside the
viewer's branch scope (DESIGN §3, §4).

Periods are grouped in SQL by the year and month (or quarter) extracted from the visit date, which reads the
same on SQLite and PostgreSQL; Python only turns those numbers into labels. No function here loads one row
per visit or per score into Python, except the drill-down list and the CSV export, which exist to do that.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Iterator

import sqlalchemy as sa

from ..accounts.models import User
from ..branches.models import Branch, Region
from ..branches.queries import visible_branches_stmt
from ..concepts.models import Concept, ConceptVersion
from ..extensions import db
from ..visits.models import Answer, TouchpointScore, Visit
from .content import Cell
from .periods import Period, period_from_parts

APPROVED = "approved"


def branch_scope(viewer: User) -> sa.Select:
    """Select the ids of the branches whose numbers the viewer may see."""
    return visible_branches_stmt(viewer).with_only_columns(Branch.id).order_by(None)


def _at(day: date) -> datetime:
    return datetime.combine(day, time.min)


def _period_parts(column: Any, kind: str) -> tuple[Any, Any]:
    """Year and month/quarter of a date column as integers; 0 stands in for the part of a year."""
    year = sa.cast(sa.extract("year", column), sa.Integer)
    if kind == "year":
        return year, None
    month = sa.cast(sa.extract("month", column), sa.Integer)
    if kind == "month":
        return year, month
    # Literal constants, not bound parameters: PostgreSQL must see the GROUP BY and SELECT expressions as equal.
    return year, (month + sa.literal_column("2", sa.Integer)) // sa.literal_column("3", sa.Integer)


def _label(kind: str, year: int, part: int | None) -> str:
    return period_from_parts(kind, int(year), int(part or 0)).label


def _cell(score: Any, n: Any) -> Cell:
    n = int(n or 0)
    return Cell(float(score) if score is not None and n else None, n)


def _versions_of(concept_id: int) -> sa.Select:
    return sa.select(ConceptVersion.id).where(ConceptVersion.concept_id == concept_id)


def _visit_filters(viewer: User, concept_id: int, start: date | None, end: date | None,
                   branch_id: int | None = None, region_id: int | None = None) -> list[Any]:
    """Approved visits of a concept in [start, end) at branches the viewer may see."""
    filters = [Visit.status == APPROVED, Visit.concept_version_id.in_(_versions_of(concept_id)),
               Visit.branch_id.in_(branch_scope(viewer))]
    if start is not None:
        filters.append(Visit.visited_at >= _at(start))
    if end is not None:
        filters.append(Visit.visited_at < _at(end))
    if branch_id is not None:
        filters.append(Visit.branch_id == branch_id)
    if region_id is not None:
        filters.append(Visit.branch_id.in_(sa.select(Branch.id).where(Branch.region_id == region_id)))
    return filters


def _score_filters(viewer: User, concept_id: int, start: date, end: date, branch_id: int | None = None,
                   region_id: int | None = None) -> list[Any]:
    """Score rows (written only at approval) of a concept in [start, end) at branches the viewer may see."""
    ts = TouchpointScore
    filters = [ts.concept_id == concept_id, ts.visited_on >= start, ts.visited_on < end,
               ts.branch_id.in_(branch_scope(viewer))]
    if branch_id is not None:
        filters.append(ts.branch_id == branch_id)
    if region_id is not None:
        filters.append(ts.branch_id.in_(sa.select(Branch.id).where(Branch.region_id == region_id)))
    return filters


def _grouped(stmt: sa.Select, *columns: Any) -> sa.Select:
    return stmt.group_by(*(c for c in columns if c is not None))


def touchpoint_cells(viewer: User, concept_id: int, kind: str, start: date, end: date, *,
                     branch_id: int | None = None) -> dict[tuple[str, str], Cell]:
    """Mean touchpoint score and n per (touchpoint key, period label); keys join concept versions."""
    ts = TouchpointScore
    year, part = _period_parts(ts.visited_on, kind)
    stmt = sa.select(ts.touchpoint_key, year, part if part is not None else sa.null(),
                     sa.func.avg(ts.score), sa.func.count(ts.score)).where(
        *_score_filters(viewer, concept_id, start, end, branch_id))
    rows = db.session.execute(_grouped(stmt, ts.touchpoint_key, year, part)).all()
    return {(key, _label(kind, y, p)): _cell(score, n) for key, y, p, score, n in rows}


def overall_cells(viewer: User, concept_id: int, kind: str, start: date, end: date, *,
                  branch_id: int | None = None) -> dict[str, Cell]:
    """Mean visit score and n per period label, for one branch or every branch the viewer may see."""
    year, part = _period_parts(Visit.visited_at, kind)
    stmt = sa.select(year, part if part is not None else sa.null(), sa.func.avg(Visit.score),
                     sa.func.count(Visit.score)).where(*_visit_filters(viewer, concept_id, start, end, branch_id))
    rows = db.session.execute(_grouped(stmt, year, part)).all()
    return {_label(kind, y, p): _cell(score, n) for y, p, score, n in rows}


def _phase_scores(viewer: User, concept_id: int, start: date, end: date, branch_id: int | None) -> sa.Subquery:
    """Each visit's phase scores: touchpoint scores weighted by touchpoint weight (DESIGN §3)."""
    ts = TouchpointScore
    weight_scored = sa.case((ts.score.is_not(None), ts.weight), else_=None)
    score = sa.func.sum(ts.weight * ts.score) / sa.func.nullif(sa.func.sum(weight_scored), 0)
    return (sa.select(ts.visit_id, ts.phase_key, ts.visited_on, score.label("score"))
            .where(*_score_filters(viewer, concept_id, start, end, branch_id))
            .group_by(ts.visit_id, ts.phase_key, ts.visited_on)).subquery()


def phase_cells(viewer: User, concept_id: int, kind: str, start: date, end: date, *,
                branch_id: int | None = None) -> dict[tuple[str, str], Cell]:
    """Mean phase score and n per (phase key, period label): the plain mean of each visit's phase score."""
    inner = _phase_scores(viewer, concept_id, start, end, branch_id)
    year, part = _period_parts(inner.c.visited_on, kind)
    stmt = sa.select(inner.c.phase_key, year, part if part is not None else sa.null(),
                     sa.func.avg(inner.c.score), sa.func.count(inner.c.score))
    rows = db.session.execute(_grouped(stmt, inner.c.phase_key, year, part)).all()
    return {(key, _label(kind, y, p)): _cell(score, n) for key, y, p, score, n in rows}


def answer_value_counts(viewer: User, concept_id: int, start: date, end: date, *,
                        branch_id: int | None = None) -> list[tuple[int, str, str, int]]:
    """How often each stored value was given per (concept version, standard): few rows, scored in Python."""
    value = sa.cast(Answer.value, sa.Text)  # JSON has no equality operator in PostgreSQL; its text form has
    stmt = (sa.select(Visit.concept_version_id, Answer.standard_key, value, sa.func.count())
            .join(Visit, Visit.id == Answer.visit_id)
            .where(*_visit_filters(viewer, concept_id, start, end, branch_id))
            .group_by(Visit.concept_version_id, Answer.standard_key, value))
    return [(vid, key, text, int(n)) for vid, key, text, n in db.session.execute(stmt).all()]


def version_first_use(viewer: User, concept_id: int, *, branch_id: int | None = None) -> list[tuple[int, datetime]]:
    """When each concept version was first used by an approved visit: (version number, first visit time)."""
    stmt = (sa.select(ConceptVersion.number, sa.func.min(Visit.visited_at))
            .join(ConceptVersion, ConceptVersion.id == Visit.concept_version_id)
            .where(*_visit_filters(viewer, concept_id, None, None, branch_id))
            .group_by(ConceptVersion.number).order_by(ConceptVersion.number))
    return [(number, first) for number, first in db.session.execute(stmt).all() if first is not None]


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
    columns = [Visit.id, Visit.visited_at, Visit.channel, ConceptVersion.number]
    filters = _visit_filters(viewer, concept_id, start, end, branch_id)
    if touchpoint is not None:
        ts = TouchpointScore
        stmt = (sa.select(*columns, ts.score).join(ts, ts.visit_id == Visit.id)
                .where(ts.touchpoint_key == touchpoint, ts.score.is_not(None)))
    elif phase is not None:
        inner = _phase_scores(viewer, concept_id, start, end, branch_id)
        stmt = (sa.select(*columns, inner.c.score).join(inner, inner.c.visit_id == Visit.id)
                .where(inner.c.phase_key == phase, inner.c.score.is_not(None)))
    else:
        stmt = sa.select(*columns, Visit.score).where(Visit.score.is_not(None))
    stmt = (stmt.join(ConceptVersion, ConceptVersion.id == Visit.concept_version_id).where(*filters)
            .order_by(Visit.visited_at, Visit.id))
    return [VisitScore(vid, at, channel, number, float(score))
            for vid, at, channel, number, score in db.session.execute(stmt).all()]


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


def visible_branch_rows(viewer: User, region_id: int | None = None) -> list[tuple[int, str, str, str]]:
    """(id, code, name, region name) of the branches the viewer may see, by code."""
    stmt = (visible_branches_stmt(viewer).with_only_columns(Branch.id, Branch.code, Branch.name, Region.name)
            .outerjoin(Region, Region.id == Branch.region_id))
    if region_id is not None:
        stmt = stmt.where(Branch.region_id == region_id)
    return [(bid, code, name, region or "") for bid, code, name, region in db.session.execute(stmt).all()]


def league(viewer: User, concept_id: int, period: Period, *, region_id: int | None = None) -> list[LeagueRow]:
    """Every visible branch with its mean visit score and n in the period and in the previous one."""
    previous = period.previous()
    in_current = Visit.visited_at >= period.start_at
    current_score = sa.case((in_current, Visit.score), else_=None)
    previous_score = sa.case((in_current, None), else_=Visit.score)
    stmt = (sa.select(Visit.branch_id, sa.func.avg(current_score), sa.func.count(current_score),
                      sa.func.avg(previous_score), sa.func.count(previous_score))
            .where(*_visit_filters(viewer, concept_id, previous.start, period.end, region_id=region_id))
            .group_by(Visit.branch_id))
    scores = {bid: (_cell(cs, cn), _cell(ps, pn)) for bid, cs, cn, ps, pn in db.session.execute(stmt).all()}
    empty = (Cell(None, 0), Cell(None, 0))
    return [LeagueRow(bid, code, name, region, *scores.get(bid, empty))
            for bid, code, name, region in visible_branch_rows(viewer, region_id)]


def branch_touchpoint_cells(viewer: User, concept_id: int, period: Period, *,
                            region_id: int | None = None) -> dict[tuple[int, str], Cell]:
    """Mean touchpoint score and n per (branch id, touchpoint key) in one period."""
    ts = TouchpointScore
    stmt = (sa.select(ts.branch_id, ts.touchpoint_key, sa.func.avg(ts.score), sa.func.count(ts.score))
            .where(*_score_filters(viewer, concept_id, period.start, period.end, region_id=region_id))
            .group_by(ts.branch_id, ts.touchpoint_key))
    return {(bid, key): _cell(score, n) for bid, key, score, n in db.session.execute(stmt).all()}


def latest_visit_day(viewer: User, concept_id: int) -> date | None:
    """The day of the newest approved visit the viewer may see, so reports open where the data is."""
    stmt = sa.select(sa.func.max(Visit.visited_at)).where(*_visit_filters(viewer, concept_id, None, None))
    latest = db.session.scalar(stmt)
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


def export_rows(viewer: User, *, concept_id: int | None = None, branch_id: int | None = None,
                start: date | None = None, end: date | None = None, batch: int = 1000) -> Iterator[AnswerRow]:
    """Stream the answers of approved visits in scope, visit by visit, without holding them all in memory."""
    filters = [Visit.status == APPROVED, Visit.branch_id.in_(branch_scope(viewer))]
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
                      Answer.comment)
            .select_from(Answer).join(Visit, Visit.id == Answer.visit_id)
            .join(Branch, Branch.id == Visit.branch_id).outerjoin(Region, Region.id == Branch.region_id)
            .join(ConceptVersion, ConceptVersion.id == Visit.concept_version_id)
            .join(Concept, Concept.id == ConceptVersion.concept_id)
            .where(*filters).order_by(Visit.id, Answer.id)
            .execution_options(yield_per=batch))
    for row in db.session.execute(stmt):
        yield AnswerRow(row[0], row[1], row[2] or "", row[3], row[4], row[5], row[6], row[7], row[8], row[9],
                        row[10], row[11] or "")
