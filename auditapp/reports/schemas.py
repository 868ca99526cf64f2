"""The shapes of the reports API: its query strings and the branch scores (docs/architecture.md, Interfaces).

The query schemas check shape only (a date is a date, a period kind is one of three); which concept and
which range a caller may ask for stays with `filters`, which the report pages share.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import Schema, ValidationError, fields, pre_dump, validate

from ..concepts.definition import MAX_KEY
from ..converters import MAX_ID
from ..domain_error import N_, Message
from ..fields import QuerySchema, Text
from .periods import FIRST_DAY, LAST_DAY, OFF_CALENDAR, PERIOD_KINDS

_DATE = Message(N_("Give a date like 2026-04-30."))


def _on_calendar(day: date) -> None:
    """Refuse days whose report periods do not exist (near years 1 and 9999), as `filters.parse_date` does."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError([OFF_CALENDAR])  # a list: marshmallow extends the messages of validators


def date_param(description: str, **kwargs: Any) -> fields.Date:
    return fields.Date(error_messages={"invalid": _DATE}, validate=_on_calendar, metadata={"description": description},
                       **kwargs)


class ReportQuery(QuerySchema):
    REFUSED = N_("Some parameters are not valid.")

    def as_args(self, query: dict[str, Any]) -> dict[str, str]:
        """The checked parameters as the query string `filters` reads."""
        return {self.fields[name].data_key or name: value.isoformat() if hasattr(value, "isoformat") else str(value)
                for name, value in query.items()}


class BranchScoresQuerySchema(ReportQuery):
    concept = Text(MAX_KEY, required=True, metadata={"description": "Concept key."})
    period = fields.String(load_default="month", validate=validate.OneOf(PERIOD_KINDS))
    from_ = date_param("First day; without dates, the last 12 months (8 quarters, 5 years) of data.", data_key="from")
    to = date_param("Last day.")


class AnswersExportQuerySchema(ReportQuery):
    concept = Text(MAX_KEY, metadata={"description": "Concept key; all concepts without it."})
    branch = fields.Integer(strict=False, validate=validate.Range(1, MAX_ID), metadata={"description": "Branch id."})
    from_ = date_param("First visit day.", data_key="from")
    to = date_param("Last visit day.")


class ScoreCellSchema(Schema):
    period = fields.String(required=True, metadata={"examples": ["2026-04", "2026-Q2", "2026"]})
    score = fields.Float(required=True, allow_none=True, metadata={
        "description": "0–100, unrounded; null without approved visits."})
    n = fields.Integer(required=True, metadata={"description": "Approved visits behind the score."})


class TouchpointScoresSchema(Schema):
    key = fields.String(required=True)
    name = fields.String(required=True)
    phase = fields.String(required=True)
    scores = fields.List(fields.Nested(ScoreCellSchema), required=True)


class BranchScoresSchema(Schema):
    """A branch's overall and touchpoint scores per period, over approved visits (docs/architecture.md, Scoring)."""

    periods = fields.List(fields.String(), required=True)
    overall = fields.List(fields.Nested(ScoreCellSchema), required=True)
    touchpoints = fields.List(fields.Nested(TouchpointScoresSchema), required=True)

    @pre_dump
    def label_cells(self, trends: Any, **_kwargs: Any) -> dict[str, Any]:
        """Pair each cell with the label of its period."""
        labels = [p.label for p in trends.periods]

        def series(cells):
            return [{"period": label, "score": c.score, "n": c.n} for label, c in zip(labels, cells)]

        return {"periods": labels, "overall": series(trends.overall),
                "touchpoints": [{"key": t.key, "name": t.name, "phase": t.phase, "scores": series(t.cells)}
                                for t in trends.touchpoints]}
