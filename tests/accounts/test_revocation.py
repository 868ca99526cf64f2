"""Revocable sessions and tokens: a cookie copied before logout, deactivation or a password change gets no data,
a revoked or expired token gets 401; failed logins are limited per account and per address, in the same time
for unknown emails; cookies and caches are kept safe."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import request

from auditapp.accounts import services
from auditapp.accounts.services import create_token
from auditapp.clock import utcnow
from auditapp.extensions import db
from auditapp.policy import ANYONE, POLICY

from ..conftest import Auth
from ..factories import PASSWORD
from .test_sessions import phone_client

STRONG = "harbour lantern quietly"


def captured(app, user) -> tuple:
    """A logged-in client and a copy of its session cookie, as an attacker would keep it."""
    client = phone_client(app)
    auth = Auth(client)
    auth.login(user)
    cookie = client.get_cookie("session").value
    return client, auth, cookie


def replay(app, cookie: str):
    thief = phone_client(app)
    thief.set_cookie("session", cookie)
    return thief


@pytest.mark.parametrize("how", ["logout", "deactivate", "password"])
def test_a_cookie_captured_before_gets_no_data(app, factory, how):
    visit = factory.visit()
    user = visit.auditor
    client, auth, cookie = captured(app, user)
    assert replay(app, cookie).get("/api/v1/visits").status_code == 200  # the copy works while the session does
    if how == "logout":
        client.post("/logout", data={"csrf_token": auth.csrf})
    elif how == "deactivate":
        user.active = False
        db.session.commit()
        services.end_sessions(user)
    else:
        response = client.post("/account", data={"pw-csrf_token": auth.csrf, "pw-current": PASSWORD,
                                                  "pw-new": STRONG, "pw-change_password": "1"})
        assert response.status_code == 302
        assert client.get("/account").status_code == 200  # the session that changed it goes on
    thief = replay(app, cookie)
    assert thief.get("/api/v1/visits").status_code == 401
    assert thief.get(f"/visits/{visit.id}").headers["Location"].startswith("/login")


def test_a_password_change_revokes_every_token(app, factory):
    user = factory.user("auditor")
    token = create_token(user, "laptop")
    headers = {"Authorization": f"Bearer {token}"}
    assert phone_client(app).get("/api/v1/visits", headers=headers).status_code == 200
    services.change_password(user, PASSWORD, STRONG)
    assert phone_client(app).get("/api/v1/visits", headers=headers).status_code == 401


def test_revoked_and_expired_tokens_get_401(app, factory, monkeypatch):
    user = factory.user("auditor")
    kept, revoked = create_token(user, "kept"), create_token(user, "revoked")
    expiring = create_token(user, "soon", utcnow() + timedelta(hours=1))
    row = next(t for t in user.tokens if t.name == "revoked")
    services.revoke_token(user, row.id)
    client = phone_client(app)
    assert client.get("/api/v1/visits", headers={"Authorization": f"Bearer {kept}"}).status_code == 200
    assert client.get("/api/v1/visits", headers={"Authorization": f"Bearer {revoked}"}).status_code == 401
    assert client.get("/api/v1/visits", headers={"Authorization": f"Bearer {expiring}"}).status_code == 200
    later = utcnow() + timedelta(hours=2)
    monkeypatch.setattr("auditapp.accounts.services.utcnow", lambda: later)
    assert client.get("/api/v1/visits", headers={"Authorization": f"Bearer {expiring}"}).status_code == 401


def test_the_account_page_makes_lists_and_revokes_tokens(app, factory, auth):
    user = factory.user("manager")
    auth.login(user)
    made = auth.client.post("/account", data={"token-csrf_token": auth.csrf, "token-name": "Power BI",
                                              "token-create_token": "1"})
    page = made.get_data(as_text=True)
    assert made.status_code == 200 and "Power BI" in page and 'id="new-token">aud_' in page
    token_id = user.tokens[0].id
    assert auth.client.post("/account", data={"revoke-csrf_token": auth.csrf, "revoke-token": str(token_id),
                                              "revoke-revoke": "1"}).status_code == 302
    db.session.expire_all()
    assert user.tokens[0].revoked_at is not None
    past = auth.client.post("/account", data={"token-csrf_token": auth.csrf, "token-expires": "2020-01-01",
                                              "token-create_token": "1"})
    assert past.status_code == 422 and "choose a day in the future" in past.get_data(as_text=True)


@pytest.mark.parametrize("current, new, message", [
    ("wrong password", STRONG, "is not your current password"),
    (PASSWORD, "short", "use at least 10 characters"),
    (PASSWORD, "password1234", "too easy to guess"),
])
def test_a_password_change_is_refused_at_the_field_with_the_reason(factory, auth, current, new, message):
    auth.login(factory.user("hr"))
    response = auth.client.post("/account", data={"pw-csrf_token": auth.csrf, "pw-current": current, "pw-new": new,
                                                   "pw-change_password": "1"})
    assert response.status_code == 422 and message in response.get_data(as_text=True)


@pytest.mark.parametrize("known", [True, False])
def test_the_eleventh_wrong_password_in_a_minute_is_refused_for_known_and_unknown_emails(app, factory, known):
    user = factory.user("auditor")
    email = user.email if known else "nobody@example.test"
    client = phone_client(app)
    client.environ_base["REMOTE_ADDR"] = "192.0.2.50"
    auth = Auth(client)
    for _attempt in range(10):
        response = client.post("/login", data={"email": email, "password": "not it",
                                               "csrf_token": auth_token(client)})
        assert response.status_code == 422
    eleventh = client.post("/login", data={"email": email, "password": "not it", "csrf_token": auth_token(client)})
    assert eleventh.status_code == 429 and "Too many failed attempts" in eleventh.get_data(as_text=True)
    # Even the right password waits now: the account is being guessed at.
    if known:
        right = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": auth_token(client)})
        assert right.status_code == 429
    # Another address trying another account is not held up.
    other = phone_client(app)
    other.environ_base["REMOTE_ADDR"] = "198.51.100.1"
    assert Auth(other).login(factory.user("auditor")).status_code == 302


def auth_token(client) -> str:
    from ..conftest import CSRF_META

    return CSRF_META.search(client.get("/login").get_data(as_text=True)).group(1)


def test_an_unknown_email_is_checked_against_a_hash_like_a_known_one(app, factory, monkeypatch):
    calls = []
    real = services.check_password_hash
    monkeypatch.setattr(services, "check_password_hash", lambda h, p: calls.append(h) or real(h, p))
    assert services.authenticate("nobody@example.test", "whatever") is None
    assert len(calls) == 1 and calls[0].startswith("scrypt:")


def test_wrong_bearer_tokens_are_limited_per_address_with_429_json(app, factory):
    client = phone_client(app)
    client.environ_base["REMOTE_ADDR"] = "192.0.2.77"
    for _attempt in range(10):
        assert client.get("/api/v1/visits", headers={"Authorization": "Bearer aud_wrong"}).status_code == 401
    refused = client.get("/api/v1/visits", headers={"Authorization": "Bearer aud_wrong"})
    assert refused.status_code == 429 and refused.get_json()["error"]["code"] == "too_many"


def test_https_makes_cookies_secure_and_sends_hsts(make_app, database_url, factory):
    app = make_app(database_url, HTTPS=True)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    with app.app_context():
        response = app.test_client().get("/login", base_url="https://audit.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    cookie = response.headers.get("Set-Cookie", "")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_proxy_fix_trusts_the_configured_number_of_proxies(make_app, database_url, monkeypatch):
    app = make_app(database_url, PROXY_FIX=1)
    seen = []
    app.add_url_rule("/whoami", "whoami", lambda: seen.append((request.remote_addr, request.scheme)) or "ok")
    monkeypatch.setitem(POLICY, "whoami", ANYONE)
    app.test_client().get("/whoami", headers={"X-Forwarded-For": "203.0.113.5", "X-Forwarded-Proto": "https"})
    assert seen == [("203.0.113.5", "https")]


@pytest.mark.parametrize("path, cached", [("/login", False), ("/api/v1/openapi.json", False),
                                          ("/static/css/app.css", True)])
def test_pages_and_json_are_not_stored_but_static_files_may_be(client, path, cached):
    header = client.get(path).headers.get("Cache-Control", "")
    assert ("no-store" in header) is not cached
