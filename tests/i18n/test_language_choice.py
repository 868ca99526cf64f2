"""Which language a page speaks: the user's setting, else the login page's switch, else Accept-Language, else English."""

from __future__ import annotations

import re

import pytest

from auditapp.accounts.models import User
from auditapp.extensions import db

from ..conftest import CSRF_META

DUTCH = {"Accept-Language": "nl-NL,nl;q=0.9,en;q=0.5"}


def lang_of(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.get_data(as_text=True)).group(1)


def test_the_login_page_follows_accept_language(client):
    assert lang_of(client.get("/login", headers=DUTCH)) == "nl"
    page = client.get("/login", headers=DUTCH).get_data(as_text=True)
    assert "Inloggen" in page and "Log in" not in page
    assert lang_of(client.get("/login", headers={"Accept-Language": "de-DE,fr;q=0.8"})) == "en"
    assert lang_of(client.get("/login")) == "en"


def test_the_login_pages_switch_is_kept_by_the_browser_and_beats_accept_language(client):
    token = CSRF_META.search(client.get("/login").get_data(as_text=True)).group(1)
    response = client.post("/language", data={"language": "nl", "next": "/reports/", "csrf_token": token})
    assert response.status_code == 302 and response.location.endswith("/login?next=/reports/")
    cookie = client.get_cookie("language")
    assert cookie.value == "nl" and cookie.http_only
    assert lang_of(client.get("/login", headers={"Accept-Language": "en"})) == "nl"
    assert client.post("/language", data={"language": "xx", "csrf_token": token}).status_code == 400
    assert client.post("/language", data={"language": "en"}).status_code == 400  # no CSRF token
    assert client.get_cookie("language").value == "nl"


def test_the_users_setting_wins_over_accept_language_and_can_follow_the_browser_again(client, auth, factory):
    user = factory.user("manager")
    auth.login(user)
    assert lang_of(client.get("/account", headers=DUTCH)) == "nl"  # no setting yet: the browser's language

    page = client.post("/account", data={"language-language": "en", "language-save_language": "1",
                                         "language-csrf_token": auth.csrf}, follow_redirects=True)
    assert "Language saved." in page.get_data(as_text=True)
    assert db.session.get(User, user.id).language == "en"
    assert lang_of(client.get("/account", headers=DUTCH)) == "en"

    page = client.post("/account", data={"language-language": "nl", "language-save_language": "1",
                                         "language-csrf_token": auth.csrf}, follow_redirects=True)
    assert "Taal opgeslagen." in page.get_data(as_text=True)  # said in the language just chosen
    assert lang_of(client.get("/account", headers={"Accept-Language": "en"})) == "nl"
    assert client.get_cookie("language").value == "nl"  # the login page speaks it after logging out

    client.post("/account", data={"language-language": "browser", "language-save_language": "1",
                                  "language-csrf_token": auth.csrf})
    assert db.session.get(User, user.id).language is None
    assert lang_of(client.get("/account", headers={"Accept-Language": "en"})) == "en"


@pytest.mark.parametrize("value", ["xx", "", "nl\x00", "nl" * 40])
def test_a_bad_language_is_refused_at_its_field_and_changes_nothing(client, auth, factory, value):
    user = factory.user("auditor")
    auth.login(user)
    response = client.post("/account", data={"language-language": value, "language-save_language": "1",
                                             "language-csrf_token": auth.csrf})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="language-language-error"' in page and 'href="#language-language"' in page
    assert db.session.get(User, user.id).language is None


def test_a_program_with_a_token_reads_its_accept_language(client, factory):
    from auditapp.accounts.services import issue_token

    user = factory.user("manager")
    user.language = "en"
    db.session.commit()
    token = issue_token(user.email, "test")
    said = {}
    for language, headers in (("en", {"Accept-Language": "en"}), ("nl", DUTCH)):
        response = client.get("/api/v1/visits/999999", headers={"Authorization": f"Bearer {token}", **headers})
        assert response.status_code == 404
        said[language] = response.get_json()["error"]["message"]
    assert said["en"] != said["nl"]  # the program's Accept-Language, not the user's setting
