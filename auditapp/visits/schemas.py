"""The shapes of visit requests, declared once: they check the API's JSON and the HTML form alike and
build the typed commands the services take (docs/architecture.md, "Schemas")."""

from __future__ import annotations

from typing import Any

import re

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, post_load, validate

from ..concepts.answers import MAX_TEXT
from ..concepts.definition import MAX_KEY
from ..domain_error import N_, DomainError
from ..fields import AnswerValue, QuerySchema, Text, flat_messages
from .models import STATUSES
from .commands import UNCHANGED, AnswerChange, Decision, Review, SaveAnswers, StaffNote

MAX_COMMENT = 4000
MAX_STAFF_NAME = 120
MAX_MINUTES = 24 * 60
_MINUTES = N_("must be whole minutes from 0 to 1440")


class ChangedAt(fields.DateTime):
    """When the auditor made a change, by the phone's clock (ISO-8601; no offset means UTC)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("metadata", {"description": "When the auditor made the change; the newest change wins."})
        super().__init__(allow_none=True, **kwargs)


class AnswerChangeSchema(Schema):
    class Meta:
        unknown = RAISE

    standard = Text(MAX_KEY, required=True)
    value = AnswerValue(MAX_TEXT)
    comment = Text(MAX_COMMENT, allow_none=True)
    changed_at = ChangedAt()

    @post_load
    def make(self, data: dict[str, Any], **_kwargs: Any) -> AnswerChange:
        return AnswerChange(standard=data["standard"], value=data.get("value", UNCHANGED),
                            comment=data.get("comment"), changed_at=data.get("changed_at"))


class StaffNoteSchema(Schema):
    class Meta:
        unknown = RAISE

    touchpoint = Text(MAX_KEY, required=True)
    name = Text(MAX_STAFF_NAME, required=True)
    changed_at = ChangedAt()

    @post_load
    def make(self, data: dict[str, Any], **_kwargs: Any) -> StaffNote:
        return StaffNote(**data)


class SaveAnswersSchema(Schema):
    """`PUT /visits/{id}/answers` (docs/architecture.md, Interfaces); every part optional, so a client sends only what changed."""

    class Meta:
        unknown = RAISE

    answers = fields.List(fields.Nested(AnswerChangeSchema), load_default=list)
    visited_at = fields.DateTime(allow_none=True, metadata={
        "description": "Wall-clock time of the visit; an offset is dropped, not converted."})
    remarks = Text(MAX_COMMENT, allow_none=True)
    duration_minutes = fields.Integer(allow_none=True, strict=True, validate=validate.Range(0, MAX_MINUTES, error=_MINUTES),
                                      error_messages={"invalid": _MINUTES})
    staff = fields.List(fields.Nested(StaffNoteSchema), load_default=list)
    changed_at = ChangedAt(metadata={"description": "When visited_at, remarks and duration_minutes were changed."})
    sync_id = Text(64, allow_none=True, metadata={"description": "Echoed in the acknowledgement."})

    @post_load
    def make(self, data: dict[str, Any], **_kwargs: Any) -> SaveAnswers:
        return SaveAnswers(answers=tuple(data["answers"]), visited_at=data.get("visited_at"),
                           remarks=data.get("remarks"), duration_minutes=data.get("duration_minutes"),
                           staff=tuple(data["staff"]), changed_at=data.get("changed_at"),
                           sync_id=data.get("sync_id"))

    @staticmethod
    def refusal(messages: Any, body: Any) -> DomainError:
        """Key refusals by standard (docs/architecture.md, Interfaces) and `staff[i]`, as the services key theirs."""
        fields_ = {}
        for key, message in flat_messages(messages).items():
            match = _ITEM.fullmatch(key)
            items = body.get(match.group(1)) if match and isinstance(body, dict) else None
            item = items[int(match.group(2))] if isinstance(items, list) and int(match.group(2)) < len(items) else None
            if match and match.group(1) == "answers" and isinstance(item, dict) and isinstance(item.get("standard"), str):
                key = item["standard"]
            elif match and match.group(1) == "staff":
                key = f"staff[{match.group(2)}]"
            fields_.setdefault(key, message)
        return DomainError("invalid", N_("Some answers could not be saved."), fields_)


class OperationSchema(Schema):
    """The optional body of start and submit: the phone's id for the operation, so a retry changes nothing."""

    class Meta:
        unknown = EXCLUDE

    operation = fields.UUID(allow_none=True, metadata={
        "description": "The client's id for this start or submit; the same id again is answered as the first time."})


_ITEM = re.compile(r"(answers|staff)\[(\d+)\](?:\.\w+)?")


def load_answers(body: Any) -> SaveAnswers:
    """Check a save-answers body from the HTML form; refusals are keyed as the API keys them."""
    try:
        return SaveAnswersSchema().load(body)
    except ValidationError as exc:
        raise SaveAnswersSchema.refusal(exc.messages, body) from None


class ReviewSchema(Schema):
    """`POST /visits/{id}/review`."""

    REFUSED = N_("The review could not be saved.")

    class Meta:
        unknown = EXCLUDE

    decision = fields.Enum(Decision, by_value=True, required=True)
    comment = Text(MAX_COMMENT, load_default="", allow_none=True, metadata={
        "description": "Required when returning: what the auditor should change."})

    @post_load
    def make(self, data: dict[str, Any], **_kwargs: Any) -> Review:
        return Review(decision=data["decision"], comment=data.get("comment") or "")


class VisitListQuerySchema(QuerySchema):
    """`GET /visits?status=&branch=`."""

    REFUSED = N_("Some parameters are not valid.")

    status = fields.String(validate=validate.OneOf(STATUSES))
    branch = Text(MAX_KEY, metadata={"description": "Branch code."})
