"""The shapes of GET /api/v1/roles/scores (docs/architecture.md, Interfaces): its query string and its answer."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, pre_dump, validate

from ..concepts.definition import MAX_KEY
from ..converters import MAX_ID
from ..fields import Text
from ..reports.periods import PERIOD_KINDS
from ..reports.schemas import ReportQuery, date_param


class RoleScoresQuerySchema(ReportQuery):
    concept = Text(MAX_KEY, required=True, metadata={"description": "Concept key."})
    role = Text(MAX_KEY, required=True, metadata={"description": "Role key, as the concept declares it."})
    period = fields.String(load_default="month", validate=validate.OneOf(PERIOD_KINDS))
    from_ = date_param("First day; without dates, the last 12 months (8 quarters, 5 years) of data.", data_key="from")
    to = date_param("Last day.")
    branch = fields.Integer(strict=False, validate=validate.Range(1, MAX_ID),
                            metadata={"description": "One branch the caller may see; all of them without it."})


class JudgedCellSchema(Schema):
    period = fields.String(required=True, metadata={"examples": ["2026-04", "2026-Q2", "2026"]})
    score = fields.Float(required=True, allow_none=True, metadata={
        "description": "0–100, unrounded; null when hidden or without approved visits."})
    n = fields.Integer(required=True, metadata={"description": "Approved visits behind the score."})
    hidden = fields.Boolean(required=True, metadata={
        "description": "True when n < 3: too few visits to judge anyone on, so the score is withheld."})


class RoleBranchSchema(Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)
    scores = fields.List(fields.Nested(JudgedCellSchema), required=True)


class RoleStandardSchema(Schema):
    key = fields.String(required=True)
    text = fields.String(required=True)
    touchpoint = fields.String(required=True, metadata={"description": "Touchpoint key."})
    touchpoint_name = fields.String(required=True)
    critical = fields.Boolean(required=True)
    score = fields.Float(required=True, allow_none=True, metadata={"description": "Mean 0–100 over the range."})
    n = fields.Integer(required=True, metadata={"description": "Scored answers behind the score."})
    hidden = fields.Boolean(required=True)
    critical_failures = fields.Integer(required=True)


class RoleScoresSchema(Schema):
    """A role's scores per period, overall and per branch the caller may see, and per standard it owns."""

    concept = fields.String(required=True)
    role = fields.String(required=True)
    role_name = fields.String(required=True)
    periods = fields.List(fields.String(), required=True)
    overall = fields.List(fields.Nested(JudgedCellSchema), required=True)
    branches = fields.List(fields.Nested(RoleBranchSchema), required=True)
    standards = fields.List(fields.Nested(RoleStandardSchema), required=True)
    critical_failures = fields.Integer(required=True)

    @pre_dump
    def shape(self, data: Any, **_kwargs: Any) -> dict[str, Any]:
        labels = [p.label for p in data.periods]

        def series(cells):
            return [{"period": label, "score": c.score, "n": c.n, "hidden": c.hidden} for label, c in zip(labels, cells)]

        return {"concept": data.concept.key, "role": data.role, "role_name": data.role_name, "periods": labels,
                "overall": series(data.overall),
                "branches": [{"id": b.id, "code": b.code, "name": b.name, "scores": series(b.cells)}
                             for b in data.branches],
                "standards": [{"key": s.key, "text": s.text, "touchpoint": s.touchpoint,
                               "touchpoint_name": s.touchpoint_name, "critical": s.critical, "score": s.result.score,
                               "n": s.result.n, "hidden": s.result.hidden, "critical_failures": s.critical_failures}
                              for s in data.standards],
                "critical_failures": data.critical_failures}
