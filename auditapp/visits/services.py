"""Every write to a visit: schedule, start, save answers, submit, review, cancel.

The HTML pages and the JSON API both call these; each function owns its transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from ..accounts.models import User
from ..branches.models import Branch
from ..clock import utcnow
from ..concepts.answers import AnswerError, is_answered, parse_value
from ..concepts.definition import CHANNELS, Concept
from ..concepts.queries import latest_version
from ..extensions import db
from ..scoring import VisitScores, score_visit
from .models import Answer, StaffRecord, StatusChange, TouchpointScore, Visit

log = logging.getLogger(__name__)

MAX_COMMENT = 4000
MAX_STAFF_NAME = 120


class VisitError(Exception):
    """A visit action that cannot be done; `status` is the HTTP status the API answers with."""

    def __init__(self, status: int, code: str, message: str, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}


def form_of(visit: Visit) -> Concept:
    """The part of the visit's concept version that applies to its channel."""
    return visit.concept_version.content.for_channel(visit.channel)


def scores_of(visit: Visit) -> VisitScores:
    """Score the visit from its current answers (DESIGN §3)."""
    return score_visit(visit.concept_version.content, visit.channel, visit.answer_values())


def _move(visit: Visit, user: User | None, to: str, comment: str = "") -> None:
    db.session.add(StatusChange(visit=visit, user=user, from_status=visit.status, to_status=to, comment=comment))
    log.info("visit %s: %s -> %s by %s", visit.id, visit.status, to, user.email if user else "system")
    visit.status = to


@dataclass(frozen=True)
class ScheduleRequest:
    concept_key: str
    branch_code: str
    auditor_email: str
    channel: str
    due: date
    persona_key: str | None = None


def schedule_visit(req: ScheduleRequest, by: User | None = None) -> Visit:
    """Create a scheduled visit against the latest version of a concept."""
    errors: dict[str, str] = {}
    version = latest_version(req.concept_key)
    if version is None:
        errors["concept"] = f"no concept with key {req.concept_key}"
    branch = db.session.scalar(sa.select(Branch).where(Branch.code == req.branch_code))
    if branch is None:
        errors["branch"] = f"no branch with code {req.branch_code}"
    auditor = db.session.scalar(sa.select(User).where(User.email == req.auditor_email.strip().lower()))
    if auditor is None or auditor.role != "auditor":
        errors["auditor"] = f"no auditor with email {req.auditor_email}"
    if req.channel not in CHANNELS:
        errors["channel"] = f"channel must be one of {', '.join(CHANNELS)}"
    elif version is not None and req.channel not in version.content.channels():
        errors["channel"] = f"concept {req.concept_key} has no touchpoints for channel {req.channel}"
    if req.persona_key and version is not None and version.content.persona(req.persona_key) is None:
        errors["persona"] = f"concept {req.concept_key} has no persona {req.persona_key}"
    if errors:
        raise VisitError(422, "invalid", "The visit cannot be scheduled.", errors)
    visit = Visit(concept_version=version, branch=branch, auditor=auditor, channel=req.channel,
                  due_date=req.due, persona_key=req.persona_key or None, status="scheduled")
    db.session.add(visit)
    db.session.add(StatusChange(visit=visit, user=by, from_status=None, to_status="scheduled"))
    db.session.commit()
    log.info("visit %s scheduled at %s", visit.id, branch.code)
    return visit


def _require_editable(visit: Visit, user: User) -> None:
    if visit.auditor_id != user.id:
        raise VisitError(404, "not_found", "No such visit.")
    if not visit.editable:
        raise VisitError(409, "not_editable", f"This visit is {visit.status.replace('_', ' ')} and can no longer be changed.")


def _open(visit: Visit, user: User) -> None:
    """Scheduled and returned visits move to in progress as soon as the auditor works on them."""
    if visit.status in ("scheduled", "returned"):
        if visit.started_at is None:
            visit.started_at = utcnow()
        _move(visit, user, "in_progress")


def start_visit(visit: Visit, user: User) -> Visit:
    """Record that the auditor started the visit or call."""
    _require_editable(visit, user)
    _open(visit, user)
    db.session.commit()
    return visit


@dataclass(frozen=True)
class AnswerUpdate:
    answers: list[Any] = field(default_factory=list)
    visited_at: Any = None
    remarks: Any = None
    duration_minutes: Any = None
    staff: list[Any] = field(default_factory=list)


def _parse_datetime(raw: Any) -> datetime:
    if not isinstance(raw, str):
        raise ValueError
    # The auditor's wall-clock time is what a report shows, so an offset is dropped, not converted.
    return datetime.fromisoformat(raw.strip().replace("Z", "+00:00")).replace(tzinfo=None)


def save_answers(visit: Visit, user: User, update: AnswerUpdate) -> Visit:
    """Upsert answers and visit details; all or nothing, and the same request twice changes nothing more."""
    _require_editable(visit, user)
    form = form_of(visit)
    errors: dict[str, str] = {}
    parsed: list[tuple[str, Any, str | None, bool]] = []
    if not isinstance(update.answers, list):
        errors["answers"] = "must be a list"
    for i, item in enumerate(update.answers if isinstance(update.answers, list) else []):
        if not isinstance(item, dict) or not isinstance(item.get("standard"), str):
            errors[f"answers[{i}]"] = "must be an object with a standard key"
            continue
        key = item["standard"]
        standard = form.standard(key)
        if standard is None:
            errors[key] = "is not a standard of this visit's form"
            continue
        comment = item.get("comment")
        if comment is not None and (not isinstance(comment, str) or len(comment) > MAX_COMMENT):
            errors[key] = f"comment must be text of at most {MAX_COMMENT} characters"
            continue
        if "value" in item and item["value"] is not None and item["value"] != "":
            try:
                value = parse_value(standard, item["value"])
            except AnswerError as exc:
                errors[key] = exc.message
                continue
            parsed.append((key, value, comment, True))
        else:
            parsed.append((key, None, comment, "value" in item))

    visited_at = None
    if update.visited_at not in (None, ""):
        try:
            visited_at = _parse_datetime(update.visited_at)
        except ValueError:
            errors["visited_at"] = "must be a date and time like 2026-04-12T19:30"
        else:
            if visited_at > utcnow() + timedelta(days=1):
                errors["visited_at"] = "cannot lie in the future"
    if update.remarks is not None and (not isinstance(update.remarks, str) or len(update.remarks) > MAX_COMMENT):
        errors["remarks"] = f"must be text of at most {MAX_COMMENT} characters"
    duration = None
    if update.duration_minutes not in (None, ""):
        try:
            duration = int(update.duration_minutes)
            if isinstance(update.duration_minutes, bool) or not 0 <= duration <= 24 * 60:
                raise ValueError
        except (TypeError, ValueError):
            errors["duration_minutes"] = "must be whole minutes from 0 to 1440"
    staff: list[tuple[str, str]] = []
    for i, item in enumerate(update.staff if isinstance(update.staff, list) else []):
        tp_key = item.get("touchpoint") if isinstance(item, dict) else None
        tp = form.touchpoint(tp_key) if isinstance(tp_key, str) else None
        name = item.get("name", "") if isinstance(item, dict) else None
        if tp is None or not tp.record_staff:
            errors[f"staff[{i}]"] = "names a touchpoint that does not record staff"
        elif not isinstance(name, str) or len(name) > MAX_STAFF_NAME:
            errors[f"staff[{i}]"] = f"name must be text of at most {MAX_STAFF_NAME} characters"
        else:
            staff.append((tp.key, name.strip()))
    if errors:
        raise VisitError(422, "invalid", "Some answers could not be saved.", errors)

    existing = {a.standard_key: a for a in visit.answers}
    for key, value, comment, set_value in parsed:
        answer = existing.get(key)
        if answer is None:
            answer = existing[key] = Answer(visit=visit, standard_key=key, value=None, comment="")
            db.session.add(answer)
        if set_value:
            answer.value = value
        if comment is not None:
            answer.comment = comment
    staff_rows = {s.touchpoint_key: s for s in visit.staff}
    for tp_key, name in staff:
        row = staff_rows.get(tp_key)
        if row is None and name:
            db.session.add(StaffRecord(visit=visit, touchpoint_key=tp_key, name=name))
        elif row is not None and name:
            row.name = name
        elif row is not None:
            db.session.delete(row)
    if visited_at is not None:
        visit.visited_at = visited_at
    if update.remarks is not None:
        visit.remarks = update.remarks
    if duration is not None:
        visit.duration_minutes = duration
    _open(visit, user)
    db.session.commit()
    return visit


def missing_for_submit(visit: Visit) -> dict[str, str]:
    """List what must still be filled in, keyed by standard (or field) for the review screen."""
    form = form_of(visit)
    values = visit.answer_values()
    photos = {p.standard_key for p in visit.photos}
    missing: dict[str, str] = {}
    if visit.visited_at is None:
        missing["visited_at"] = "when did the visit take place?" if visit.channel == "visit" else "when did the call take place?"
    for _tp, st in form.standards():
        needs_answer = st.type != "photo"
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


def submit_visit(visit: Visit, user: User) -> Visit:
    """Send a complete visit for review; submitting again changes nothing."""
    if visit.auditor_id != user.id:
        raise VisitError(404, "not_found", "No such visit.")
    if visit.status in ("submitted", "approved"):
        return visit
    _require_editable(visit, user)
    missing = missing_for_submit(visit)
    if missing:
        raise VisitError(422, "incomplete", "Some required answers or photos are missing.", missing)
    visit.submitted_at = utcnow()
    if visit.status == "scheduled":
        _open(visit, user)
    _move(visit, user, "submitted")
    db.session.commit()
    return visit


REVIEW_DECISIONS = ("approve", "return")


def review_visit(visit: Visit, user: User, decision: Any, comment: Any) -> Visit:
    """Approve a submitted visit (writing its score rows) or return it to the auditor with a comment."""
    errors = {}
    if decision not in REVIEW_DECISIONS:
        errors["decision"] = "must be approve or return"
    if comment is not None and not isinstance(comment, str):
        errors["comment"] = "must be text"
    comment = (comment or "").strip() if isinstance(comment, str) else ""
    if decision == "return" and not comment:
        errors["comment"] = "say what the auditor should change"
    if len(comment) > MAX_COMMENT:
        errors["comment"] = f"must be at most {MAX_COMMENT} characters"
    if errors:
        raise VisitError(422, "invalid", "The review could not be saved.", errors)
    if visit.status != "submitted":
        raise VisitError(409, "not_submitted", f"Only submitted visits can be reviewed; this one is {visit.status.replace('_', ' ')}.")
    visit.reviewed_at = utcnow()
    if decision == "approve":
        _write_scores(visit)
        _move(visit, user, "approved", comment)
    else:
        _move(visit, user, "returned", comment)
    db.session.commit()
    return visit


def _write_scores(visit: Visit) -> None:
    """Store the visit × touchpoint rows reports aggregate, so reports never recompute answers."""
    scores = scores_of(visit)
    visit.score = scores.visit
    visited_on = (visit.visited_at or visit.submitted_at or utcnow()).date()
    db.session.execute(sa.delete(TouchpointScore).where(TouchpointScore.visit_id == visit.id))
    for phase, tp in form_of(visit).touchpoints():
        db.session.add(TouchpointScore(
            visit=visit, branch_id=visit.branch_id, concept_id=visit.concept_version.concept_id,
            phase_key=phase.key, touchpoint_key=tp.key, visited_on=visited_on,
            score=scores.touchpoints.get(tp.key), weight=tp.weight))


def cancel_visit(visit: Visit, user: User, comment: str = "") -> Visit:
    """Cancel a visit that has not been submitted."""
    if visit.status not in ("scheduled", "in_progress"):
        raise VisitError(409, "not_cancellable", "Only scheduled or in-progress visits can be cancelled.")
    _move(visit, user, "cancelled", comment.strip())
    db.session.commit()
    return visit
