"""Reads for the reviewer's home: the queue of submitted visits with how long each has waited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from ..accounts.models import User
from ..clock import utcnow
from ..visits.models import Visit
from ..visits.queries import review_queue


@dataclass(frozen=True)
class QueueItem:
    visit: Visit
    waiting: timedelta


def queue(user: User) -> list[QueueItem]:
    """Submitted visits in the reviewer's scope, oldest first, with the time since submission."""
    now = utcnow()
    return [QueueItem(v, now - (v.submitted_at or v.updated_at)) for v in review_queue(user)]
