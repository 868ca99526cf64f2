"""Staff notes as HR reads them: next to the touchpoint score of an approved visit — never the auditor or comments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from ..branches.models import Branch
from ..concepts.models import ConceptVersion
from ..extensions import db
from ..visits.models import StaffRecord, TouchpointScore, Visit

PAGE_SIZE = 50


@dataclass(frozen=True)
class NoteRow:
    branch_code: str
    branch_name: str
    visited_on: date
    touchpoint: str
    score: float | None
    good: float
    poor: float
    note: str


def notes(*, concept_id: int | None = None, branch_id: int | None = None, start: date | None = None,
          end: date | None = None, page: int = 1) -> tuple[list[NoteRow], bool]:
    """One page of notes, newest visit first, and whether another page follows. Only approved visits have
    touchpoint score rows, so only their notes are listed."""
    ts = TouchpointScore
    stmt = (sa.select(Branch.code, Branch.name, ts.visited_on, ts.touchpoint_key, ts.score, StaffRecord.name,
                      ConceptVersion.id)
            .select_from(StaffRecord)
            .join(ts, sa.and_(ts.visit_id == StaffRecord.visit_id, ts.touchpoint_key == StaffRecord.touchpoint_key))
            .join(Visit, Visit.id == StaffRecord.visit_id)
            .join(ConceptVersion, ConceptVersion.id == Visit.concept_version_id)
            .join(Branch, Branch.id == ts.branch_id))
    if concept_id is not None:
        stmt = stmt.where(ts.concept_id == concept_id)
    if branch_id is not None:
        stmt = stmt.where(ts.branch_id == branch_id)
    if start is not None:
        stmt = stmt.where(ts.visited_on >= start)
    if end is not None:
        stmt = stmt.where(ts.visited_on <= end)
    stmt = stmt.order_by(ts.visited_on.desc(), StaffRecord.id.desc()).offset((page - 1) * PAGE_SIZE).limit(
        PAGE_SIZE + 1)
    rows, versions = [], {}
    for code, name, day, tp_key, score, note, version_id in db.session.execute(stmt):
        if version_id not in versions:
            versions[version_id] = db.session.get(ConceptVersion, version_id).content
        content = versions[version_id]
        touchpoint = content.touchpoint(tp_key)
        rows.append(NoteRow(code, name, day, touchpoint.name if touchpoint else tp_key, score, content.good,
                            content.poor, note))
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE
