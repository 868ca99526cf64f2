"""Fixtures that build an app and an empty database per test, on SQLite and on PostgreSQL.

The schema is built once per run and backend; each test starts from empty tables (a copy of the SQLite
template, or the PostgreSQL tables truncated after the test before it).
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import g
from flask.testing import FlaskClient

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
    """The PostgreSQL test database, with the schema built once for the whole run."""
    url = pg_cluster.create_database("auditapp_test")
    _build_schema(url)
    return url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A SQLite file with the schema, built once and copied for every test that needs a fresh database."""
    path = tmp_path_factory.mktemp("schema") / "template.sqlite"
    _build_schema(f"sqlite:///{path}")
    return path


def _build_schema(url: str) -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "schema", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        if url.startswith("sqlite"):
            with db.engine.connect() as conn:  # fold the WAL into the file, so a plain copy is complete
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                conn.exec_driver_sql("PRAGMA journal_mode=DELETE")
        db.engine.dispose()


@pytest.fixture
def database_url(backend, request, tmp_path):
    """A database with the schema and no rows: a copy of the SQLite template, or the emptied PostgreSQL one."""
    if backend == "sqlite":
        path = tmp_path / "test.sqlite"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    url = request.getfixturevalue("pg_url")
    yield url
    empty_tables(url)


def empty_tables(url: str) -> None:
    """Remove every row a test wrote; TRUNCATE is far cheaper than rebuilding the schema."""
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            conn.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    finally:
        engine.dispose()


@pytest.fixture
def empty_database_url(backend, request, tmp_path):
    """A database without even the schema, for tests that build or migrate it themselves."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.sqlite'}"
    return request.getfixturevalue("pg_cluster").create_database(f"empty_{uuid.uuid4().hex[:12]}")


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
        yield app
        db.session.remove()
        db.engine.dispose()


class Client(FlaskClient):
    """A test client whose every request finds its user anew, as on a real server.

    The test's app context (and so `g`) outlives single requests; without this, Flask-Login's cached user
    would carry over and a logout or a changed cookie would go unnoticed, and Flask-Babel would keep the
    first request's locale.
    """

    def open(self, *args, **kwargs):
        for name in ("_login_user", "token_user", "_flask_babel"):
            g.pop(name, None)
        return super().open(*args, **kwargs)


_document: list = []


def api_document(app):
    """The generated OpenAPI document as schemathesis reads it, built once: it depends on no data."""
    if not _document:
        import schemathesis

        spec = FlaskClient(app, app.response_class).get("/api/v1/openapi.json").json
        _document.append(schemathesis.openapi.from_dict(spec))
    return _document[0]


class DocumentedClient(Client):
    """A test client that checks every JSON answer of /api/v1 against the generated document."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        request = response.request
        if request.path.startswith("/api/v1/") and response.is_json:
            operation = api_document(self.application).find_operation_by_path(request.method, request.path)
            if operation is not None:
                operation.validate_response(response)
        return response


@pytest.fixture
def client(app):
    app.test_client_class = DocumentedClient
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

    def logout(self):
        response = self.client.post("/logout", headers=self.headers())
        self.csrf = None
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
