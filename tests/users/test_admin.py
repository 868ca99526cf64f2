"""User administration: create with a one-time link, change role and a manager's branches or regions, deactivate
(sessions and tokens stop at once), reset — admins only, each change in the audit log."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from auditapp.accounts.models import User
from auditapp.accounts.services import create_token
from auditapp.audit.models import AuditEntry
from auditapp.extensions import db

from ..accounts.test_revocation import STRONG, captured, replay
from ..conftest import Auth
from ..accounts.test_sessions import phone_client

LINK = re.compile(r'id="password-link">https?://[^/]+(/password/[^<]+)<')


def test_an_admin_adds_a_user_who_sets_their_own_password_through_the_link(app, factory, auth):
    branch = factory.branch("AMS")
    auth.login(factory.user("admin"))
    page = auth.client.post("/admin/users/new", data={
        "csrf_token": auth.csrf, "email": "Mia@Example.test", "name": "Mia Jansen", "role": "manager",
        "branches": [str(branch.id)], "save": "1"}).get_data(as_text=True)
    path = LINK.search(page).group(1)
    mia = db.session.scalar(sa.select(User).where(User.email == "mia@example.test"))
    assert mia.password_hash is None and [b.code for b in mia.branches] == ["AMS"]
    newcomer = phone_client(app)
    form = newcomer.get(path)
    assert form.status_code == 200 and "Mia Jansen" in form.get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form.get_data(as_text=True)).group(1)
    weak = newcomer.post(path, data={"csrf_token": token, "password": "mia jansen", "set_password": "1"})
    assert weak.status_code == 422 and "too easy to guess" in weak.get_data(as_text=True)
    assert newcomer.post(path, data={"csrf_token": token, "password": STRONG, "set_password": "1"}).status_code == 302
    assert newcomer.get(path).status_code == 404  # once only
    db.session.expire_all()
    assert Auth(phone_client(app)).login(mia, STRONG).status_code == 302
    assert [e.action for e in db.session.scalars(sa.select(AuditEntry).where(AuditEntry.subject == "user"))] == [
        "user_created"]


def test_an_email_is_unique_whatever_its_case(factory, auth):
    factory.user("auditor", email="taken@example.test")
    auth.login(factory.user("admin"))
    response = auth.client.post("/admin/users/new", data={"csrf_token": auth.csrf, "email": "TAKEN@example.test",
                                                          "name": "X", "role": "hr", "save": "1"})
    assert response.status_code == 422 and "exists already" in response.get_data(as_text=True)


def test_deactivating_stops_sessions_and_tokens_at_once(app, factory, auth):
    victim = factory.visit().auditor
    token = create_token(victim, "script")
    _client, _auth, cookie = captured(app, victim)
    auth.login(factory.user("admin"))
    response = auth.client.post(f"/admin/users/{victim.id}", data={"access-csrf_token": auth.csrf,
                                                                   "access-deactivate": "1"})
    assert response.status_code == 302
    assert replay(app, cookie).get("/api/v1/visits").status_code == 401
    assert phone_client(app).get("/api/v1/visits", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert Auth(phone_client(app)).login(victim).status_code == 422
    actions = [e.action for e in db.session.scalars(sa.select(AuditEntry).where(AuditEntry.subject == "user", AuditEntry.subject_id == victim.id))]
    assert actions == ["user_deactivated"]


def test_changing_a_managers_regions_and_role(factory, auth):
    north = factory.branch("GRO", region="North")
    manager = factory.user("manager")
    admin = factory.user("admin")
    auth.login(admin)
    response = auth.client.post(f"/admin/users/{manager.id}", data={
        "csrf_token": auth.csrf, "email": manager.email, "name": manager.name, "role": "manager",
        "regions": [str(north.region_id)], "save": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    assert [r.name for r in manager.regions] == ["North"]
    refused = auth.client.post(f"/admin/users/{manager.id}", data={
        "csrf_token": auth.csrf, "email": manager.email, "name": manager.name, "role": "auditor",
        "regions": [str(north.region_id)], "save": "1"})
    assert refused.status_code == 422 and "only managers" in refused.get_data(as_text=True)
    assert auth.client.post(f"/admin/users/{admin.id}", data={"access-csrf_token": auth.csrf,
                                                              "access-deactivate": "1"}).status_code == 409


def test_a_reset_link_replaces_the_previous_one(app, factory, auth):
    user = factory.user("hr")
    auth.login(factory.user("admin"))
    first = LINK.search(auth.client.post(f"/admin/users/{user.id}", data={
        "access-csrf_token": auth.csrf, "access-reset": "1"}).get_data(as_text=True)).group(1)
    second = LINK.search(auth.client.post(f"/admin/users/{user.id}", data={
        "access-csrf_token": auth.csrf, "access-reset": "1"}).get_data(as_text=True)).group(1)
    stranger = phone_client(app)
    assert stranger.get(first).status_code == 404 and stranger.get(second).status_code == 200


def test_the_list_searches_name_and_email_literally(factory, auth):
    factory.user("auditor", name="Anna 100%", email="anna@example.test")
    factory.user("auditor", name="Bert", email="bert@example.test")
    auth.login(factory.user("admin"))
    page = auth.client.get("/admin/users/?q=100%25").get_data(as_text=True)
    assert "Anna 100%" in page and "Bert" not in page
    assert "Bert" in auth.client.get("/admin/users/?q=BERT@").get_data(as_text=True)


@pytest.mark.parametrize("role", ["manager", "auditor", "hr"])
def test_only_admins_manage_users(factory, auth, role):
    auth.login(factory.user(role))
    assert auth.client.get("/admin/users/").status_code == 404
    assert auth.client.get("/admin/users/new").status_code == 404


@pytest.mark.parametrize("secret", ["nope", "x" * 300, "%00", "..%2f"])
def test_a_bad_link_is_a_plain_404(client, secret):
    assert client.get(f"/password/{secret}").status_code == 404


def test_a_search_with_a_nul_or_a_lone_surrogate_is_no_error(factory, auth):
    factory.user("auditor", name="Bert")
    auth.login(factory.user("admin"))
    for query in ("%00", "a%00b", "%ED%A0%80", "B%00ert"):
        response = auth.client.get(f"/admin/users/?q={query}")
        assert response.status_code == 200
    assert "Bert" in auth.client.get("/admin/users/?q=B%00ert").get_data(as_text=True)
