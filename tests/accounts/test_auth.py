"""Login, logout, role homes and their guards, safe `next` redirects and CSRF on the forms."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

import pytest
import sqlalchemy as sa

from auditapp.accounts.models import User
from auditapp.accounts.services import NewUser, add_user, authenticate
from auditapp.accounts.views import safe_next
from auditapp.extensions import db

from ..conftest import CSRF_META
from ..factories import PASSWORD

HOMES = {"auditor": "/auditor", "manager": "/manager", "hr": "/hr", "admin": "/admin"}


def csrf_token(client, url: str = "/login") -> str:
    return CSRF_META.search(client.get(url).get_data(as_text=True)).group(1)


def post_login(client, email: str, password: str, url: str = "/login", **kwargs):
    return client.post(url, data={"email": email, "password": password, "csrf_token": csrf_token(client)}, **kwargs)


def location(response) -> str:
    parts = urlsplit(response.headers["Location"])
    return parts.path + (f"?{unquote(parts.query)}" if parts.query else "")


def visited(response) -> list[str]:
    """The paths a followed request went through, the final one last."""
    return [r.request.path for r in response.history] + [response.request.path]


def reaches(client, path: str) -> bool:
    """Tell whether a page (and wherever it redirects) opens for this client rather than asking for a login."""
    response = client.get(path, follow_redirects=True)
    return response.status_code == 200 and response.request.path != "/login"


def is_logged_in(client) -> bool:
    return reaches(client, "/")


def test_login_page(client):
    response = client.get("/login")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>Log in</h1>" in page
    assert 'name="email"' in page and 'type="password"' in page
    assert 'name="csrf_token"' in page


def test_wrong_password_reshows_the_form_with_the_error_at_the_field(client, factory):
    user = factory.user("auditor")
    response = post_login(client, user.email, "not the password")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    field = re.search(r'<div class="field has-error">(.*?)</div>', page, re.S).group(1)
    assert 'name="password"' in field
    assert "Email or password is not right." in field
    assert f'value="{user.email}"' in page       # the email is kept
    assert "not the password" not in page        # the password is not
    assert not is_logged_in(client)


def test_unknown_email_gives_the_same_answer(client):
    response = post_login(client, "nobody@example.test", "whatever")
    assert response.status_code == 422
    assert "Email or password is not right." in response.get_data(as_text=True)


def test_empty_form_shows_required_errors(client):
    response = client.post("/login", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 422
    assert response.get_data(as_text=True).count('class="field-error"') == 2


def test_user_text_is_escaped(client):
    response = post_login(client, '"><script>alert(1)</script>', "x")
    page = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page or "&#34;&gt;&lt;script&gt;" in page


@pytest.mark.parametrize("role", HOMES)
def test_login_lands_on_the_roles_home(client, factory, role):
    user = factory.user(role)
    response = post_login(client, user.email.upper(), PASSWORD, follow_redirects=True)
    assert response.status_code == 200
    assert HOMES[role] in visited(response)


@pytest.mark.parametrize("role", HOMES)
def test_each_home_only_for_its_role(client, auth, factory, role):
    auth.login(factory.user(role))
    for other, path in HOMES.items():
        status = client.get(path, follow_redirects=True).status_code
        assert status == (200 if other == role else 404), (role, path)


@pytest.mark.parametrize("path", [*HOMES.values(), "/"])
def test_anonymous_is_sent_to_login_with_next(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert location(response) == f"/login?next={path}"


def test_next_keeps_the_query_string(client):
    response = client.get("/admin?tab=users")
    assert location(response) == "/login?next=/admin?tab=users"


def test_logged_in_user_visiting_login_goes_home(client, auth, factory):
    auth.login(factory.user("hr"))
    response = client.get("/login", follow_redirects=True)
    assert "/hr" in visited(response)


def test_local_next_is_followed(client, factory):
    user = factory.user("admin")
    response = post_login(client, user.email, PASSWORD, url="/login?next=/admin%3Ftab%3Dusers")
    assert response.status_code == 302
    assert location(response) == "/admin?tab=users"


@pytest.mark.parametrize("target", ["//evil.test", "https://evil.test/x", "/\\evil.test", "\\\\evil.test",
                                    "/\t/evil.test", "/\x0c/evil.test", "javascript:alert(1)", "evil.test", " //evil.test",
                                    "///evil.test", "http:/evil.test"])
def test_unsafe_next_is_refused(client, factory, target):
    assert safe_next(target) is None
    user = factory.user("manager")
    response = client.post("/login", query_string={"next": target},
                           data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(client)})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_logout_is_a_post_with_csrf(client, auth, factory):
    auth.login(factory.user("auditor"))
    assert client.get("/logout").status_code == 405
    refused = client.post("/logout")
    assert refused.status_code == 400
    assert "Your session expired" in refused.get_data(as_text=True)
    assert reaches(client, "/auditor")                          # still logged in
    done = client.post("/logout", data={"csrf_token": auth.csrf}, follow_redirects=True)
    assert done.request.path == "/login"
    assert "You are logged out." in done.get_data(as_text=True)
    assert not reaches(client, "/auditor")


def test_login_form_needs_the_csrf_token(client, factory):
    user = factory.user("auditor")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert not reaches(client, "/auditor")                      # not logged in
    wrong = client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": "forged"})
    assert wrong.status_code == 400


def test_inactive_user_cannot_log_in(client, factory):
    user = factory.user("auditor")
    user.active = False
    db.session.commit()
    response = post_login(client, user.email, PASSWORD)
    assert response.status_code == 422
    assert authenticate(user.email, PASSWORD) is None


def test_deactivated_user_loses_the_session(client, auth, factory):
    user = factory.user("auditor")
    auth.login(user)
    assert reaches(client, "/auditor")
    user.active = False
    db.session.commit()
    assert not reaches(client, "/auditor")


def test_passwords_are_stored_as_scrypt_hashes(app):
    user = add_user(NewUser(email="new@example.test", name="New", role="hr", password="a long password"))
    stored = db.session.scalar(sa.select(User.password_hash).where(User.id == user.id))
    assert stored.startswith("scrypt:")
    assert "a long password" not in stored
    assert authenticate("NEW@example.test ", "a long password").id == user.id
    assert authenticate("new@example.test", "a long passwor") is None


def test_user_without_password_cannot_log_in(app, factory):
    user = factory.user("auditor")
    user.password_hash = None
    db.session.commit()
    assert authenticate(user.email, "") is None
    assert authenticate(user.email, PASSWORD) is None


def test_auditor_is_shown_as_a_pseudonym(factory):
    user = factory.user("auditor", name="Anna de Vries")
    assert user.pseudonym == f"Guest {user.id}"
    assert "Anna" not in user.pseudonym
