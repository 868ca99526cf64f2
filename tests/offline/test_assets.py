"""What makes the app installable and its files cacheable: versioned static files, the worker, the manifest, and
the mark on the only pages a phone may keep."""

from __future__ import annotations

import json
import re

import pytest
from flask import url_for

from auditapp.offline.assets import asset_version

VERSIONED = re.compile(r"^/static/[0-9a-f]{12}/")


def test_static_urls_carry_the_version_and_are_immutable(app, client):
    with app.test_request_context():
        url = url_for("static", filename="js/form.js")
        version = asset_version()
    assert VERSIONED.match(url) and version in url
    fresh = client.get(url)
    assert fresh.status_code == 200 and fresh.headers["Cache-Control"] == "max-age=31536000, public, immutable"
    old = client.get(url.replace(version, "0" * 12))  # a page open across a deploy still gets the file
    assert old.status_code == 200 and "immutable" not in old.headers["Cache-Control"]
    plain = client.get("/static/js/form.js")
    assert plain.status_code == 200 and "no-cache" in plain.headers["Cache-Control"]
    assert client.get(url.replace("form.js", "no-such.js")).status_code == 404


def test_the_service_worker_precaches_every_page_file_under_its_version(client):
    response = client.get("/sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    config = json.loads(re.search(r"^self\.AUDITAPP = (\{.*\});$", response.get_data(as_text=True), re.M).group(1))
    assets = config["assets"]
    assert all(VERSIONED.match(a) for a in assets if a != "/offline")
    assert {"js/form.js", "js/sync.js", "vendor/idb/idb.js", "css/form.css"} <= {a.split("/", 3)[3] for a in assets if a != "/offline"}
    assert not [a for a in assets if a.endswith((".md", "LICENSE"))]
    assert config["fallback"] in assets and config["keep"] == "X-Auditapp-Offline"
    for script in config["workbox"]:
        assert client.get(script).status_code == 200


def test_the_manifest_makes_the_app_installable(client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest.mimetype == "application/manifest+json"
    data = manifest.get_json(force=True)
    assert data["start_url"] == "/" and data["display"] == "standalone"
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in data["icons"]:
        image = client.get(icon["src"])
        assert image.status_code == 200 and image.mimetype == "image/png"


def test_only_the_auditors_own_pages_are_marked_for_the_phone_to_keep(auth, factory):
    visit = factory.visit()
    auth.login(visit.auditor)
    for url in ("/visits/", f"/visits/{visit.id}/briefing", f"/visits/{visit.id}/form", f"/visits/{visit.id}/submit"):
        assert auth.client.get(url).headers.get("X-Auditapp-Offline") == str(visit.auditor.id), url
    assert "X-Auditapp-Offline" not in auth.client.get(f"/api/v1/visits/{visit.id}").headers
    assert "X-Auditapp-Offline" not in auth.client.get("/account").headers
    auth.logout()
    manager = factory.user("manager", branches=(visit.branch,))
    auth.login(manager)
    for url in ("/manager", "/reports/"):
        response = auth.client.get(url)
        assert response.status_code in (200, 302) and "X-Auditapp-Offline" not in response.headers, url


def test_the_offline_page_is_open_to_all(client):
    response = client.get("/offline")
    assert response.status_code == 200 and "No connection" in response.get_data(as_text=True)


def test_a_fresh_token_comes_from_the_session_and_works(auth, factory, client):
    assert client.get("/api/v1/session").status_code == 401
    visit = factory.visit()
    auth.login(visit.auditor)
    session = auth.api("GET", "/api/v1/session").json
    assert session["user"] == visit.auditor.id and session["role"] == "auditor"
    saved = auth.client.put(f"/api/v1/visits/{visit.id}/answers", json={"answers": [{"standard": "greeted", "value": "yes"}]},
                            headers={"X-CSRFToken": session["csrf_token"]})
    assert saved.status_code == 200
