"""How the JSON API authenticates: 401 JSON for strangers, Bearer tokens without CSRF, cookies with it."""

from __future__ import annotations

import sqlalchemy as sa

from auditapp.accounts.models import ApiToken
from auditapp.accounts.services import issue_token
from auditapp.extensions import db

ANSWER = {"answers": [{"standard": "greeted", "value": "yes"}]}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_anonymous_gets_401_json_not_a_redirect(client):
    response = client.get("/api/v1/visits")
    assert response.status_code == 401
    assert response.is_json
    assert response.json["error"]["code"] == "unauthorized"
    assert "Location" not in response.headers
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_anonymous_put_gets_401_before_any_csrf_check(client, factory):
    visit = factory.visit()
    response = client.put(f"/api/v1/visits/{visit.id}/answers", json=ANSWER)
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"


def test_bearer_token_works_without_csrf(client, factory):
    visit = factory.visit()
    token = issue_token(visit.auditor.email)
    listed = client.get("/api/v1/visits", headers=bearer(token))
    assert listed.status_code == 200
    assert [v["id"] for v in listed.json] == [visit.id]
    saved = client.put(f"/api/v1/visits/{visit.id}/answers", json=ANSWER, headers=bearer(token))
    assert saved.status_code == 200, saved.json
    assert [(a["standard"], a["value"], a["comment"]) for a in saved.json["answers"]] == [("greeted", "yes", "")]
    assert "Set-Cookie" not in saved.headers      # a token call starts no session


def test_wrong_token_gets_401(client, factory):
    issue_token(factory.user("auditor").email)
    response = client.get("/api/v1/visits", headers=bearer("aud_not-a-real-token"))
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"


def test_token_of_another_user_sees_only_their_visits(client, factory):
    visit = factory.visit()
    other = factory.user("auditor")
    token = issue_token(other.email)
    assert client.get("/api/v1/visits", headers=bearer(token)).json == []
    assert client.get(f"/api/v1/visits/{visit.id}", headers=bearer(token)).status_code == 404
    response = client.put(f"/api/v1/visits/{visit.id}/answers", json=ANSWER, headers=bearer(token))
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


def test_cookie_session_put_needs_the_csrf_header(client, auth, factory):
    visit = factory.visit()
    auth.login(visit.auditor)
    url = f"/api/v1/visits/{visit.id}/answers"
    refused = client.put(url, json=ANSWER)
    assert refused.status_code == 400
    assert refused.json["error"]["code"] == "csrf"
    forged = client.put(url, json=ANSWER, headers={"X-CSRFToken": "forged"})
    assert forged.status_code == 400 and forged.json["error"]["code"] == "csrf"
    assert visit.answers == []
    accepted = client.put(url, json=ANSWER, headers=auth.headers())
    assert accepted.status_code == 200, accepted.json


def test_cookie_session_get_needs_no_csrf_header(client, auth, factory):
    visit = factory.visit()
    auth.login(visit.auditor)
    assert client.get(f"/api/v1/visits/{visit.id}").status_code == 200


def test_wrong_token_beside_a_session_cookie_does_not_skip_csrf(client, auth, factory):
    visit = factory.visit()
    auth.login(visit.auditor)
    response = client.put(f"/api/v1/visits/{visit.id}/answers", json=ANSWER, headers=bearer("aud_guess"))
    assert response.status_code == 401
    assert visit.answers == []


def test_inactive_users_token_gets_401(client, factory):
    user = factory.user("auditor")
    token = issue_token(user.email)
    user.active = False
    db.session.commit()
    assert client.get("/api/v1/visits", headers=bearer(token)).status_code == 401


def test_tokens_are_stored_hashed(factory):
    user = factory.user("auditor")
    tokens = [issue_token(user.email) for _ in range(3)]
    rows = db.session.execute(sa.select(ApiToken.__table__)).all()
    assert len(rows) == 3
    stored = " ".join(str(value) for row in rows for value in row)
    assert not any(token in stored or token[4:] in stored for token in tokens)


def test_api_errors_are_json(client, auth, factory):
    visit = factory.visit()
    auth.login(visit.auditor)
    missing = client.get("/api/v1/visits/999999")
    assert missing.status_code == 404 and missing.json["error"]["code"] == "not_found"
    unknown = client.get("/api/v1/no-such-thing")
    assert unknown.status_code == 404 and unknown.is_json
    wrong_method = auth.api("DELETE", f"/api/v1/visits/{visit.id}")
    assert wrong_method.status_code == 405 and wrong_method.is_json
    broken = auth.api("PUT", f"/api/v1/visits/{visit.id}/answers", data="[1, 2", content_type="application/json")
    assert broken.status_code == 400 and broken.json["error"]["code"] == "bad_json"


def test_a_405_says_which_methods_are_allowed(client, auth, factory):
    visit = factory.visit()
    auth.login(visit.auditor)
    api = auth.api("DELETE", f"/api/v1/visits/{visit.id}")
    assert api.status_code == 405 and api.json["error"]["code"] == "method_not_allowed"
    assert set(api.headers["Allow"].split(", ")) >= {"GET", "HEAD"}
    page = client.put("/login")
    assert page.status_code == 405 and "text/html" in page.content_type
    assert set(page.headers["Allow"].split(", ")) >= {"GET", "POST"}


def test_the_same_users_token_beside_their_session_cookie_is_accepted_without_csrf(client, auth, factory):
    visit = factory.visit()
    auth.login(visit.auditor)
    token = issue_token(visit.auditor.email)
    saved = client.put(f"/api/v1/visits/{visit.id}/answers", json=ANSWER, headers=bearer(token))
    assert saved.status_code == 200, saved.json
    assert [a.value for a in visit.answers] == ["yes"]


def test_another_users_token_beside_a_session_cookie_is_refused(client, auth, factory):
    visit = factory.visit()
    auth.login(visit.auditor)
    token = issue_token(factory.user("auditor").email)
    response = client.put(f"/api/v1/visits/{visit.id}/answers", json=ANSWER, headers=bearer(token))
    assert response.status_code == 401 and response.json["error"]["code"] == "unauthorized"
    assert visit.answers == []


def test_an_id_no_row_can_have_is_a_plain_404(client, auth, factory):
    visit = factory.visit()
    auth.login(visit.auditor)
    for visit_id in (2**31, 2**63, 10**30):
        response = client.get(f"/api/v1/visits/{visit_id}")
        assert response.status_code == 404 and response.json["error"]["code"] == "not_found"
    assert client.get(f"/visits/{10**30}").status_code == 404
