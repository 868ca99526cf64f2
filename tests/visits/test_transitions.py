"""Status changes: one conditional UPDATE each, one history row each, and retries answered as the first was."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from auditapp.database import begin_write
from auditapp.domain_error import DomainError
from auditapp.extensions import db
from auditapp.photos.models import Photo
from auditapp.visits import services
from auditapp.visits.commands import Decision, Review
from auditapp.visits.models import StatusChange, TouchpointScore, Visit

from .test_api import COMPLETE


@pytest.fixture
def submitted(factory):
    visit = factory.visit(persona="solo")
    factory.answered(visit, COMPLETE)
    for standard in ("clean", "entrance"):
        db.session.add(Photo(visit_id=visit.id, standard_key=standard, touchpoint_key="table", file_key="0" * 64))
    db.session.commit()
    return services.submit_visit(visit, visit.auditor)


def changes(visit_id: int) -> list[tuple[str | None, str, str]]:
    return [(c.from_status, c.to_status, c.comment) for c in db.session.scalars(
        sa.select(StatusChange).where(StatusChange.visit_id == visit_id).order_by(StatusChange.id))]


def test_the_same_approval_again_is_answered_as_the_first_and_writes_nothing(factory, submitted):
    reviewer = factory.user("admin")
    services.review_visit(submitted, reviewer, Review(Decision.APPROVE, "Fine."))
    before = changes(submitted.id)
    assert services.review_visit(submitted, reviewer, Review(Decision.APPROVE, " Fine. ")).status == "approved"
    assert changes(submitted.id) == before
    with pytest.raises(DomainError) as refused:  # another comment would be lost: refuse, do not pretend
        services.review_visit(submitted, reviewer, Review(Decision.APPROVE, "Great."))
    assert refused.value.code == "not_submitted"
    with pytest.raises(DomainError) as refused:
        services.review_visit(submitted, reviewer, Review(Decision.RETURN, "Fine."))
    assert refused.value.code == "not_submitted"
    assert changes(submitted.id) == before


def test_a_return_writes_no_scores_and_removes_stray_ones(factory, submitted):
    # Rows a return left behind before issue #7 was fixed would otherwise block the later approval.
    db.session.add(TouchpointScore(visit_id=submitted.id, branch_id=submitted.branch_id,
                                   concept_id=submitted.concept_version.concept_id, phase_key="visit",
                                   touchpoint_key="welcome", visited_on=submitted.visited_at.date(), score=50.0))
    db.session.commit()
    services.review_visit(submitted, factory.user("admin"), Review(Decision.RETURN, "Blurred."))
    assert db.session.scalar(sa.select(sa.func.count()).where(TouchpointScore.visit_id == submitted.id)) == 0


def test_a_status_change_is_refused_when_another_request_moved_the_visit_first(app, factory, submitted):
    reviewer = factory.user("admin")
    visit = db.session.get(Visit, submitted.id)
    assert visit.status == "submitted"
    # Another connection returns the visit after this session read it.
    with db.engine.begin() as other:
        other.execute(sa.update(Visit.__table__).where(Visit.id == visit.id).values(status="returned"))
    before = changes(visit.id)
    with pytest.raises(DomainError) as refused:
        services._move(visit, reviewer, "approved")
    assert refused.value.code == "conflict"
    db.session.rollback()
    assert changes(visit.id) == before
    assert db.session.get(Visit, visit.id).status == "returned"


def test_a_write_transaction_rereads_what_the_page_loaded(app, factory, submitted):
    visit = db.session.get(Visit, submitted.id)
    with db.engine.begin() as other:
        other.execute(sa.update(Visit.__table__).where(Visit.id == visit.id).values(remarks="changed elsewhere"))
    begin_write(db.session)
    assert visit.remarks == "changed elsewhere"
    db.session.rollback()
