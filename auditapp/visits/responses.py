"""A visit as the API answers it (docs/architecture.md, Interfaces), declared once: these schemas shape the JSON and the document.

The response schemas dump for the request's user: the auditor's name and staff names depend on who asks
(visits.queries decides who may see them).
"""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from marshmallow import Schema, fields, missing, post_dump, validate

from ..concepts.definition import ANSWER_TYPES, CHANNELS, PHOTO_RULES
from ..fields import AnswerValue, Minutes
from ..concepts.answers import MAX_TEXT
from ..photos.schemas import PhotoSchema
from .models import STATUSES, Visit
from .queries import auditor_label, may_see_staff
from .services import form_of, missing_for_submit, scores_of

SCORE = {"description": "0–100, unrounded; null when nothing is scored."}


def Score(**kwargs: Any) -> fields.Float:
    return fields.Float(allow_none=True, metadata=SCORE, **kwargs)


class OptionSchema(Schema):
    key = fields.String(required=True)
    label = fields.String(required=True)


class TargetSchema(Schema):
    min = fields.Float(required=True, allow_none=True)
    max = fields.Float(required=True, allow_none=True)


class ScaleLabelsSchema(Schema):
    min = fields.String(required=True, metadata={"description": "The meaning of the lowest value; may be empty."})
    max = fields.String(required=True, metadata={"description": "The meaning of the highest value; may be empty."})


class StandardSchema(Schema):
    """A standard to answer; the bounds, options, unit and target appear only for the types that have them."""

    ONLY_FOR = {"min": "scale", "max": "scale", "labels": "scale", "options": "choice", "unit": "number",
                "target": "number"}

    key = fields.String(required=True)
    text = fields.String(required=True)
    type = fields.String(required=True, validate=validate.OneOf(ANSWER_TYPES))
    weight = fields.Float(required=True)
    critical = fields.Boolean(required=True)
    na = fields.Boolean(required=True, metadata={"description": "Whether \"na\" is an accepted value."})
    photo = fields.String(required=True, validate=validate.OneOf(PHOTO_RULES))
    required = fields.Boolean(required=True, metadata={"description": "Whether submit needs an answer."})
    guidance = fields.String(required=True)
    min = fields.Float(allow_none=True, metadata={"description": "scale only"})
    max = fields.Float(allow_none=True, metadata={"description": "scale only"})
    options = fields.List(fields.Nested(OptionSchema), metadata={"description": "choice only"})
    unit = fields.String(metadata={"description": "number only"})
    target = fields.Nested(TargetSchema, allow_none=True, metadata={"description": "number only"})
    labels = fields.Nested(ScaleLabelsSchema, allow_none=True, metadata={
        "description": "scale only: what its ends mean, when the concept says; null otherwise"})

    @post_dump(pass_original=True)
    def only_for_type(self, data: dict[str, Any], standard: Any, **_kwargs: Any) -> dict[str, Any]:
        return {key: value for key, value in data.items() if self.ONLY_FOR.get(key, standard.type) == standard.type}


class TouchpointSchema(Schema):
    key = fields.String(required=True)
    name = fields.String(required=True)
    description = fields.String(required=True)
    record_staff = fields.Boolean(required=True)
    standards = fields.List(fields.Nested(StandardSchema), required=True)


class PhaseSchema(Schema):
    key = fields.String(required=True)
    name = fields.String(required=True)
    touchpoints = fields.List(fields.Nested(TouchpointSchema), required=True)


class FormSchema(Schema):
    """Only the phases and touchpoints of the visit's channel, in journey order."""

    phases = fields.List(fields.Nested(PhaseSchema), required=True)


class ScoresSchema(Schema):
    visit = Score(required=True)
    phases = fields.Dict(keys=fields.String(), values=Score(), required=True)
    touchpoints = fields.Dict(keys=fields.String(), values=Score(), required=True)
    critical_failures = fields.List(fields.String(), required=True)


class BranchRefSchema(Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)


class ConceptRefSchema(Schema):
    key = fields.String(required=True, attribute="concept.key")
    name = fields.String(required=True, attribute="concept.name")
    version = fields.Integer(required=True, attribute="number")


class PersonaRefSchema(Schema):
    key = fields.String(required=True)
    name = fields.String(required=True)


class PersonaSchema(PersonaRefSchema):
    briefing = fields.String(required=True)


class ThresholdsSchema(Schema):
    good = fields.Float(required=True)
    poor = fields.Float(required=True)


class AnswerSchema(Schema):
    standard = fields.String(required=True, attribute="standard_key")
    value = AnswerValue(MAX_TEXT, required=True)
    comment = fields.String(required=True)


class HistorySchema(Schema):
    at = Minutes(required=True)
    from_ = fields.String(required=True, allow_none=True, attribute="from_status", data_key="from")
    to = fields.String(required=True, attribute="to_status")
    comment = fields.String(required=True)


class StaffSchema(Schema):
    touchpoint = fields.String(required=True, attribute="touchpoint_key")
    name = fields.String(required=True)


class VisitSummarySchema(Schema):
    """A visit in a list."""

    id = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    branch = fields.Nested(BranchRefSchema, required=True)
    concept = fields.Nested(ConceptRefSchema, required=True, attribute="concept_version")
    persona = fields.Nested(PersonaRefSchema, required=True, allow_none=True)
    due = fields.Date(required=True, attribute="due_date")
    visited_at = Minutes(required=True, allow_none=True, metadata={"description": "The auditor's local time."})
    score = Score(required=True)

    def get_attribute(self, visit: Visit, attr: str, default: Any) -> Any:
        """Values a visit row does not hold itself are computed by the method of that name."""
        compute = getattr(self, f"computed_{attr}", None)
        return compute(visit) if compute is not None else super().get_attribute(visit, attr, default)

    @staticmethod
    def computed_persona(visit: Visit) -> Any:
        return visit.concept_version.content.persona(visit.persona_key)


class VisitSchema(VisitSummarySchema):
    """Everything a client needs to show or fill in a visit; submit and review answer with it too."""

    persona = fields.Nested(PersonaSchema, required=True, allow_none=True)
    remarks = fields.String(required=True)
    duration_minutes = fields.Integer(required=True, allow_none=True)
    started_at = Minutes(required=True, allow_none=True)
    submitted_at = Minutes(required=True, allow_none=True)
    editable = fields.Boolean(required=True)
    auditor = fields.String(required=True, metadata={"description": "A pseudonym (\"Guest 7\") for managers."})
    thresholds = fields.Nested(ThresholdsSchema, required=True)
    form = fields.Nested(FormSchema, required=True)
    answers = fields.List(fields.Nested(AnswerSchema), required=True)
    photos = fields.List(fields.Nested(PhotoSchema), required=True)
    scores = fields.Nested(ScoresSchema, required=True)
    missing = fields.Dict(keys=fields.String(), values=fields.String(), required=True, metadata={
        "description": "What submit would still refuse, keyed by standard or field; empty once submitted."})
    history = fields.List(fields.Nested(HistorySchema), required=True)
    staff = fields.List(fields.Nested(StaffSchema), metadata={
        "description": "Who served the guest; only for admins, HR and the auditor."})

    computed_form = staticmethod(form_of)
    computed_scores = staticmethod(scores_of)

    @staticmethod
    def computed_thresholds(visit: Visit) -> dict[str, float]:
        content = visit.concept_version.content
        return {"good": content.good, "poor": content.poor}

    @staticmethod
    def computed_missing(visit: Visit) -> dict[str, str]:
        return missing_for_submit(visit) if visit.editable else {}

    @staticmethod
    def computed_auditor(visit: Visit) -> str:
        return auditor_label(visit, current_user)

    @staticmethod
    def computed_staff(visit: Visit) -> Any:
        return visit.staff if may_see_staff(current_user, visit) else missing
