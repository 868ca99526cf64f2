"""The authorization matrix, generated from the URL map: every route × every role and anonymous × an object of
one's own and one of someone else's. Outside the policy a route is 404; outside one's scope an object answers as a
missing one does (404 for a page or a read); inside it, never 404 or 5xx. Then a CSRF sweep: with CSRF on, every
state-changing route refuses a request without the token."""

from __future__ import annotations

from datetime import datetime

import pytest
from flask import url_for

from auditapp.converters import MAX_ID
from auditapp.extensions import db
from auditapp.photos.models import Photo
from auditapp.photos.services import PhotoUpload, add_photo, photo_store
from auditapp.policy import ANYONE, POLICY
from auditapp.visits import services as visit_services

from .conftest import Auth
from .reports.dataset import jpeg_bytes
from .visits.test_api import COMPLETE

ROLES = ("admin", "manager", "auditor", "hr")
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
QUERY = {"reports.cell": {"concept": "mini", "at": "2026-04"}}  # a drill-down names its cell
SKIP = {"accounts.logout", "accounts.login", "static", "accounts.set_password"}  # own tests; logout ends the run


@pytest.fixture
def world(factory, app):
    mini, hotel = factory.concept(), factory.showcase("hotel-stay")
    home, away = factory.branch("AMS"), factory.branch("ROT")
    people = {"admin": factory.user("admin"), "manager": factory.user("manager", branches=(home,)),
              "auditor": factory.user("auditor"), "hr": factory.user("hr")}
    stranger = factory.user("auditor")
    own = factory.visit(version=mini, branch=home, auditor=people["auditor"])
    factory.answered(own, COMPLETE, visited_at=datetime(2026, 4, 14, 19, 30))
    for standard in visit_services.missing_for_submit(own):
        db.session.add(Photo(visit_id=own.id, standard_key=standard, file_key="0" * 64))
    other = factory.visit(version=mini, branch=away, auditor=stranger)
    factory.answered(other, COMPLETE, visited_at=datetime(2026, 4, 14, 19, 30))
    for standard in visit_services.missing_for_submit(other):
        db.session.add(Photo(visit_id=other.id, standard_key=standard, file_key="0" * 64))
    db.session.commit()
    store = photo_store(app.config["UPLOAD_DIR"])
    own_photo = add_photo(own, people["auditor"], PhotoUpload(data=jpeg_bytes((40, 120, 200), (64, 48))), store,
                          15 * 1024 * 1024)[0].id
    other_photo = add_photo(other, stranger, PhotoUpload(data=jpeg_bytes((200, 40, 40), (64, 48))), store,
                            15 * 1024 * 1024)[0].id
    visit_services.submit_visit(own, people["auditor"])
    visit_services.submit_visit(other, stranger)
    # (own, other) per argument and role; None: nothing of that kind is outside the role's scope.
    scoped = {
        "visit_id": {"admin": (own.id, None), "manager": (own.id, other.id), "auditor": (own.id, other.id),
                     "hr": (own.id, other.id)},
        "branch_id": {"admin": (home.id, None), "manager": (home.id, away.id), "auditor": (home.id, away.id),
                      "hr": (home.id, None)},
        "photo_id": {"admin": (own_photo, None), "manager": (own_photo, other_photo),
                     "auditor": (own_photo, other_photo), "hr": (own_photo, other_photo)},
        "key": {"admin": ("mini", None), "manager": ("mini", None), "auditor": ("mini", "hotel-stay"),
                "hr": ("mini", None)},
    }
    plain = {"role": "host", "number": 1, "user_id": people["hr"].id, "filename": "css/app.css"}
    return people, scoped, plain, hotel


def cases(app, world):
    """(endpoint, method, role, which, path) for every route; `which` is own, other or missing."""
    people, scoped, plain, _hotel = world
    out = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint in SKIP:
                continue
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                for role in (*ROLES, None):
                    for which in ("own", "other", "missing"):
                        values, scoped_here = {}, False
                        for arg in rule.arguments:
                            if arg in scoped:
                                own, other = scoped[arg][role or "admin"]
                                scoped_here = scoped_here or other is not None
                                values[arg] = {"own": own, "other": other, "missing": MAX_ID}[which]
                                if arg == "key" and which == "missing":
                                    values[arg] = "no-such-concept"
                            else:
                                values[arg] = plain[arg]
                        if which != "own" and (not rule.arguments & scoped.keys()
                                               or (which == "other" and not scoped_here)):
                            continue
                        if any(v is None for v in values.values()):
                            continue
                        if rule.endpoint == "handbooks.role" or rule.endpoint.startswith("handbooks.role"):
                            if values.get("key") == "hotel-stay":
                                values["role"] = "receptionist"
                        out.append((rule.endpoint, method, role, which,
                                    url_for(rule.endpoint, **values, **QUERY.get(rule.endpoint, {}))))
    return out


def logged_in(app, user) -> Auth:
    """A client of its own for one user; each request runs in a fresh app context, as on a server, so the user
    Flask-Login keeps in `g` never leaks from one client to another."""
    auth = Auth(app.test_client())
    with app.app_context():
        auth.login(user)
    return auth


def send(app, client, path: str, method: str, **kwargs):
    with app.app_context():
        response = client.open(path, method=method, **kwargs)
        response.get_data()  # a streamed body (the CSV) is read inside the context that made it
        response.close()
        return response


def test_every_route_every_role_own_and_other(app, world):
    people = world[0]
    clients = {role: logged_in(app, people[role]) for role in ROLES}
    anonymous = app.test_client()
    found, checked = [], 0
    answers: dict = {}
    for endpoint, method, role, which, path in cases(app, world):
        client = clients[role].client if role else anonymous
        headers = clients[role].headers() if role else {}
        if method in UNSAFE:
            response = send(app, client, path, method, headers={**headers, "Content-Type": "application/json"},
                            data="{}")
        else:
            response = send(app, client, path, method, headers=headers)
        status, checked = response.status_code, checked + 1
        answers[(endpoint, method, role, which)] = status
        allowed = POLICY[endpoint] is ANYONE or (role is not None and role in POLICY[endpoint])
        if status >= 500:
            found.append(f"{method} {path} as {role}: {status}")
        elif role is None and POLICY[endpoint] is not ANYONE:
            if not (status == 401 or (status == 302 and "/login" in response.location)
                    or (status == 400 and method in UNSAFE)):
                found.append(f"{method} {path} anonymous: {status}, not sent to login")
        elif not allowed and status != 404:
            found.append(f"{method} {path} as {role}: {status}, not 404 outside the policy")
        elif allowed and which == "own" and status == 404:
            found.append(f"{method} {path} as {role}: 404 on their own object")
    # Outside one's scope an object answers exactly as a missing one does: its existence does not leak.
    for (endpoint, method, role, which), status in answers.items():
        if which == "other" and role is not None:
            missing = answers.get((endpoint, method, role, "missing"))
            if missing is not None and status != missing:
                found.append(f"{method} {endpoint} as {role}: other's object {status}, a missing one {missing}")
    assert checked >= 590, checked  # the size of the matrix (598 today), stated in the closing note
    print(f"authorization matrix: {checked} requests")
    assert found == [], "\n".join(found[:60])


def test_with_csrf_on_every_state_changing_route_refuses_a_request_without_the_token(app, world):
    people = world[0]
    app.config["WTF_CSRF_ENABLED"] = True
    refused, tried = [], set()
    for role in ROLES:
        auth = logged_in(app, people[role])
        for endpoint, method, case_role, which, path in cases(app, world):
            if case_role != role or which != "own" or method not in UNSAFE:
                continue
            if not (POLICY[endpoint] is ANYONE or role in POLICY[endpoint]):
                continue
            response = send(app, auth.client, path, method, data={"anything": "x"})
            tried.add((method, endpoint))
            if response.status_code != 400:
                refused.append(f"{method} {path} as {role}: {response.status_code} without a CSRF token")
    unsafe = {(m, r.endpoint) for r in app.url_map.iter_rules() for m in r.methods & set(UNSAFE)
              if r.endpoint not in SKIP}
    assert tried == unsafe  # every state-changing route, by some role allowed to use it
    assert refused == []


def test_login_logout_and_password_links_refuse_a_post_without_the_token(app, world):
    people = world[0]
    app.config["WTF_CSRF_ENABLED"] = True
    anonymous = app.test_client()
    assert send(app, anonymous, "/login", "POST", data={"email": people["hr"].email, "password": "x"}).status_code == 400
    assert send(app, anonymous, "/password/whatever", "POST", data={"password": "x"}).status_code in (400, 404)
    auth = logged_in(app, people["hr"])
    assert send(app, auth.client, "/logout", "POST").status_code == 400
    assert send(app, auth.client, "/account", "GET").status_code == 200  # still logged in
