"""The generated OpenAPI document lists exactly the routes the app serves, with their errors and limits."""

from __future__ import annotations

import re

import pytest

from auditapp.converters import MAX_ID
from auditapp.photos.schemas import MAX_CAPTION
from auditapp.visits.schemas import MAX_COMMENT, MAX_MINUTES, MAX_STAFF_NAME

HTTP_METHODS = {"get", "put", "post", "patch", "delete"}
ERROR = {"$ref": "#/components/schemas/Error"}


@pytest.fixture
def spec(client):
    response = client.get("/api/v1/openapi.json")  # no login: a published interface
    assert response.status_code == 200 and response.is_json
    return response.json


def served_routes(app) -> dict[str, set[str]]:
    """Every /api/v1 rule with its methods, in OpenAPI path syntax (/visits/{visit_id})."""
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1"):
            path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule)
            routes.setdefault(path, set()).update(m.lower() for m in rule.methods - {"HEAD", "OPTIONS"})
    return routes


def operations(spec):
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in HTTP_METHODS:
                yield path, method, op, item.get("parameters", []) + op.get("parameters", [])


def test_every_served_route_is_described_and_nothing_else(app, spec):
    described = {path: {m for m in ops if m in HTTP_METHODS} for path, ops in spec["paths"].items()}
    assert described == served_routes(app)


def test_document_is_openapi_3_1_with_security_and_the_error_envelope(spec):
    assert spec["openapi"] == "3.1.0"
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearer"] == {**schemes["bearer"], "type": "http", "scheme": "bearer"}
    assert schemes["csrf"]["in"] == "header" and schemes["csrf"]["name"] == "X-CSRFToken"
    assert schemes["session"]["in"] == "cookie"
    assert spec["security"] == [{"session": [], "csrf": []}, {"bearer": []}]
    schemas = spec["components"]["schemas"]
    assert schemas["Error"]["required"] == ["error"]
    detail = schemas["ErrorDetail"]
    assert set(detail["properties"]) == {"code", "message", "fields"} and detail["required"] == ["code", "message"]
    assert spec["paths"]["/api/v1/openapi.json"]["get"]["security"] == []


def test_every_operation_documents_its_errors_with_the_envelope(spec):
    schemas = spec["components"]["schemas"]
    refs = re.findall(r"'\$ref': '#/components/schemas/([A-Za-z]+)'", str(spec))
    assert refs and all(name in schemas for name in refs)
    ids = []
    for path, method, op, parameters in operations(spec):
        ids.append(op["operationId"])
        errors = {code: response for code, response in op["responses"].items() if code >= "400"}
        if path != "/api/v1/openapi.json":
            assert "401" in errors, (path, method)
        for code, response in errors.items():
            assert response["content"] == {"application/json": {"schema": ERROR}}, (path, method, code)
        if "requestBody" in op or any(p["in"] == "query" for p in parameters):
            assert "422" in errors, (path, method)
        for name in re.findall(r"{([a-z_]+)}", path):
            (param,) = [p for p in parameters if p["name"] == name and p["in"] == "path"]
            assert param["schema"] == {"type": "integer", "minimum": 0, "maximum": MAX_ID}
            assert "404" in errors, (path, method)
    assert len(ids) == len(set(ids))


def test_limits_show_in_the_document(spec):
    schemas = spec["components"]["schemas"]
    body = schemas["SaveAnswers"]["properties"]
    assert body["remarks"]["maxLength"] == MAX_COMMENT
    assert (body["duration_minutes"]["minimum"], body["duration_minutes"]["maximum"]) == (0, MAX_MINUTES)
    assert schemas["StaffNote"]["properties"]["name"]["maxLength"] == MAX_STAFF_NAME
    assert schemas["AnswerChange"]["properties"]["comment"]["maxLength"] == MAX_COMMENT
    assert schemas["Review"]["properties"]["comment"]["maxLength"] == MAX_COMMENT
    assert schemas["Review"]["properties"]["decision"]["enum"] == ["approve", "return"]
    upload = spec["paths"]["/api/v1/visits/{visit_id}/photos"]["post"]["requestBody"]["content"]
    multipart = schemas[upload["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[1]]
    assert multipart["required"] == ["file"]
    assert multipart["properties"]["caption"]["maxLength"] == MAX_CAPTION
    assert multipart["properties"]["client_id"]["format"] == "uuid"
    assert multipart["properties"]["file"]["format"] == "binary"
    listing = spec["paths"]["/api/v1/visits"]["get"]["parameters"]
    status = next(p for p in listing if p["name"] == "status")
    assert status["schema"]["enum"] == ["scheduled", "in_progress", "submitted", "returned", "approved", "cancelled"]


def test_documented_answers_example_is_accepted_by_the_real_endpoint(auth, factory, spec):
    visit = factory.visit()
    auth.login(visit.auditor)
    content = spec["paths"]["/api/v1/visits/{visit_id}/answers"]["put"]["requestBody"]["content"]
    example = content["application/json"]["example"]
    response = auth.api("PUT", f"/api/v1/visits/{visit.id}/answers", json=example)
    assert response.status_code == 200, response.json
    schemas = spec["components"]["schemas"]
    assert set(schemas["VisitSummary"]["required"]) < set(schemas["Visit"]["required"])
    assert set(schemas["Saved"]["required"]) == set(response.json)  # the acknowledgement, not the whole visit
    assert set(schemas["Photo"]["required"]) >= {"id", "client_id", "standard", "url", "thumbnail_url"}


def test_the_test_client_refuses_an_answer_the_document_does_not_describe(make_app, database_url):
    """Every API test checks its answers against the document; an undescribed field must fail them."""
    from flask import json, request

    from auditapp.accounts.services import issue_token
    from auditapp.extensions import db

    from .conftest import DocumentedClient
    from .factories import Factory

    app = make_app(database_url)

    @app.after_request
    def add_a_field(response):
        if request.headers.get("X-Test") == "secret":
            response.set_data(json.dumps([{**row, "secret": 1} for row in response.json]))
        return response

    with app.app_context():
        factory = Factory()
        headers = {"Authorization": f"Bearer {issue_token(factory.user('admin').email)}"}
        factory.branch()
        app.test_client_class = DocumentedClient
        client = app.test_client()
        assert client.get("/api/v1/branches", headers=headers).status_code == 200
        with pytest.raises(Exception, match="secret"):
            client.get("/api/v1/branches", headers={**headers, "X-Test": "secret"})
        db.session.remove()
        db.engine.dispose()
