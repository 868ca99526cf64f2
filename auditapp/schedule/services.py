"""Planning writes: one visit, a round, a change of auditor or due date, a cancellation — each in one transaction
with its audit entry (docs/architecture.md, Roles: admins plan everywhere, managers at their own branches)."""

from __future__ import annotations

import calendar
import hashlib
import logging
from datetime import date

import sqlalchemy as sa

from ..accounts.models import User
from ..audit.services import record
from ..concepts.models import ConceptVersion
from ..concepts.queries import latest_version
from ..database import begin_write, lock_name
from ..domain_error import N_, DomainError, Message
from ..extensions import db
from ..visits.commands import Cancel
from ..visits.models import Visit
from ..visits.services import cancel_visit, new_visit, writing
from ..vocabulary import CANCELLABLE_STATUSES, AuditAction, Channel, Subject
from . import queries
from .assign import assign
from .commands import ChangeVisit, PlanRound, PlanVisit
from .models import Round

log = logging.getLogger(__name__)
EARLIEST, LATEST = date(2000, 1, 1), date(2999, 12, 31)  # a due date outside is a typo


def _refused(message: str, errors: dict) -> DomainError:
    return DomainError("invalid", message, errors)


def _version(concept: str, channel: str, persona: str | None, errors: dict) -> ConceptVersion | None:
    version = latest_version(concept)
    if version is None:
        errors["concept"] = Message(N_("no concept with key %(key)s"), key=concept)
        return None
    content = version.content
    if channel not in content.channels():
        errors["channel"] = Message(N_("concept %(key)s has no touchpoints for channel %(channel)s"), key=concept,
                                    channel=Message(Channel(channel).label) if channel in tuple(Channel) else channel)
    if persona and content.persona(persona) is None:
        errors["persona"] = Message(N_("concept %(key)s has no persona %(persona)s"), key=concept, persona=persona)
    return version


def _due(day: date, errors: dict, field: str = "due") -> None:
    if not EARLIEST <= day <= LATEST:
        errors[field] = Message(N_("must lie between %(first)s and %(last)s"), first=EARLIEST.isoformat(),
                                last=LATEST.isoformat())


def plan_visit(cmd: PlanVisit, by: User) -> Visit:
    """Schedule one visit at a branch the planner answers for."""
    begin_write(db.session)
    errors: dict = {}
    version = _version(cmd.concept, cmd.channel, cmd.persona, errors)
    branch = next(iter(queries.plannable_branches(by, [cmd.branch])), None)
    if branch is None:
        errors["branch"] = Message(N_("is not an open branch you may plan visits at"))
    auditor = queries.active_auditor(cmd.auditor)
    if auditor is None:
        errors["auditor"] = Message(N_("is not an active auditor"))
    _due(cmd.due, errors)
    if errors:
        db.session.rollback()
        raise _refused(N_("The visit cannot be planned."), errors)
    visit = new_visit(version, branch, auditor, cmd.channel, cmd.due, cmd.persona, by)
    db.session.flush()
    record(by, AuditAction.VISIT_SCHEDULED, Subject.VISIT, visit.id, f"{branch.code} {version.concept.key}",
           due=cmd.due.isoformat(), channel=cmd.channel)
    db.session.commit()
    return visit


def _signature(concept_id: int, cmd: PlanRound, branch_ids: list[int]) -> str:
    text = "|".join((str(concept_id), cmd.month.isoformat(), cmd.channel, cmd.persona or "",
                     ",".join(map(str, sorted(branch_ids)))))
    return hashlib.sha256(text.encode()).hexdigest()


def plan_round(cmd: PlanRound, by: User) -> tuple[list[Visit], bool]:
    """One visit per active branch in the month, due on its last day, auditors assigned evenly and fresh
    (schedule.assign); the same round again answers with the visits of the first (False: nothing new), and a
    round reaching a branch that another round already covers that month is refused (409)."""
    begin_write(db.session)
    errors: dict = {}
    version = _version(cmd.concept, cmd.channel, cmd.persona, errors)
    if bool(cmd.branches) == bool(cmd.region):
        errors["branches"] = Message(N_("give either branches or a region"))
        branches = []
    elif cmd.region:
        branches = queries.plannable_branches(by, region=cmd.region)
        if not branches:
            errors["region"] = Message(N_("has no open branches you may plan visits at"))
    else:
        branches = queries.plannable_branches(by, list(cmd.branches))
        unknown = sorted(set(cmd.branches) - {b.id for b in branches})
        if unknown:
            errors["branches"] = Message(N_("not open branches you may plan visits at: %(ids)s"),
                                         ids=", ".join(map(str, unknown)))
    _due(cmd.month, errors, "month")
    auditors = queries.active_auditors()
    if not auditors:
        errors["auditors"] = Message(N_("there are no active auditors"))
    if errors:
        db.session.rollback()
        raise _refused(N_("The round cannot be planned."), errors)
    ids = [b.id for b in branches]
    # Rounds of one concept, channel and month are planned one at a time, so the overlap check below still
    # holds when the visits are written (SQLite: begin_write's lock; PostgreSQL: this advisory lock).
    lock_name(db.session, f"round {version.concept_id} {cmd.channel} {cmd.month.isoformat()}")
    signature = _signature(version.concept_id, cmd, ids)
    existing = queries.round_by_signature(signature)
    if existing is not None:  # a retry; the unique key below decides when two arrive together
        db.session.rollback()
        return queries.round_visits(existing.id), False
    taken = queries.already_in_a_round(version.concept_id, cmd.month, cmd.channel, ids)
    if taken:
        db.session.rollback()
        field = "region" if cmd.region else "branches"
        raise DomainError("conflict", N_("Some branches already have a visit from a round of this concept, channel "
                                         "and month."),
                          {field: Message(N_("already in a round that month: %(codes)s"), codes=", ".join(taken))})
    region_id = branches[0].region_id if cmd.region else None
    round_ = Round(concept_id=version.concept_id, month=cmd.month, channel=cmd.channel, persona_key=cmd.persona,
                   region_id=region_id, created_by_id=by.id, signature=signature)
    db.session.add(round_)
    try:
        db.session.flush()
    except sa.exc.IntegrityError:
        db.session.rollback()
        found = queries.round_by_signature(signature)
        return (queries.round_visits(found.id) if found else []), False
    plan = assign(ids, [a.id for a in auditors],
                  queries.previous_auditors(version.concept_id, cmd.channel, cmd.month, ids))
    by_id = {a.id: a for a in auditors}
    due = cmd.month.replace(day=calendar.monthrange(cmd.month.year, cmd.month.month)[1])
    visits = [new_visit(version, b, by_id[plan[b.id]], cmd.channel, due, cmd.persona, by, round_.id)
              for b in branches]
    db.session.flush()
    for visit in visits:
        record(by, AuditAction.VISIT_SCHEDULED, Subject.VISIT, visit.id,
               f"{visit.branch.code} {version.concept.key}", round=round_.id, due=due.isoformat())
    db.session.commit()
    log.info("round %s planned: %d visits", round_.id, len(visits))
    return visits, True


def change_visit(visit: Visit, cmd: ChangeVisit, by: User) -> Visit:
    """Reassign or reschedule a visit that has not been submitted; a visit moved on answers 409."""
    errors: dict = {}
    auditor = None
    if cmd.auditor is not None:
        auditor = queries.active_auditor(cmd.auditor)
        if auditor is None:
            errors["auditor"] = Message(N_("is not an active auditor"))
    if cmd.due is not None:
        _due(cmd.due, errors)
    if cmd.auditor is None and cmd.due is None:
        errors["body"] = Message(N_("give an auditor or a due date"))
    if errors:
        raise _refused(N_("The visit cannot be changed."), errors)
    with writing(visit):
        if visit.status not in CANCELLABLE_STATUSES:
            raise DomainError("conflict", Message(N_("This visit is %(status)s and can no longer be changed."),
                                                  status=Message(visit.status.label)))
        if auditor is not None and auditor.id != visit.auditor_id:
            record(by, AuditAction.VISIT_REASSIGNED, Subject.VISIT, visit.id, visit.branch.code,
                   before=visit.auditor_id, after=auditor.id)
            visit.auditor_id = auditor.id
        if cmd.due is not None and cmd.due != visit.due_date:
            record(by, AuditAction.VISIT_RESCHEDULED, Subject.VISIT, visit.id, visit.branch.code,
                   before=visit.due_date.isoformat(), after=cmd.due.isoformat())
            visit.due_date = cmd.due
    db.session.refresh(visit)
    return visit


def cancel_planned(visit: Visit, cmd: Cancel, by: User) -> Visit:
    """Cancel with a reason, kept in the status history and the audit log."""
    if not cmd.reason.strip():
        raise _refused(N_("The visit cannot be cancelled."), {"reason": Message(N_("say why the visit is cancelled"))})
    return cancel_visit(visit, by, cmd)
