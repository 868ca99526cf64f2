"""Error pages for people and JSON errors for programs (everything under /api/)."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


class ApiError(Exception):
    """A 4xx the API answers as `{"error": {"code", "message", "fields"}}`."""

    def __init__(self, status: int, code: str, message: str, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def json_error(status: int, code: str, message: str, fields: dict[str, Any] | None = None):
    body: dict[str, Any] = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return jsonify(error=body), status


def init_errors(app: Flask) -> None:
    from .visits.services import VisitError

    @app.errorhandler(VisitError)
    def visit_error(exc: VisitError):
        """The services' refusals: programs get them as JSON, people as the error page of that status."""
        if wants_json():
            return json_error(exc.status, exc.code, exc.message, exc.fields)
        return render_template("errors/error.html", code=exc.status,
                               message=_messages().get(exc.status, exc.message)), exc.status

    @app.errorhandler(ApiError)
    def api_error(exc: ApiError):
        body, status = json_error(exc.status, exc.code, exc.message, exc.fields)
        if status == 401:  # tells a program how to authenticate (RFC 9110)
            body.headers["WWW-Authenticate"] = 'Bearer realm="auditapp"'
        return body, status

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        message = _("Your session expired or the form was sent twice. Please try again.")
        if wants_json():
            return json_error(400, "csrf", exc.description)
        return render_template("errors/error.html", code=400, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if wants_json():
            return json_error(exc.code or 500, (exc.name or "error").lower().replace(" ", "_"),
                              _messages().get(exc.code, exc.description or exc.name))
        return render_template("errors/error.html", code=exc.code, message=_messages().get(exc.code, exc.name)), exc.code


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        403: _("You may not do that."),
        404: _("This page does not exist, or you may not see it."),
        405: _("That action is not possible here."),
        409: _("This was changed in the meantime."),
        413: _("The file is too large."),
        500: _("Something went wrong on our side. Your work is saved up to the last change."),
    }
