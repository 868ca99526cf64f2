"""What every JSON API blueprint shares: the /api/v1 prefix, authentication and CSRF rules, and the OpenAPI
document that flask-smorest generates from the schemas that check requests and shape answers (docs/architecture.md, Interfaces)."""

from __future__ import annotations

from typing import Any, NoReturn

import flask_smorest
from flask import Flask, current_app, json, request
from flask_login import current_user
from marshmallow import Schema, ValidationError
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import CombinedMultiDict

from .accounts.auth import bearer_token, token_user
from .domain_error import N_, DomainError
from .errors import ErrorSchema
from .extensions import csrf
from .fields import refused

PREFIX = "/api/v1"
OPEN_ENDPOINTS = {"api.openapi"}

# What each error status means for a program; every operation lists those it can answer (401 for all).
ERRORS = {
    400: "The body is not a JSON object, or the CSRF token is missing for a cookie session (`code: csrf`).",
    401: "Not logged in and no valid Bearer token: always JSON, never a redirect.",
    404: "No such resource, or one the caller may not see (existence is not revealed).",
    409: "The visit is not in a state that allows this (e.g. already submitted).",
    413: "The upload is larger than the request limit; the message names the limit in MB.",
    422: "Invalid input; `fields` names each refused parameter, field or standard with a message.",
    429: "Too many requests with a wrong Bearer token from this address; wait a minute.",
}

SECURITY_SCHEMES = {
    "session": {"type": "apiKey", "in": "cookie", "name": "session",
                "description": "The web session after logging in at /login."},
    "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRFToken",
             "description": "With a session cookie, state-changing requests need the token from the page's "
                            "<meta name=\"csrf-token\">."},
    "bearer": {"type": "http", "scheme": "bearer",
               "description": "A personal token from `flask users token EMAIL`; no CSRF token needed."},
}


def json_body() -> dict:
    """Read a JSON object body or answer 400 saying what was wrong."""
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # nested deeper than the parser's stack (`[[[[…` 50,000 deep): no client means that
        data = None
    if not isinstance(data, dict):
        raise DomainError("bad_json", N_("The request body must be a JSON object."))
    return data


class RequestParser(FlaskParser):
    """webargs reading requests the app's way: a JSON body through `json_body`, a multipart body as one mapping
    of fields and files, and every refusal as the one DomainError (errors.py makes it the envelope)."""

    __location_map__ = {**FlaskParser.__location_map__, "multipart": "load_multipart"}

    def load_json(self, req, schema: Schema) -> Any:
        if not req.content_length and not req.get_data(cache=True):
            return {}  # no body at all: what an operation with an optional body (start, submit) gets without one
        return json_body()

    def load_multipart(self, req, schema: Schema) -> Any:
        return self._makeproxy(CombinedMultiDict([req.files, req.form]), schema)

    def handle_error(self, error: ValidationError, req, schema: Schema, *, error_status_code: int | None,
                     error_headers: Any) -> NoReturn:
        """Key the messages by parameter or field path, without webargs' location level."""
        ((_location, messages),) = error.messages.items()
        refusal = getattr(schema, "refusal", None)
        if refusal is not None:  # a schema that knows better keys, such as answers by standard
            raise refusal(messages, error.data)
        raise refused(ValidationError(messages), getattr(schema, "REFUSED", N_("Some values are not valid.")))


class ApiBlueprint(flask_smorest.Blueprint):
    """A blueprint under /api/v1 that needs a user, checks CSRF for cookie sessions and documents itself."""

    ARGUMENTS_PARSER = RequestParser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {**flask_smorest.Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
                                             "multipart": "multipart/form-data"}

    def __init__(self, name: str, import_name: str, **kwargs: Any):
        super().__init__(name, import_name, url_prefix=PREFIX, **kwargs)
        csrf.exempt(self)  # checked below, where we know how the caller authenticated
        self.before_request(_authenticate)

    def _store_endpoint_docs(self, endpoint, obj, parameters, tags, **options):
        """Name each operation after its blueprint and view (and method, for a class view), so clients get stable
        operation ids."""
        super()._store_endpoint_docs(endpoint, obj, parameters, tags, **options)
        prefix = f"{self.name.removesuffix('_api')}.{endpoint}"
        for method, doc in self._docs[endpoint].items():
            if method != "parameters":
                operation_id = f"{prefix}.{method}" if isinstance(obj, type) else prefix
                doc.setdefault("manual_doc", {})["operationId"] = operation_id

    def refusals(self, *codes: int):
        """Document the error answers of an operation, each with the Error envelope."""
        def decorator(func):
            for code in sorted({401, 429, *codes}, reverse=True):
                func = self.alt_response(code, schema=ErrorSchema, description=ERRORS[code])(func)
            return func
        return decorator


def _authenticate():
    if request.endpoint in OPEN_ENDPOINTS:
        return
    if not current_user.is_authenticated:
        raise DomainError("unauthorized", N_("Log in or send a valid Bearer token."))
    # A browser cannot add an Authorization header cross-site, so only cookie sessions need the token.
    if bearer_token(request) is not None:
        # A token beside a session cookie counts only when it is the same user's: a wrong token must not
        # pass as a token call that skips CSRF.
        user = token_user(request)
        if user is None or user.id != current_user.id:
            raise DomainError("unauthorized", N_("The Bearer token is not valid."))
    else:
        csrf.protect()


class DocumentedApi(flask_smorest.Api):
    """flask-smorest for the document only: errors.py answers every error, and the document is itself an
    operation of the API (so it is listed, and open to all)."""

    ERROR_SCHEMA = ErrorSchema
    DEFAULT_ERROR_RESPONSE_NAME = None  # each operation lists the errors it really answers

    def _register_doc_blueprint(self) -> None:
        """Serve no documentation pages: the document is /api/v1/openapi.json, an operation of its own."""

    def _register_error_handlers(self) -> None:
        """Leave errors to errors.py, which keeps the API's one envelope."""

    def _register_pagination_header(self) -> None:
        """Document no pagination header: no list is paginated."""

    def _register_etag_headers(self) -> None:
        """Document no ETag headers: JSON answers carry none."""


def init_api(app: Flask, blueprints: list[ApiBlueprint]) -> None:
    """Register the API blueprints and build their OpenAPI 3.1 document."""
    api = DocumentedApi(app, spec_kwargs={
        "title": "auditapp API", "version": "1", "openapi_version": "3.1.0",
        "info": {"description": "Mystery-guest audits: visits, answers, photos, review and scores. Errors are JSON "
                                "`{\"error\": {\"code\", \"message\", \"fields\"}}` with a 4xx status."},
        "servers": [{"url": "/"}],
        "security": [{"session": [], "csrf": []}, {"bearer": []}],
    })
    for name, scheme in SECURITY_SCHEMES.items():
        api.spec.components.security_scheme(name, scheme)
    for blueprint in blueprints:
        api.register_blueprint(blueprint)


bp = ApiBlueprint("api", __name__, description="The API's own description.")


@bp.get("/openapi.json")
@bp.response(200, {"type": "object"}, description="The OpenAPI 3.1 document of /api/v1.")
@bp.doc(security=[])
def openapi():
    """Describe the API; open to all, like any published interface."""
    spec = current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec
    return current_app.response_class(json.dumps(spec.to_dict()), mimetype="application/json")
