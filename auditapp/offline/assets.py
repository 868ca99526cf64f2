"""Versioned static files: one version for the whole static folder, so ES modules importing `./api.js` stay in it.

A file's URL is `/static/<version>/<path>`, the version being a hash of every static file; such a URL never
changes content, so it is served `immutable` for a year, and the service worker precaches exactly these URLs.
The plain `/static/<path>` stays for anything that links a file by name, revalidated on every use.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, Response, current_app, send_from_directory
from werkzeug.routing import BaseConverter

VERSION_LENGTH = 12
YEAR = 365 * 24 * 3600
# What the phone never needs offline: notes for people and licences of the vendored files.
_NOT_SERVED_OFFLINE = (".md", "LICENSE")


class VersionConverter(BaseConverter):
    """A static version: 12 hex digits, so `/static/css/app.css` is never read as version "css"."""

    regex = f"[0-9a-f]{{{VERSION_LENGTH}}}"


def static_files(app: Flask) -> list[str]:
    """Every file of the static folder, as paths relative to it, in a stable order."""
    root = Path(app.static_folder or "")
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def asset_version(app: Flask | None = None) -> str:
    """The hash of the release and the static folder's names and contents, read once per process (a deploy
    restarts it)."""
    app = app or current_app
    version = app.extensions.get("auditapp.asset_version")
    if version is None:
        digest = hashlib.sha256(str(app.config.get("RELEASE", "")).encode() + b"\0")
        root = Path(app.static_folder or "")
        for name in static_files(app):
            digest.update(name.encode() + b"\0" + (root / name).read_bytes() + b"\0")
        version = app.extensions["auditapp.asset_version"] = digest.hexdigest()[:VERSION_LENGTH]
    return version


def offline_assets(app: Flask) -> list[str]:
    """The files the service worker precaches: everything a page may load."""
    return [name for name in static_files(app) if not name.endswith(_NOT_SERVED_OFFLINE)]


def serve_static(filename: str, version: str | None = None) -> Response:
    """A static file, by name (revalidated) or under its version; an old version — a page open across a deploy —
    gets today's file, revalidated too."""
    response = send_from_directory(current_app.static_folder or "", filename, max_age=0)
    if version is not None and version == asset_version():
        response.cache_control.public = True
        response.cache_control.max_age = YEAR
        response.cache_control.immutable = True
        response.cache_control.no_cache = None
    return response


def init_assets(app: Flask) -> None:
    """Serve /static/<version>/… and make url_for("static", filename=…) name the current version."""
    app.url_map.converters["version"] = VersionConverter
    app.view_functions["static"] = serve_static  # one view for Flask's own /static/<path> rule and this one
    app.add_url_rule("/static/<version:version>/<path:filename>", endpoint="static")

    @app.url_defaults
    def _current_version(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "version" not in values:
            values["version"] = asset_version(app)
