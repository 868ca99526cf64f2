"""The OpenAPI document matches the routes the app really serves, and its examples pass the real checks."""

from __future__ import annotations

import re

import pytest

HTTP_METHODS = {"get", "put", "post", "patch", "delete"}


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


def test_every_served_route_is_described_and_nothing_else(app, spec):
    described = {path: {m for m in ops if m in HTTP_METHODS} for path, ops in spec["paths"].items()}
    assert described == served_routes(app)


def test_document_is_openapi_3_1_with_security_and_errors(spec):
    assert spec["openapi"] == "3.1.0"
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearer"] == {**schemes["bearer"], "type": "http", "scheme": "bearer"}
    assert schemes["csrf"]["in"] == "header" and schemes["csrf"]["name"] == "X-CSRFToken"
    assert schemes["session"]["in"] == "cookie"
    error = spec["components"]["schemas"]["Error"]["properties"]["error"]
    assert set(error["properties"]) == {"code", "message", "fields"}


def test_every_reference_resolves_and_every_operation_answers_errors(spec):
    schemas = spec["components"]["schemas"]
    refs = re.findall(r'"\$ref": "#/components/schemas/([A-Za-z]+)"', str(spec).replace("'", '"'))
    assert refs and all(name in schemas for name in refs)
    ids = []
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            ids.append(op["operationId"])
            assert op["responses"], (path, method)
            if path != "/api/v1/openapi.json":
                assert "401" in op["responses"], (path, method)
            for param in re.findall(r"{([a-z_]+)}", path):
                assert any(p["name"] == param and p["in"] == "path" for p in op["parameters"]), (path, param)
    assert len(ids) == len(set(ids))


def test_documented_answers_example_is_accepted_by_the_real_endpoint(auth, factory, spec):
    visit = factory.visit()
    auth.login(visit.auditor)
    example = spec["components"]["schemas"]["AnswersUpdate"]["examples"][0]
    response = auth.api("PUT", f"/api/v1/visits/{visit.id}/answers", json=example)
    assert response.status_code == 200, response.json
    schemas = spec["components"]["schemas"]
    assert schemas["Visit"]["allOf"][0] == {"$ref": "#/components/schemas/VisitSummary"}
    required = schemas["VisitSummary"]["required"] + schemas["Visit"]["allOf"][1]["required"]
    assert set(required) <= set(response.json)
    photo_required = spec["components"]["schemas"]["Photo"]["required"]
    assert photo_required == ["id", "client_id", "standard", "url", "thumbnail_url"]
