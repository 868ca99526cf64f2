"""Configuration defaults; AUDITAPP_* environment variables override them (docs/architecture.md, Interfaces)."""

from __future__ import annotations

import os
from datetime import timedelta
import secrets
from pathlib import Path

from flask import Flask


class Defaults:
    """Settings that hold on every deployment unless the environment says otherwise."""

    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024
    PHOTO_MAX_BYTES = 15 * 1024 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)  # renewed by every request
    WTF_CSRF_TIME_LIMIT = None
    BABEL_DEFAULT_LOCALE = "en"
    LANGUAGES = ("en", "nl")  # each but English has a catalogue in auditapp/translations/<code>/
    CONCEPTS_DIR = "service_concepts"
    # Failed logins counted per account and per address (Flask-Limiter); memory:// suits one app process, a
    # redis://host:6379 URI several (README, Configuration).
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = False
    LOGIN_ATTEMPTS = "10 per minute"
    # Behind a reverse proxy: how many proxies set X-Forwarded-*; 0 trusts none.
    PROXY_FIX = 0
    # A name for the deployed release (a git commit, say); part of the static version, so phones take a new
    # service worker with each release even when no static file changed.
    RELEASE = ""
    # Served over HTTPS: cookies only over HTTPS, and browsers told to keep to it (HSTS).
    HTTPS = False
    # Staff names noted by auditors (record_staff) are personal data: `flask staff purge` removes them after this.
    STAFF_RETENTION_DAYS = 365
    # Flask-Compress leaves gzip out for streamed responses (static files); older phones only speak gzip.
    COMPRESS_ALGORITHM_STREAMING = ["zstd", "br", "gzip", "deflate"]


def finish(app: Flask) -> None:
    """Derive what depends on the instance folder: database URL, upload dir, secret key."""
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    if app.config.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    app.config.setdefault("SQLALCHEMY_DATABASE_URI", f"sqlite:///{instance / 'auditapp.sqlite'}")
    app.config.setdefault("UPLOAD_DIR", str(instance / "uploads"))
    if app.config.get("HTTPS"):
        app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = True
    app.config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    app.config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    days = app.config.get("STAFF_RETENTION_DAYS")
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ValueError(f"AUDITAPP_STAFF_RETENTION_DAYS must be a whole number of days, at least 1; got {days!r}")
    if app.config.get("SECRET_KEY"):
        # from_prefixed_env reads values as JSON, so a key of digits would arrive as a number.
        app.config["SECRET_KEY"] = str(app.config["SECRET_KEY"])
    else:
        app.config["SECRET_KEY"] = _instance_secret(instance / "secret_key")


def _instance_secret(path: Path) -> str:
    """Read the key generated on first start, so sessions survive restarts without a key in code."""
    if not path.exists():
        # Write the whole key to a private file first and link it into place, so workers starting
        # together all end up with the one complete key that won the race.
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)
    return path.read_text().strip()
