"""Reports count a visit for being approved, not for having score rows (issue #7: a return that won a race
against an approval used to leave the approval's rows behind)."""

from __future__ import annotations

from datetime import date

import pytest

from auditapp.extensions import db
from auditapp.photos.models import Photo
from auditapp.reports import queries
from auditapp.reports.periods import parse_period
from auditapp.visits import services
from auditapp.visits.commands import Decision, Review
from auditapp.visits.models import TouchpointScore

from ..visits.test_api import COMPLETE

START, END = date(2026, 4, 1), date(2026, 5, 1)


@pytest.fixture
def world(factory):
    """One approved visit and one returned visit that still carries score rows, at one branch."""
    version, branch, admin = factory.concept(), factory.branch(), factory.user("admin")
    approved, returned = (factory.visit(version=version, branch=branch, persona="solo") for _ in range(2))
    factory.approved(approved, COMPLETE)
    factory.answered(returned, {**COMPLETE, "greeted": "no"})
    for standard in ("clean", "entrance"):
        db.session.add(Photo(visit_id=returned.id, standard_key=standard, file_key="0" * 64))
    db.session.commit()
    services.submit_visit(returned, returned.auditor)
    services.review_visit(returned, admin, Review(Decision.RETURN, "Blurred."))
    for tp, phase in (("confirmation", "booking"), ("welcome", "visit"), ("table", "visit")):
        db.session.add(TouchpointScore(visit_id=returned.id, branch_id=branch.id, concept_id=version.concept_id,
                                       phase_key=phase, touchpoint_key=tp, visited_on=date(2026, 4, 14), score=0.0))
    db.session.commit()
    return admin, version.concept_id, branch.id


def test_touchpoint_phase_and_branch_cells_count_only_the_approved_visit(world):
    admin, concept_id, branch_id = world
    touchpoints = queries.touchpoint_cells(admin, concept_id, "month", START, END)
    assert {key: cell.n for key, cell in touchpoints.items()} == {
        ("confirmation", "2026-04"): 1, ("welcome", "2026-04"): 1, ("table", "2026-04"): 1}
    assert touchpoints["welcome", "2026-04"].score == pytest.approx(75.0)
    phases = queries.phase_cells(admin, concept_id, "month", START, END, branch_id=branch_id)
    assert {key: cell.n for key, cell in phases.items()} == {("booking", "2026-04"): 1, ("visit", "2026-04"): 1}
    branch_cells = queries.branch_touchpoint_cells(admin, concept_id, parse_period("2026-04", "month"))
    assert {key: cell.n for key, cell in branch_cells.items()} == {
        (branch_id, "confirmation"): 1, (branch_id, "welcome"): 1, (branch_id, "table"): 1}
    behind = queries.cell_visits(admin, concept_id, branch_id, START, END, phase="visit")
    assert len(behind) == 1
