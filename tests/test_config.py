"""Configuration from AUDITAPP_* variables, the instance-folder defaults, and SQLite's engine settings."""

from __future__ import annotations

import os
import stat

import pytest
import sqlalchemy as sa

from auditapp import create_app
from auditapp.extensions import db


@pytest.fixture
def env(monkeypatch, tmp_path):
    """A clean environment whose instance folder is the test's own."""
    for name in list(os.environ):
        if name.startswith("AUDITAPP_"):
            monkeypatch.delenv(name)
    instance = tmp_path / "instance"
    monkeypatch.setenv("AUDITAPP_INSTANCE_PATH", str(instance))
    return instance


def test_environment_overrides_the_defaults(env, monkeypatch, tmp_path):
    monkeypatch.setenv("AUDITAPP_DATABASE_URL", f"sqlite:///{tmp_path / 'elsewhere.sqlite'}")
    monkeypatch.setenv("AUDITAPP_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("AUDITAPP_UPLOAD_DIR", str(tmp_path / "photos"))
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'elsewhere.sqlite'}"
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["UPLOAD_DIR"] == str(tmp_path / "photos")
    assert not (env / "secret_key").exists()


def test_numeric_secret_key_stays_text(env, monkeypatch):
    monkeypatch.setenv("AUDITAPP_SECRET_KEY", "12345678901234567890")  # from_prefixed_env reads it as JSON
    assert create_app().config["SECRET_KEY"] == "12345678901234567890"


def test_other_settings_come_through_as_json(env, monkeypatch):
    monkeypatch.setenv("AUDITAPP_MAX_CONTENT_LENGTH", "1048576")
    assert create_app().config["MAX_CONTENT_LENGTH"] == 1048576


def test_defaults_live_in_the_instance_folder(env):
    app = create_app()
    assert app.instance_path == str(env)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{env / 'auditapp.sqlite'}"
    assert app.config["UPLOAD_DIR"] == str(env / "uploads")


def test_secret_key_is_generated_once_and_kept_private(env):
    first = create_app().config["SECRET_KEY"]
    key_file = env / "secret_key"
    assert len(first) == 64 and first == key_file.read_text().strip()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert create_app().config["SECRET_KEY"] == first
    assert [p.name for p in env.iterdir()] == ["secret_key"]   # no temporary file left behind


def test_secret_key_differs_per_instance(env, monkeypatch, tmp_path):
    first = create_app().config["SECRET_KEY"]
    monkeypatch.setenv("AUDITAPP_INSTANCE_PATH", str(tmp_path / "other"))
    assert create_app().config["SECRET_KEY"] != first


def test_relative_instance_path_is_made_absolute(env, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AUDITAPP_INSTANCE_PATH", "relative-instance")
    assert create_app().instance_path == str(tmp_path / "relative-instance")


def test_test_config_ignores_the_environment(env, monkeypatch, tmp_path):
    monkeypatch.setenv("AUDITAPP_SECRET_KEY", "from-the-environment")
    app = create_app({"SECRET_KEY": "given", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SECRET_KEY"] == "given"


def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout(env):
    app = create_app()
    with app.app_context():
        pragma = lambda name: db.session.execute(sa.text(f"PRAGMA {name}")).scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") >= 1000
        db.session.remove()
        db.engine.dispose()
    assert (env / "auditapp.sqlite").exists()


def test_security_settings(env):
    config = create_app().config
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert config.get("WTF_CSRF_ENABLED", True) is True


def test_workers_starting_together_share_one_key(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from auditapp.config import _instance_secret

    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(lambda _: _instance_secret(tmp_path / "secret_key"), range(16)))
    assert len(keys) == 1 and len(keys.pop()) == 64
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]
