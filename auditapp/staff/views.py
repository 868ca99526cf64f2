"""The HR page of staff notes: who served the guest, next to that touchpoint's score (HR and admins only)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import EXCLUDE, ValidationError, fields, validate

from ..converters import MAX_ID
from ..errors import translate
from ..fields import QuerySchema, flat_messages
from ..reports import queries as report_queries
from ..reports.periods import FIRST_DAY, LAST_DAY
from . import queries

bp = Blueprint("staff", __name__, url_prefix="/staff")


class NotesQuerySchema(QuerySchema):
    class Meta:
        unknown = EXCLUDE

    concept = fields.String(load_default=None, validate=validate.Length(max=64))
    branch = fields.Integer(load_default=None, validate=validate.Range(1, MAX_ID))
    from_ = fields.Date(load_default=None, data_key="from", validate=validate.Range(FIRST_DAY, LAST_DAY))
    to = fields.Date(load_default=None, validate=validate.Range(FIRST_DAY, LAST_DAY))
    page = fields.Integer(load_default=1, validate=validate.Range(1, 100_000))


@bp.get("/")
def notes():
    errors: dict[str, Any] = {}
    concepts = report_queries.reported_concepts()
    branches = report_queries.visible_branch_rows(current_user)
    try:
        query = NotesQuerySchema().load(request.args)
    except ValidationError as exc:
        errors = {name: translate(text) for name, text in flat_messages(exc.messages).items()}
        query = {"concept": None, "branch": None, "from_": None, "to": None, "page": 1}
    concept = next((c for c in concepts if c.key == query["concept"]), None)
    if query["concept"] and concept is None:
        errors["concept"] = translate("Choose a concept.")
    rows, more = ([], False) if errors else queries.notes(
        concept_id=concept.id if concept else None, branch_id=query["branch"], start=query["from_"],
        end=query["to"], page=query["page"])
    return render_template("staff/notes.html", rows=rows, more=more, query=query, errors=errors,
                           concept_options=[("", _("All concepts"))] + [(c.key, c.name) for c in concepts],
                           branch_options=[("", _("All branches"))] + [(str(bid), f"{name} ({code})")
                                                                       for bid, code, name, _r in branches],
                           retention=current_app.config["STAFF_RETENTION_DAYS"]), 422 if errors else 200
