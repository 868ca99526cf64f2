"""The service worker, the web app manifest and the offline fallback page, and the mark on pages a phone may keep."""

from __future__ import annotations

import json

from flask import Blueprint, Flask, Response, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..vocabulary import Role
from .assets import asset_version, offline_assets

bp = Blueprint("offline", __name__)

# The pages an auditor needs in a basement: their list, briefings, forms, the submit screen and photo thumbnails.
# The service worker keeps a response only when it carries KEEP (the user's id); nothing else is ever cached.
KEPT_ENDPOINTS = frozenset({"visits.index", "visits.briefing", "visits.form", "visits.review", "visits.thanks",
                            "photos_api.photo_file"})
KEEP = "X-Auditapp-Offline"
WORKBOX = ("core", "routing", "strategies", "precaching")  # in the order they need each other


@bp.get("/sw.js")
def service_worker():
    """The worker's entry: the list it precaches and the version, then the worker itself (a versioned file)."""
    version = asset_version()
    assets = [url_for("static", filename=name) for name in offline_assets(current_app)] + [url_for("offline.fallback")]
    config = {"version": version, "assets": assets, "fallback": url_for("offline.fallback"),
              "list": url_for("visits.index"), "keep": KEEP,
              "workbox": [url_for("static", filename=f"vendor/workbox/workbox-{part}.prod.js") for part in WORKBOX]}
    body = (f"self.AUDITAPP = {json.dumps(config)};\n"
            f"importScripts({json.dumps(url_for('static', filename='js/sw/worker.js'))});\n")
    response = Response(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"  # a new deploy is a new worker at the next visit
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    """What makes the app installable: name, start page, colours and icons."""
    icon = lambda size, purpose="any": {  # noqa: E731
        "src": url_for("static", filename=f"icons/icon-{size}.png"), "sizes": f"{size}x{size}",
        "type": "image/png", "purpose": purpose}
    body = {
        "name": "auditapp", "short_name": "auditapp", "id": "/", "start_url": "/", "scope": "/",
        "display": "standalone", "background_color": "#ffffff", "theme_color": "#1f4e79",
        "description": _("Mystery-guest audits on your phone, also without a connection."),
        "icons": [icon(192), icon(512), icon(512, "maskable")],
    }
    response = Response(json.dumps(body), mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/offline")
def fallback():
    """Shown by the service worker for a page this phone has not kept."""
    return render_template("offline/fallback.html")


def init_offline(app: Flask) -> None:
    @app.after_request
    def _mark_kept(response: Response) -> Response:
        if (request.endpoint in KEPT_ENDPOINTS and response.status_code == 200 and request.method == "GET"
                and current_user.is_authenticated and current_user.role == Role.AUDITOR):
            response.headers[KEEP] = str(current_user.id)
        return response
