"""Remove staff notes: after the retention period (`staff purge`), or every note of one person (`staff erase`)."""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta

import sqlalchemy as sa

from ..extensions import db
from ..visits.models import StaffRecord

log = logging.getLogger(__name__)
BATCH = 500


def purge(now: datetime, days: int) -> tuple[int, datetime]:
    """Delete the notes recorded before now − days; return how many went and the cut-off. Running it again removes
    nothing more."""
    cutoff = now - timedelta(days=days)
    result = db.session.execute(sa.delete(StaffRecord).where(StaffRecord.recorded_at < cutoff))
    db.session.commit()
    log.info("staff purge: %d notes recorded before %s removed", result.rowcount, cutoff)
    return result.rowcount, cutoff


def names_person(note: str, name: str) -> bool:
    """Whether a free-text note names the person: the name as whole words, any case ("Tom" is in "waiter, badge
    TOM", not in "Tomas")."""
    words = name.split()
    if not words:
        return False
    pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)"
    return re.search(pattern, note, re.IGNORECASE) is not None


def erase(name: str) -> int:
    """Delete every note that names the person; return how many. Matched in Python: SQL's LOWER is ASCII-only on
    SQLite, and a person's right to erasure must not depend on the accents in their name."""
    if not name.split():
        return 0
    ids = [note_id for note_id, note in db.session.execute(sa.select(StaffRecord.id, StaffRecord.name))
           if names_person(note, name)]
    for start in range(0, len(ids), BATCH):
        db.session.execute(sa.delete(StaffRecord).where(StaffRecord.id.in_(ids[start:start + BATCH])))
    db.session.commit()
    log.info("staff erase: %d notes removed", len(ids))
    return len(ids)
