"""Real-looking dates for the demo's visits: the services stamp everything 'now'; afterwards each visit's status
changes, answers and staff notes are moved onto the dates of its own story, in a few bulk updates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from ..extensions import db
from ..visits.models import Answer, StaffRecord, StatusChange, Visit


@dataclass
class Timeline:
    """The dates of one visit."""

    visit_id: int
    changes: list[datetime]  # one per status change, in order
    started: datetime | None = None
    submitted: datetime | None = None
    reviewed: datetime | None = None
    answered: datetime | None = None


class Timelines:
    def __init__(self, now: datetime):
        self.now = now
        self.items: list[Timeline] = []

    def add(self, visit: Visit, changes: list[datetime], **dates: datetime | None) -> None:
        """Remember a visit's dates: one per status change, plus started/submitted/reviewed/answered."""
        latest = self.now - timedelta(minutes=30)
        clamped = list(changes)
        # Nothing may lie in the future: pull late steps back, keeping their order.
        for i in range(len(clamped) - 1, -1, -1):
            clamped[i] = min(clamped[i], latest)
            latest = clamped[i] - timedelta(minutes=10)
        moved = dict(zip(changes, clamped))
        for name, value in dates.items():
            if value is not None:
                dates[name] = moved.get(value, min(value, self.now - timedelta(minutes=30)))
        self.items.append(Timeline(visit.id, clamped, **dates))

    def apply(self) -> None:
        """Move every timestamp the services set to 'now' onto the visit's own dates."""
        by_visit = {t.visit_id: t for t in self.items}
        db.session.flush()
        rows = db.session.execute(sa.select(StatusChange.id, StatusChange.visit_id)
                                  .where(StatusChange.visit_id.in_(by_visit)).order_by(StatusChange.id)).all()
        seen: dict[int, int] = {}
        changes = []
        for change_id, visit_id in rows:
            i = seen[visit_id] = seen.get(visit_id, -1) + 1
            changes.append({"id": change_id, "at": by_visit[visit_id].changes[i]})
        db.session.execute(sa.update(StatusChange), changes)
        db.session.execute(sa.update(Visit), [
            {"id": t.visit_id, "created_at": t.changes[0], "updated_at": t.changes[-1], "started_at": t.started,
             "submitted_at": t.submitted, "reviewed_at": t.reviewed} for t in self.items])
        answered = [{"v": t.visit_id, "at": t.answered} for t in self.items if t.answered]
        for table, column in ((Answer.__table__, "updated_at"), (StaffRecord.__table__, "recorded_at")):
            # Staff notes date from the visit, so the older ones fall outside the retention period (`staff purge`).
            db.session.execute(sa.update(table).where(table.c.visit_id == sa.bindparam("v"))
                               .values({column: sa.bindparam("at")}), answered)
