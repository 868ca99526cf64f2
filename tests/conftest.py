"""Fixtures that build an app and a fresh database per test, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from auditapp import create_app
from auditapp.extensions import db

from .postgres import Cluster, find_bindir

REPO = Path(__file__).resolve().parent.parent
BACKENDS = ["sqlite", "postgresql"]


def pytest_addoption(parser):
    parser.addoption("--backend", action="append", choices=BACKENDS,
                     help="run database tests only on this backend (default: both)")


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames:
        chosen = metafunc.config.getoption("backend") or BACKENDS
        metafunc.parametrize("backend", chosen, scope="session")


@pytest.fixture(scope="session")
def pg_cluster():
    bindir = find_bindir()
    if bindir is None:
        pytest.fail("PostgreSQL server binaries not found (install postgresql-15, or run `make test`, which does)")
    cluster = Cluster(bindir)
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def pg_url(pg_cluster):
    return pg_cluster.create_database("auditapp_test")


@pytest.fixture
def database_url(backend, request, tmp_path):
    """A database nobody else uses: a new SQLite file, or the test database emptied for this test."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def make_app(tmp_path):
    """Build an app for a test, with everything written under the test's own folder."""
    def factory(database_url: str, **overrides):
        config = {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "UPLOAD_DIR": str(tmp_path / "uploads"),
            **overrides,
        }
        return create_app(config)
    return factory


@pytest.fixture
def app(make_app, database_url):
    app = make_app(database_url)
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def factory(app):
    from .factories import Factory

    return Factory()


CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


class Auth:
    """Logs a test client in through the real login form and remembers the CSRF token for the API."""

    def __init__(self, client):
        self.client = client
        self.csrf = None

    def login(self, user, password: str | None = None):
        from .factories import PASSWORD

        page = self.client.get("/login")
        token = CSRF_META.search(page.get_data(as_text=True)).group(1)
        response = self.client.post("/login", data={"email": user.email, "password": password or PASSWORD,
                                                    "csrf_token": token})
        page = self.client.get("/login", follow_redirects=True)
        match = CSRF_META.search(page.get_data(as_text=True))
        self.csrf = match.group(1) if match else None
        return response

    def headers(self) -> dict[str, str]:
        return {"X-CSRFToken": self.csrf} if self.csrf else {}

    def api(self, method: str, url: str, **kwargs):
        headers = {**self.headers(), **kwargs.pop("headers", {})}
        return self.client.open(url, method=method, headers=headers, **kwargs)


@pytest.fixture
def auth(client):
    return Auth(client)


def photo_samples() -> Path | None:
    """The real phone photos beside the checkout (or where AUDITAPP_PHOTO_SAMPLES says)."""
    folder = Path(os.environ.get("AUDITAPP_PHOTO_SAMPLES", REPO.parent / "shared" / "testdata" / "photos"))
    return folder if folder.is_dir() else None


@pytest.fixture
def samples() -> Path:
    folder = photo_samples()
    if folder is None:
        pytest.skip("../shared/testdata/photos not found: real phone photos are needed for this test")
    return folder
