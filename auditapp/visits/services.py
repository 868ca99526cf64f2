"""Every write to a visit: schedule, start, save answers, submit, review, cancel.

The HTML pages and the JSON API both call these; each function owns its transaction. A write to a visit
holds the visit's row lock (on SQLite the write lock) from the moment it reads the visit, so two requests on
one visit run one after the other, and a status changes only by one UPDATE that names the status it leaves.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, Iterator

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from ..accounts.models import User
from ..audit.services import record
from ..branches.models import Branch
from ..clock import utcnow
from ..concepts.answers import is_answered
from ..concepts.definition import CHANNELS, Concept
from ..concepts.models import ConceptVersion
from ..concepts.queries import latest_version
from ..database import begin_write, insert_ignoring
from ..domain_error import N_, DomainError, Message, not_found
from ..extensions import db
from ..scoring import VisitScores, score_visit, standard_results
from ..vocabulary import CANCELLABLE_STATUSES, DONE_STATUSES, AuditAction, Channel, Role, Subject, VisitStatus
from .commands import Cancel, Decision, Review, ScheduleVisit
from .models import StandardScore, StandardScoreRole, StatusChange, TouchpointScore, Visit, VisitOperation

log = logging.getLogger(__name__)

# No audit programme reaches further back; a year-1 date is a typo, and reports would show it as a period.
EARLIEST_VISIT = datetime(2000, 1, 1)


def form_of(visit: Visit) -> Concept:
    """The part of the visit's concept version that applies to its channel."""
    return visit.concept_version.content.for_channel(visit.channel)


def scores_of(visit: Visit) -> VisitScores:
    """Score the visit from its current answers (docs/architecture.md, Scoring)."""
    return score_visit(visit.concept_version.content, visit.channel, visit.answer_values())


@contextmanager
def writing(visit: Visit) -> Iterator[Visit]:
    """Run one write to a visit: reread it under its row lock first, commit at the end, roll back on refusal."""
    begin_write(db.session)
    db.session.refresh(visit, with_for_update=True)
    try:
        yield visit
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()


def _move(visit: Visit, user: User | None, to: VisitStatus, comment: str = "", **values: Any) -> None:
    """Change the status and record the change, in the caller's transaction; `values` are set with it.

    The UPDATE names the status it leaves, so of two requests that both saw it only one moves the visit and
    writes history; the other is refused (`writing` rolls its transaction back) instead of writing a second row."""
    before = visit.status
    db.session.flush()
    result = db.session.execute(sa.update(Visit).where(Visit.id == visit.id, Visit.status == before)
                                .values(status=to, **values), execution_options={"synchronize_session": False})
    if result.rowcount != 1:
        raise DomainError("conflict", N_("This visit was changed in the meantime; please reload it."))
    for name, value in {"status": to, **values}.items():
        set_committed_value(visit, name, value)  # what the UPDATE wrote, without writing it again
    db.session.add(StatusChange(visit_id=visit.id, user=user, from_status=before, to_status=to, comment=comment))
    log.info("visit %s: %s -> %s by %s", visit.id, before, to, user.email if user else "system")


def schedule_visit(req: ScheduleVisit, by: User | None = None) -> Visit:
    """Create a scheduled visit against the latest version of a concept."""
    begin_write(db.session)
    errors: dict[str, Message] = {}
    version = latest_version(req.concept_key)
    if version is None:
        errors["concept"] = Message(N_("no concept with key %(key)s"), key=req.concept_key)
    branch = db.session.scalar(sa.select(Branch).where(Branch.code == req.branch_code))
    if branch is None:
        errors["branch"] = Message(N_("no branch with code %(code)s"), code=req.branch_code)
    auditor = db.session.scalar(sa.select(User).where(User.email == req.auditor_email.strip().lower()))
    if auditor is None or auditor.role != Role.AUDITOR:
        errors["auditor"] = Message(N_("no auditor with email %(email)s"), email=req.auditor_email)
    if req.channel not in CHANNELS:
        errors["channel"] = Message(N_("channel must be one of %(channels)s"), channels=", ".join(CHANNELS))
    elif version is not None and req.channel not in version.content.channels():
        errors["channel"] = Message(N_("concept %(key)s has no touchpoints for channel %(channel)s"),
                                    key=req.concept_key, channel=req.channel)
    if req.persona_key and version is not None and version.content.persona(req.persona_key) is None:
        errors["persona"] = Message(N_("concept %(key)s has no persona %(persona)s"),
                                    key=req.concept_key, persona=req.persona_key)
    if errors:
        raise DomainError("invalid", N_("The visit cannot be scheduled."), errors)
    visit = new_visit(version, branch, auditor, req.channel, req.due, req.persona_key, by)
    db.session.commit()
    log.info("visit %s scheduled at %s", visit.id, branch.code)
    return visit


def new_visit(version: ConceptVersion, branch: Branch, auditor: User, channel: str, due: date,
              persona_key: str | None, by: User | None, round_id: int | None = None) -> Visit:
    """Add a scheduled visit and the first line of its history to the caller's transaction (checked already)."""
    visit = Visit(concept_version=version, branch=branch, auditor=auditor, channel=channel, due_date=due,
                  persona_key=persona_key or None, status=VisitStatus.SCHEDULED, round_id=round_id)
    db.session.add(visit)
    db.session.add(StatusChange(visit=visit, user=by, from_status=None, to_status=VisitStatus.SCHEDULED))
    return visit


def require_editable(visit: Visit, user: User) -> None:
    """Only the visit's auditor changes it, and only while it is theirs to change (docs/architecture.md, Roles)."""
    if visit.auditor_id != user.id:
        raise not_found()
    if not visit.editable:
        raise DomainError("not_editable", Message(N_("This visit is %(status)s and can no longer be changed."),
                                                  status=Message(visit.status.label)))


def open_visit(visit: Visit, user: User) -> None:
    """Scheduled and returned visits move to in progress as soon as the auditor works on them."""
    if visit.status in (VisitStatus.SCHEDULED, VisitStatus.RETURNED):
        _move(visit, user, VisitStatus.IN_PROGRESS, started_at=visit.started_at or utcnow())


def start_visit(visit: Visit, user: User, operation: str | None = None) -> Visit:
    """Record that the auditor started the visit or call."""
    with writing(visit):
        if _repeated(visit, user, operation, "start"):
            return visit
        require_editable(visit, user)
        open_visit(visit, user)
    return visit


def _repeated(visit: Visit, user: User, operation: str | None, kind: str) -> bool:
    """Claim the phone's operation id for this visit and kind; True when it was claimed before (a retry).

    The id is the key of its row, so of two requests with one id the database lets one insert it; the same id
    for another visit or kind is a client's mistake and refused. A refused operation rolls its row back with it."""
    if visit.auditor_id != user.id:
        raise not_found()
    if operation is None:
        return False
    inserted = db.session.execute(
        insert_ignoring(db.session, VisitOperation, ("operation_id",))
        .values(operation_id=operation, visit_id=visit.id, kind=kind, at=utcnow())
        .returning(VisitOperation.operation_id)).scalar()
    if inserted is not None:
        return False
    claimed = db.session.get(VisitOperation, operation)
    if claimed is None or (claimed.visit_id, claimed.kind) != (visit.id, kind):
        raise DomainError("conflict", N_("This operation id was already used for something else."),
                          {"operation": N_("was already used for another request")})
    return True


def missing_for_submit(visit: Visit) -> dict[str, str]:
    """List what must still be filled in, keyed by standard (or field) for the review screen."""
    form = form_of(visit)
    values = visit.answer_values()
    photos = {p.standard_key for p in visit.photos}
    missing: dict[str, str] = {}
    if visit.visited_at is None:
        missing["visited_at"] = "when did the visit take place?" if visit.channel == Channel.VISIT else "when did the call take place?"
    for _tp, st in form.standards():
        needs_answer = st.required
        answered = is_answered(st, values.get(st.key))
        needs_photo = st.photo == "required" and values.get(st.key) != "na"
        problems = []
        if needs_answer and not answered:
            problems.append("an answer is required")
        if needs_photo and st.key not in photos:
            problems.append("a photo is required")
        if problems:
            missing[st.key] = " and ".join(problems)
    return missing


def submit_visit(visit: Visit, user: User, operation: str | None = None) -> Visit:
    """Send a complete visit for review; submitting again changes nothing."""
    with writing(visit):
        if _repeated(visit, user, operation, "submit") or visit.status in DONE_STATUSES:
            return visit
        require_editable(visit, user)
        missing = missing_for_submit(visit)
        if missing:
            raise DomainError("incomplete", N_("Some required answers or photos are missing."), missing)
        if visit.status == VisitStatus.SCHEDULED:
            open_visit(visit, user)
        _move(visit, user, VisitStatus.SUBMITTED, submitted_at=utcnow())
    return visit


_DECIDES = {Decision.APPROVE: VisitStatus.APPROVED, Decision.RETURN: VisitStatus.RETURNED}


def review_visit(visit: Visit, user: User, review: Review) -> Visit:
    """Approve a submitted visit (writing its score rows) or return it to the auditor with a comment.

    The same review again — a client retrying after a lost answer — is answered as the first was and writes
    nothing; any other review of a visit that is no longer submitted is refused."""
    comment = review.comment.strip()
    if review.decision == Decision.RETURN and not comment:
        raise DomainError("invalid", N_("The review could not be saved."),
                          {"comment": N_("say what the auditor should change")})
    to = _DECIDES[review.decision]
    with writing(visit):
        last = visit.history[-1] if visit.history else None
        if visit.status == to and last is not None and (last.to_status, last.comment) == (to, comment):
            return visit
        if visit.status != VisitStatus.SUBMITTED:
            raise DomainError("not_submitted", Message(
                N_("Only submitted visits can be reviewed; this one is %(status)s."),
                status=Message(visit.status.label)))
        # A visit has score rows only while approved: whatever it had goes, whichever way the review goes.
        db.session.execute(sa.delete(TouchpointScore).where(TouchpointScore.visit_id == visit.id))
        db.session.execute(sa.delete(StandardScore).where(StandardScore.visit_id == visit.id))
        if review.decision == Decision.APPROVE:
            _move(visit, user, VisitStatus.APPROVED, comment, reviewed_at=utcnow(), score=_write_scores(visit))
        else:
            _move(visit, user, VisitStatus.RETURNED, comment, reviewed_at=utcnow())
    return visit


def _write_scores(visit: Visit) -> float | None:
    """Store the visit × touchpoint and visit × standard rows reports aggregate, so reports never recompute answers; return the
    visit's score. Only an approval writes them, in its own transaction (reports read approved visits only)."""
    scores = scores_of(visit)
    visited_on = (visit.visited_at or visit.submitted_at or utcnow()).date()
    for phase, tp in form_of(visit).touchpoints():
        db.session.add(TouchpointScore(
            visit_id=visit.id, branch_id=visit.branch_id, concept_id=visit.concept_version.concept_id,
            phase_key=phase.key, touchpoint_key=tp.key, visited_on=visited_on,
            score=scores.touchpoints.get(tp.key), weight=tp.weight))
    for r in standard_results(visit.concept_version.content, visit.channel, visit.answer_values()):
        db.session.add(StandardScore(
            visit_id=visit.id, branch_id=visit.branch_id, concept_id=visit.concept_version.concept_id,
            phase_key=r.phase, touchpoint_key=r.touchpoint, standard_key=r.standard, visited_on=visited_on,
            score=r.score, weight=r.weight, critical=r.critical,
            roles=[StandardScoreRole(role_key=role) for role in r.roles]))
    return scores.visit


def cancel_visit(visit: Visit, user: User, cancel: Cancel) -> Visit:
    """Cancel a visit that has not been submitted; the reason goes into the history and the audit log."""
    with writing(visit):
        if visit.status not in CANCELLABLE_STATUSES:
            raise DomainError("not_cancellable", N_("Only scheduled or in-progress visits can be cancelled."))
        _move(visit, user, VisitStatus.CANCELLED, cancel.reason.strip())
        record(user, AuditAction.VISIT_CANCELLED, Subject.VISIT, visit.id, visit.branch.code,
               reason=cancel.reason.strip())
    return visit
