"""What every HTML form shares: it reads the posted form only, and its text refuses what cannot be stored.

The checks are the API schemas' own (`fields.check_text`), so a page and a program are refused alike.
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto
from marshmallow import ValidationError as SchemaError
from wtforms import Field, Form
from wtforms.validators import ValidationError

from .errors import status_of, translate
from .fields import check_text, flat_messages


class PostedForm(FlaskForm):
    """A FlaskForm that takes its data from the posted form, never from a JSON body."""

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form: Form, formdata: Any) -> Any:
            # Flask-WTF would read a JSON body as the form's data, and breaks on a list, a number or a nesting
            # 50,000 deep; pages post forms, so a JSON body simply leaves the form empty.
            if formdata is _Auto and request.is_json:
                return request.form
            return super().wrap_formdata(form, formdata)


class Storable:
    """Refuse control characters and unpaired surrogates at the field, with the message the API gives."""

    def __call__(self, form: Form, field: Field) -> None:
        if isinstance(field.data, str):
            try:
                check_text(field.data)
            except SchemaError as exc:
                raise ValidationError(translate(next(iter(flat_messages(exc.messages).values())))) from None


def refuse_on(form: FlaskForm, exc: Any) -> int:
    """Put a service's DomainError on the form — each message at its field, the rest above the form — and
    return the HTTP status the error's code maps to (errors.STATUS)."""
    for name, message in exc.fields.items():
        field = getattr(form, name, None)
        (field.errors if field is not None and hasattr(field, "errors") else form.form_errors).append(
            translate(message))
    if not exc.fields:
        form.form_errors.append(translate(exc.message))
    return status_of(exc.code)
