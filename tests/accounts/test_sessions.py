"""A login survives the phone changing network or browser string; logging out still ends it."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from auditapp.extensions import db
from auditapp.visits.models import Answer

from ..conftest import Auth

HOTEL_WIFI = {"REMOTE_ADDR": "192.0.2.10", "HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 14) Chrome/124"}
CHANGES = {
    "X-Forwarded-For": {"HTTP_X_FORWARDED_FOR": "198.51.100.7"},
    "REMOTE_ADDR": {"REMOTE_ADDR": "203.0.113.99"},
    "User-Agent": {"HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 14) Chrome/125"},
    "all at once": {"HTTP_X_FORWARDED_FOR": "198.51.100.7, 10.0.0.1", "REMOTE_ADDR": "203.0.113.99",
                    "HTTP_USER_AGENT": "Mozilla/5.0 (iPhone) Safari/17"},
}


class ServerLikeClient(FlaskClient):
    """Run each request in its own app context, as a server does.

    The `app` fixture keeps one app context pushed for the whole test, and Flask-Login caches the user in
    `g`, so plain test-client requests would never reload the user from the cookie and could not see a
    session being dropped. A new thread starts with empty context variables.
    """

    def open(self, *args, **kwargs):
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(super().open, *args, **kwargs).result()


def phone_client(app) -> FlaskClient:
    app.test_client_class = ServerLikeClient
    client = app.test_client()
    client.environ_base.update(HOTEL_WIFI)
    return client


@pytest.mark.parametrize("change", CHANGES)
def test_a_session_keeps_working_when_address_and_browser_change(app, factory, change):
    visit = factory.visit()
    client = phone_client(app)
    auth = Auth(client)
    auth.login(visit.auditor)
    assert client.get("/auditor", follow_redirects=True).request.path == "/visits/"

    client.environ_base.update(CHANGES[change])  # the phone moved from the hotel wifi to 4G
    page = client.get(f"/visits/{visit.id}/briefing")
    assert page.status_code == 200
    saved = auth.api("PUT", f"/api/v1/visits/{visit.id}/answers",
                     json={"answers": [{"standard": "greeted", "value": "yes"}]})
    assert saved.status_code == 200, saved.json
    rows = db.session.scalars(sa.select(Answer).where(Answer.visit_id == visit.id))
    assert [(a.standard_key, a.value) for a in rows] == [("greeted", "yes")]
    assert client.get("/auditor", follow_redirects=True).request.path == "/visits/"


def test_logging_out_still_ends_the_session_from_any_address(app, factory):
    user = factory.user("auditor")
    client = phone_client(app)
    auth = Auth(client)
    auth.login(user)
    client.environ_base.update(CHANGES["all at once"])
    assert client.post("/logout", data={"csrf_token": auth.csrf}).status_code == 302
    assert client.get("/auditor").headers["Location"].startswith("/login")
