"""The acknowledgement of a save: what the server now holds for what the phone sent, not the whole visit.

The phone marks a change synced only when an acknowledgement echoes its request's `sync_id`; a change listed
as stale lost to a newer one and is dropped, the stored value shown instead (docs/architecture.md, "Offline sync").
"""

from __future__ import annotations

from datetime import timezone
from typing import Any

from marshmallow import Schema, fields

from ..concepts.answers import MAX_TEXT
from ..fields import AnswerValue, Minutes
from .commands import Saved


class Utc(fields.DateTime):
    """A stored UTC time as ISO-8601 with its Z, to the millisecond the phone's clock has."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class StoredAnswerSchema(Schema):
    standard = fields.String(required=True, attribute="standard_key")
    value = AnswerValue(MAX_TEXT, required=True)
    comment = fields.String(required=True)
    changed_at = Utc(required=True, allow_none=True)


class StoredStaffSchema(Schema):
    touchpoint = fields.String(required=True)
    name = fields.String(required=True, metadata={"description": "Empty when no note is stored."})


class StaleSchema(Schema):
    answers = fields.List(fields.String(), required=True, metadata={"description": "Standards whose change lost."})
    staff = fields.List(fields.String(), required=True, metadata={"description": "Touchpoints whose note lost."})
    details = fields.Boolean(required=True, metadata={"description": "Whether the visit details lost."})


class SavedSchema(Schema):
    """`PUT /visits/{id}/answers` answers with this: a few hundred bytes however long the form."""

    id = fields.Integer(required=True)
    status = fields.String(required=True)
    sync_id = fields.String(required=True, allow_none=True, metadata={"description": "The request's own, echoed."})
    answers = fields.List(fields.Nested(StoredAnswerSchema), required=True, metadata={
        "description": "What is stored for each standard the request named."})
    staff = fields.List(fields.Nested(StoredStaffSchema), required=True)
    visited_at = Minutes(required=True, allow_none=True)
    remarks = fields.String(required=True)
    duration_minutes = fields.Integer(required=True, allow_none=True)
    stale = fields.Nested(StaleSchema, required=True, metadata={
        "description": "Changes older than what was already stored; they were not applied."})


def acknowledgement(saved: Saved) -> dict[str, Any]:
    """The values SavedSchema dumps, read from the visit as the save left it."""
    visit = saved.visit
    answers = {a.standard_key: a for a in visit.answers}
    staff = {s.touchpoint_key: s.name for s in visit.staff}
    return {
        "id": visit.id, "status": visit.status.value, "sync_id": saved.sync_id,
        "answers": [answers[key] for key in saved.answers if key in answers],
        "staff": [{"touchpoint": key, "name": staff.get(key, "")} for key in saved.staff],
        "visited_at": visit.visited_at, "remarks": visit.remarks, "duration_minutes": visit.duration_minutes,
        "stale": {"answers": list(saved.stale_answers), "staff": list(saved.stale_staff),
                  "details": saved.stale_details},
    }
