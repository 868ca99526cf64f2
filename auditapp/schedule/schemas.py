"""The planning API's bodies (docs/architecture.md, Interfaces) and the visit as a planner sees it."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask_login import current_user
from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validate, validates_schema

from ..concepts.definition import MAX_KEY
from ..converters import MAX_ID
from ..domain_error import N_, Message
from ..fields import Text
from ..visits.commands import Cancel
from ..visits.queries import auditor_label
from ..visits.responses import VisitSummarySchema
from ..vocabulary import Channel
from .commands import ChangeVisit, PlanRound, PlanVisit

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_ID = {"strict": True, "validate": validate.Range(1, MAX_ID)}


class _Body(Schema):
    class Meta:
        unknown = EXCLUDE


class PlanVisitSchema(_Body):
    REFUSED = N_("The visit cannot be planned.")

    concept = Text(MAX_KEY, required=True)
    branch = fields.Integer(required=True, metadata={"description": "Branch id."}, **_ID)
    auditor = fields.Integer(required=True, metadata={"description": "User id of an active auditor."}, **_ID)
    channel = fields.Enum(Channel, by_value=True, required=True)
    due = fields.Date(required=True)
    persona = Text(MAX_KEY, load_default=None, allow_none=True)

    @post_load
    def make(self, data: dict[str, Any], **_kwargs: Any) -> PlanVisit:
        return PlanVisit(data["concept"], data["branch"], data["auditor"], str(data["channel"]), data["due"],
                         data.get("persona") or None)


def parse_month(text: str) -> date | None:
    """`YYYY-MM` as the first day of that month; None for anything else, year 0 included."""
    if not MONTH.match(text or ""):
        return None
    try:
        return date(int(text[:4]), int(text[5:7]), 1)
    except ValueError:
        return None


class Month(fields.String):
    """A calendar month as `YYYY-MM`, loaded as its first day."""

    def __init__(self, **kwargs: Any):
        super().__init__(metadata={"pattern": MONTH.pattern, "examples": ["2026-04"]}, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> date:
        month = parse_month(super()._deserialize(value, attr, data, **kwargs))
        if month is None:
            raise ValidationError(Message(N_("give a month like 2026-04")))
        return month


class PlanRoundSchema(_Body):
    REFUSED = N_("The round cannot be planned.")

    concept = Text(MAX_KEY, required=True)
    branches = fields.List(fields.Integer(**_ID), validate=validate.Length(1, 1000), metadata={
        "description": "Branch ids; or give `region` instead."})
    region = Text(120, metadata={"description": "A region's name: every open branch in it."})
    month = Month(required=True)
    channel = fields.Enum(Channel, by_value=True, required=True)
    persona = Text(MAX_KEY, load_default=None, allow_none=True)

    @validates_schema
    def _one_of(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if bool(data.get("branches")) == bool(data.get("region")):
            raise ValidationError(Message(N_("give either branches or a region")), "branches")

    @post_load
    def make(self, data: dict[str, Any], **_kwargs: Any) -> PlanRound:
        return PlanRound(data["concept"], data["month"], str(data["channel"]), tuple(data.get("branches") or ()),
                         data.get("region") or None, data.get("persona") or None)


class ChangeVisitSchema(_Body):
    REFUSED = N_("The visit cannot be changed.")

    auditor = fields.Integer(metadata={"description": "Reassign to this active auditor (user id)."}, **_ID)
    due = fields.Date(metadata={"description": "Reschedule to this day."})

    @post_load
    def make(self, data: dict[str, Any], **_kwargs: Any) -> ChangeVisit:
        return ChangeVisit(data.get("auditor"), data.get("due"))


class CancelSchema(_Body):
    REFUSED = N_("The visit cannot be cancelled.")

    reason = Text(2000, required=True, metadata={"description": "Why; kept in the status history."})

    @post_load
    def make(self, data: dict[str, Any], **_kwargs: Any) -> Cancel:
        return Cancel(data["reason"])


class AuditorRefSchema(Schema):
    id = fields.Integer(required=True)
    label = fields.String(required=True, metadata={"description": "The name for admins, a pseudonym for managers."})


class PlannedVisitSchema(VisitSummarySchema):
    """A visit as its planner sees it: with who goes (a pseudonym for managers) and the round it belongs to."""

    auditor = fields.Nested(AuditorRefSchema, required=True)
    round = fields.Integer(required=True, allow_none=True, attribute="round_id")

    @staticmethod
    def computed_auditor(visit: Any) -> dict[str, Any]:
        return {"id": visit.auditor_id, "label": auditor_label(visit, current_user)}
