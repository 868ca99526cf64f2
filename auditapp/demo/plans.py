"""What a demo visit is planned from: the concept, channel and day, the branch and how well it does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .organisation import DemoBranch

MONTHS = 12  # the demo's year of history, this month included


@dataclass
class Slot:
    concept: str
    channel: str
    day: date


@dataclass
class Plan:
    branch: DemoBranch
    slot: Slot
    quality: float
    persona: str | None = None
    fail: str | None = None
    resubmit: bool = False


def concept_for(branch: DemoBranch, channel: str) -> str:
    """The showcase concept a branch is audited with on a channel."""
    if branch.kind == "shop":
        return "winkelbezoek"  # Dutch, with its own phone touchpoint
    if channel == "call":
        return "reservation-call"
    return "hotel-stay" if branch.kind == "hotel" else "restaurant-visit"
