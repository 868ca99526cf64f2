"""The access policy: every route has one, a route without one is closed, and roles outside it get 404."""

from __future__ import annotations

import pytest
from flask import Flask

from auditapp.policy import ANYONE, POLICY, allowed
from auditapp.vocabulary import Role


def test_every_route_declares_who_may_use_it(app: Flask):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - POLICY.keys() == set(), "routes without an access policy (add them to auditapp/policy.py)"
    assert POLICY.keys() - endpoints == set(), "policies for routes that do not exist"


def test_a_route_without_a_policy_answers_404_to_everyone(app: Flask, factory, auth):
    app.add_url_rule("/forgotten", "forgotten", lambda: "secret")
    assert auth.client.get("/forgotten").status_code == 404
    auth.login(factory.user("admin"))
    assert auth.client.get("/forgotten").status_code == 404
    assert not allowed("forgotten", Role.ADMIN)


def test_anyone_is_not_the_same_as_nobody():
    assert allowed("accounts.login", None)
    assert POLICY["accounts.login"] is ANYONE and frozenset() is not ANYONE
    assert not allowed("audit.log", None)
    assert not allowed("audit.log", None) and not allowed("audit.log", Role.MANAGER) and allowed("audit.log", Role.ADMIN)


@pytest.mark.parametrize("role", [Role.MANAGER, Role.AUDITOR, Role.HR])
def test_a_role_outside_the_policy_gets_404_not_403(factory, auth, role):
    auth.login(factory.user(role))
    assert auth.client.get("/admin/").status_code == 404
    assert auth.client.get("/api/v1/exports/answers.csv").status_code == (200 if role != Role.AUDITOR else 404)


def test_anonymous_people_are_sent_to_login_and_programs_get_401(client):
    response = client.get("/admin/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    response = client.get("/api/v1/visits")
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"
