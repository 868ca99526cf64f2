"""The admin's audit log page: administrative actions, newest first, filtered by action or subject."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from marshmallow import EXCLUDE, ValidationError, fields, validate

from ..converters import MAX_ID
from ..errors import translate
from ..fields import QuerySchema, flat_messages
from ..vocabulary import AUDIT_DETAILS, AuditAction, Subject
from . import queries

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")


class LogQuerySchema(QuerySchema):
    class Meta:
        unknown = EXCLUDE  # a link with tracking parameters still opens the log

    page = fields.Integer(load_default=1, validate=validate.Range(1, 100_000))
    action = fields.Enum(AuditAction, by_value=True, load_default=None)
    subject = fields.Enum(Subject, by_value=True, load_default=None)
    id = fields.Integer(load_default=None, validate=validate.Range(1, MAX_ID))


@bp.get("/")
def log():
    errors: dict[str, Any] = {}
    try:
        query = LogQuerySchema().load(request.args)
    except ValidationError as exc:
        errors = {name: translate(text) for name, text in flat_messages(exc.messages).items()}
        query = {"page": 1, "action": None, "subject": None, "id": None}
    rows, more = queries.entries(page=query["page"], action=query["action"], subject=query["subject"],
                                 subject_id=query["id"])
    return render_template("audit/log.html", rows=rows, more=more, query=query, errors=errors,
                           actions=_options(AuditAction), subjects=_options(Subject),
                           detail_names=AUDIT_DETAILS), 422 if errors else 200


def _options(vocabulary) -> list[tuple[str, str]]:
    return [(term.value, translate(term.label)) for term in vocabulary]
