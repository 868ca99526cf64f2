"""Where refusals become answers: DomainError codes to HTTP statuses, JSON for /api/, pages for people.

This is the only module that knows HTTP statuses for domain codes (docs/architecture.md, "Errors").
"""

from __future__ import annotations

from typing import Any, Mapping

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException

from .domain_error import DomainError, Message

# Every code a service or the domain raises, and what HTTP calls it. Unknown codes are refusals of input.
STATUS: dict[str, int] = {
    "bad_json": 400,
    "csrf": 400,
    "unauthorized": 401,
    "not_found": 404,
    "not_editable": 409,
    "not_submitted": 409,
    "not_cancellable": 409,
    "conflict": 409,
    "too_large": 413,
    "too_many": 429,
    "invalid": 422,
    "incomplete": 422,
}
DEFAULT_STATUS = 422


def status_of(code: str) -> int:
    return STATUS.get(code, DEFAULT_STATUS)


def wants_json() -> bool:
    return request.path.startswith("/api/")


def translate(message: Message | str) -> str:
    """A message in the request's language."""
    return message.render(gettext) if isinstance(message, Message) else gettext(message)


class ErrorDetailSchema(Schema):
    code = fields.String(required=True, metadata={"examples": ["invalid", "not_found", "not_editable", "csrf"]})
    message = fields.String(required=True, metadata={"description": "A sentence for the person using the app."})
    fields_ = fields.Dict(keys=fields.String(), values=fields.String(), data_key="fields", metadata={
        "description": "A message per refused field, parameter or standard.",
        "examples": [{"friendliness": "must be a whole number from 1 to 5"}]})


class ErrorSchema(Schema):
    """The API's error envelope (docs/architecture.md, Interfaces), declared once: `json_error` writes it and the document shows it."""

    error = fields.Nested(ErrorDetailSchema, required=True)


def json_error(status: int, code: str, message: str, fields: Mapping[str, Any] | None = None,
               headers: Mapping[str, str] | None = None):
    """The API's error envelope (docs/architecture.md, Interfaces): `{"error": {"code", "message", "fields"}}`."""
    body: dict[str, Any] = {"code": code, "message": message}
    if fields:
        body["fields_"] = dict(fields)
    response = jsonify(ErrorSchema().dump({"error": body}))
    response.status_code = status
    if status == 401:  # tells a program how to authenticate (RFC 9110)
        response.headers["WWW-Authenticate"] = 'Bearer realm="auditapp"'
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def error_page(status: int, message: str, headers: Mapping[str, str] | None = None):
    response = (render_template("errors/error.html", code=status, message=message), status)
    return (*response, dict(headers or {})) if headers else response


def init_errors(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        """Services' refusals: programs get the envelope, people the error page of that status."""
        status = status_of(exc.code)
        if wants_json():
            return json_error(status, exc.code, translate(exc.message), exc.field_texts(gettext))
        return error_page(status, _messages().get(status, translate(exc.message)))

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        if wants_json():
            return json_error(400, "csrf", exc.description)
        return error_page(400, gettext("Your session expired or the form was sent twice. Please try again."))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        # Keep what the exception says about itself, such as Allow on a 405 (RFC 9110 §15.5.6).
        headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
        if wants_json():
            code = (exc.name or "error").lower().replace(" ", "_")
            return json_error(status, code, _messages().get(status, exc.description or exc.name), headers=headers)
        return error_page(status, _messages().get(status, exc.name), headers)


def _messages() -> dict[int, str]:
    return {
        400: gettext("The request could not be understood."),
        401: gettext("Please log in to continue."),
        403: gettext("You may not do that."),
        404: gettext("This page does not exist, or you may not see it."),
        405: gettext("That action is not possible here."),
        409: gettext("This was changed in the meantime."),
        413: gettext("The file is too large."),
        500: gettext("Something went wrong on our side. Your work is saved up to the last change."),
    }
