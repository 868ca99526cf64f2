"""Write an audit entry inside the caller's transaction, so the log holds exactly the changes that were committed."""

from __future__ import annotations

from typing import Any

from ..accounts.models import User
from ..extensions import db
from ..vocabulary import AuditAction, Subject
from .models import AuditEntry

LABEL_MAX = 200


def record(actor: User | None, action: AuditAction, subject: Subject, subject_id: int | None, label: str,
           **details: Any) -> AuditEntry:
    """Add the entry to the session; the service that made the change commits both or neither."""
    entry = AuditEntry(actor_id=actor.id if actor is not None else None,
                       actor_name=actor.name if actor is not None else "", action=action, subject=subject,
                       subject_id=subject_id, subject_label=label[:LABEL_MAX], details=details)
    db.session.add(entry)
    return entry
