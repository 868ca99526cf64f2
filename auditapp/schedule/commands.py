"""What a planner asks for: one visit, a round, a change of auditor or due date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class PlanVisit:
    concept: str
    branch: int
    auditor: int
    channel: str
    due: date
    persona: str | None = None


@dataclass(frozen=True)
class PlanRound:
    """One visit per active branch (the listed ones, or every one of a region) in a month."""

    concept: str
    month: date  # the first day
    channel: str
    branches: tuple[int, ...] = ()
    region: str | None = None
    persona: str | None = None


@dataclass(frozen=True)
class ChangeVisit:
    auditor: int | None = None
    due: date | None = None
