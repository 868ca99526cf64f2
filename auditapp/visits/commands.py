"""What a visit write asks for, already checked for shape: the HTML views and the API both build these.

Schemas and form parsing turn a request into one of these; the services then check only domain rules
(an answer against its standard, the lifecycle) — docs/architecture.md, "Commands".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any


class _Unchanged:
    """The value of an answer change that only touches the comment."""

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Any = _Unchanged()


@dataclass(frozen=True)
class AnswerChange:
    """One standard's new value (None clears it) and/or comment (None leaves it)."""

    standard: str
    value: Any = UNCHANGED
    comment: str | None = None
    changed_at: datetime | None = None  # when the auditor made it; None: now


@dataclass(frozen=True)
class StaffNote:
    """Who served the guest at a touchpoint that records staff; an empty name removes the note."""

    touchpoint: str
    name: str
    changed_at: datetime | None = None


@dataclass(frozen=True)
class SaveAnswers:
    answers: tuple[AnswerChange, ...] = ()
    visited_at: datetime | None = None
    remarks: str | None = None
    duration_minutes: int | None = None
    staff: tuple[StaffNote, ...] = ()
    changed_at: datetime | None = None  # of visited_at, remarks and duration
    sync_id: str | None = None  # the phone's name for this request, echoed in the acknowledgement

    def details(self) -> dict[str, Any]:
        """The visit fields the request sets."""
        values = {"visited_at": self.visited_at, "remarks": self.remarks, "duration_minutes": self.duration_minutes}
        return {name: value for name, value in values.items() if value is not None}


@dataclass(frozen=True)
class Saved:
    """What a save did: the visit, and the changes that lost to newer ones already stored."""

    visit: Any
    answers: tuple[str, ...]  # the standards the request named
    staff: tuple[str, ...]  # the touchpoints it named
    stale_answers: tuple[str, ...] = ()
    stale_staff: tuple[str, ...] = ()
    stale_details: bool = False
    sync_id: str | None = None


class Decision(StrEnum):
    APPROVE = "approve"
    RETURN = "return"


@dataclass(frozen=True)
class Review:
    decision: Decision
    comment: str = ""


@dataclass(frozen=True)
class ScheduleVisit:
    concept_key: str
    branch_code: str
    auditor_email: str
    channel: str
    due: date
    persona_key: str | None = None


@dataclass(frozen=True)
class Cancel:
    reason: str = ""
