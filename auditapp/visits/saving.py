"""Saving what the auditor filled in: answers, staff notes and visit details, from the phone or the HTML form.

A phone that lost its connection sends its changes again, possibly after newer ones from another tab or an
earlier retry reached the server. Every change therefore carries when the auditor made it, and the database
keeps the newest: each write is a conditional upsert or UPDATE that leaves a row alone when what it holds was
changed later (docs/architecture.md, "Offline sync"). What lost is reported, so the phone can drop it.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa

from ..accounts.models import User
from ..clock import utcnow
from ..concepts.answers import AnswerError, parse_value
from ..concepts.definition import Concept
from ..database import upsert
from ..domain_error import N_, DomainError
from ..extensions import db
from .commands import UNCHANGED, Saved, SaveAnswers, StaffNote
from .models import Answer, StaffRecord, Visit
from .services import EARLIEST_VISIT, form_of, open_visit, require_editable, writing


def client_time(at: datetime | None, now: datetime) -> datetime:
    """The phone's time of a change as naive UTC, bounded by 2000 and the server's now (a phone whose clock runs
    ahead must not win over every later change); no time at all means now."""
    if at is None:
        return now
    if at.tzinfo is not None:
        try:
            at = at.astimezone(timezone.utc).replace(tzinfo=None)
        except (OverflowError, ValueError):  # year 1 or 9999 shifted past the calendar's ends
            return EARLIEST_VISIT if at.year < 2000 else now
    return min(max(at, EARLIEST_VISIT), now)


def save_answers(visit: Visit, user: User, update: SaveAnswers) -> Saved:
    """Upsert answers, staff notes and visit details; all or nothing, and a retry changes nothing more."""
    with writing(visit):
        require_editable(visit, user)
        now = utcnow()
        parsed = _checked(form_of(visit), update)
        stale_answers = _upsert_answers(visit, parsed, now)
        stale_staff = _save_staff(visit, update.staff, now)
        stale_details = not _save_details(visit, update, now)
        open_visit(visit, user)
    return Saved(visit=visit, answers=tuple(dict.fromkeys(key for key, *_ in parsed)),
                 staff=tuple(dict.fromkeys(note.touchpoint for note in update.staff)),
                 stale_answers=stale_answers, stale_staff=stale_staff, stale_details=stale_details,
                 sync_id=update.sync_id)


def _newer(column: Any, excluded: Any) -> Any:
    """The condition under which a change may overwrite a stored row: the row holds nothing newer."""
    return sa.or_(column.is_(None), column <= excluded)


def _upsert_answers(visit: Visit, parsed: list[tuple[str, Any, str | None, datetime]],
                    now: datetime) -> tuple[str, ...]:
    """Write each answer on its (visit, standard) key unless a newer change is stored; return the keys that lost."""
    by_change: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for key, value, comment, at in parsed:
        changed = (("value",) if value is not UNCHANGED else ()) + (("comment",) if comment is not None else ())
        by_change.setdefault(changed, []).append({
            "visit_id": visit.id, "standard_key": key, "value": None if value is UNCHANGED else value,
            "comment": comment or "", "updated_at": now, "changed_at": at})
    table = Answer.__table__
    for changed, rows in by_change.items():
        upsert(db.session, Answer, rows, key=("visit_id", "standard_key"), update=(*changed, "updated_at", "changed_at"),
               where=lambda excluded: _newer(table.c.changed_at, excluded.changed_at))
    db.session.expire(visit, ["answers"])
    sent = {key: at for key, _v, _c, at in parsed}
    return _lost(Answer.standard_key, Answer.changed_at, Answer.visit_id == visit.id, sent)


def _lost(key_column: Any, time_column: Any, scope: Any, sent: dict[str, datetime]) -> tuple[str, ...]:
    """The keys whose stored change is newer than the one sent: the changes that lost."""
    if not sent:
        return ()
    stored = db.session.execute(sa.select(key_column, time_column).where(scope, key_column.in_(sent)))
    return tuple(sorted(key for key, at in stored if at is not None and at > sent[key]))


def _save_staff(visit: Visit, notes: tuple[StaffNote, ...], now: datetime) -> tuple[str, ...]:
    """Write each staff note on its (visit, touchpoint) key; an empty name removes the note. Newer notes stay."""
    named = {note.touchpoint: (note.name.strip(), client_time(note.changed_at, now)) for note in notes}
    table = StaffRecord.__table__
    upsert(db.session, StaffRecord,
           [{"visit_id": visit.id, "touchpoint_key": key, "name": name, "changed_at": at}
            for key, (name, at) in named.items() if name],
           key=("visit_id", "touchpoint_key"), update=("name", "changed_at"),
           where=lambda excluded: _newer(table.c.changed_at, excluded.changed_at))
    for key, (name, at) in named.items():
        if not name:
            db.session.execute(sa.delete(StaffRecord).where(
                StaffRecord.visit_id == visit.id, StaffRecord.touchpoint_key == key,
                _newer(StaffRecord.changed_at, at)))
    db.session.expire(visit, ["staff"])
    return _lost(StaffRecord.touchpoint_key, StaffRecord.changed_at, StaffRecord.visit_id == visit.id,
                 {key: at for key, (_name, at) in named.items()})


def _save_details(visit: Visit, update: SaveAnswers, now: datetime) -> bool:
    """Set visited_at, remarks and duration by one UPDATE that holds only while nothing newer is stored; False if it lost."""
    values = update.details()
    if not values:
        return True
    if "visited_at" in values:  # the auditor's wall-clock time is what a report shows: an offset is dropped
        values["visited_at"] = values["visited_at"].replace(tzinfo=None)
    at = client_time(update.changed_at, now)
    db.session.flush()
    result = db.session.execute(
        sa.update(Visit).where(Visit.id == visit.id, _newer(Visit.details_changed_at, at))
        .values(details_changed_at=at, **values), execution_options={"synchronize_session": False})
    db.session.expire(visit, ["visited_at", "remarks", "duration_minutes", "details_changed_at"])
    return result.rowcount == 1


def _checked(form: Concept, update: SaveAnswers) -> list[tuple[str, Any, str | None, datetime]]:
    """Check each change against the visit's form; raise with every refusal keyed by standard or field."""
    now = utcnow()
    errors: dict[str, Any] = {}
    parsed: list[tuple[str, Any, str | None, datetime]] = []
    for change in update.answers:
        standard = form.standard(change.standard)
        if standard is None:
            errors[change.standard] = N_("is not a standard of this visit's form")
            continue
        value = change.value
        if value is not UNCHANGED and value is not None and value != "":
            try:
                value = parse_value(standard, value)
            except AnswerError as exc:
                errors[change.standard] = exc.message
                continue
        elif value == "":
            value = None
        parsed.append((change.standard, value, change.comment, client_time(change.changed_at, now)))
    visited_at = update.visited_at.replace(tzinfo=None) if update.visited_at else None
    if visited_at is not None and visited_at > now + timedelta(days=1):
        errors["visited_at"] = N_("cannot lie in the future")
    elif visited_at is not None and visited_at < EARLIEST_VISIT:
        errors["visited_at"] = N_("must lie after the year 2000")
    for i, note in enumerate(update.staff):
        touchpoint = form.touchpoint(note.touchpoint)
        if touchpoint is None or not touchpoint.record_staff:
            errors[f"staff[{i}]"] = N_("names a touchpoint that does not record staff")
    if errors:
        raise DomainError("invalid", N_("Some answers could not be saved."), errors)
    return parsed
