"""Reads for the reviewer's home: the queue of submitted visits with their score and how long each has waited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from ..accounts.models import User
from ..clock import utcnow
from ..scoring import band
from ..visits.models import Visit
from ..visits.queries import review_queue
from ..visits.services import scores_of
from ..vocabulary import Band

# A visit waiting longer than this is flagged: the auditor's memory of it fades, and the branch waits.
LATE_AFTER = timedelta(days=3)


@dataclass(frozen=True)
class QueueItem:
    visit: Visit
    waiting: timedelta
    score: float | None
    band: Band | None
    critical_failures: int

    @property
    def late(self) -> bool:
        return self.waiting >= LATE_AFTER


def queue(user: User) -> list[QueueItem]:
    """Submitted visits in the reviewer's scope, oldest first, with their score and the time since submission."""
    now = utcnow()
    items = []
    for v in review_queue(user):
        scores, content = scores_of(v), v.concept_version.content
        items.append(QueueItem(v, now - (v.submitted_at or v.updated_at), scores.visit,
                               band(scores.visit, content.good, content.poor), len(scores.critical_failures)))
    return items
