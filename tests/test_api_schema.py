"""Schemathesis drives the live API from its own document, as an auditor and as an admin.

Every operation gets generated requests, valid and not; every answer must have a documented status and
content type, match its schema, and never be a 5xx. Bounded and derandomized, so it stays fast and repeatable.
"""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from werkzeug.serving import make_server

from auditapp import create_app
from auditapp.accounts.models import ApiToken
from auditapp.accounts.services import hash_token
from auditapp.extensions import db
from auditapp.photos.models import Photo
from auditapp.visits import services as visit_services
from auditapp.visits.commands import Cancel, Decision, Review

from .factories import Factory

pytestmark = pytest.mark.contract

MAX_EXAMPLES = 25
COMPLETE = {"confirmed": "yes", "greeted": "yes", "friendliness": 4, "upsell": "drink", "clean": "yes",
            "wait": 3, "dish": "Soup of the day", "pilot": "no"}
# Fixed tokens, so schemathesis knows the auth before the server exists and can check that leaving it out is a 401.
TOKENS = {"auditor": "aud_schemathesis-auditor", "admin": "aud_schemathesis-admin"}


def config(role: str) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict({
        "seed": 20261204,
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
        # The coverage phase sends every boundary and wrong type the document allows; once is enough for that.
        "phases": {"stateful": {"enabled": False}, "coverage": {"enabled": role == "auditor"}},
        "auth": {"openapi": {"bearer": {"bearer": TOKENS[role]}}},
        # A well-formed request may still be refused by the domain: an incomplete visit, an unknown standard.
        "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "404", "409", "422"]}},
    })


def submitted(factory: Factory, visit) -> None:
    factory.answered(visit, COMPLETE)
    for standard in visit_services.missing_for_submit(visit):
        db.session.add(Photo(visit=visit, standard_key=standard, file_key="0" * 64))
    db.session.commit()
    visit_services.submit_visit(visit, visit.auditor)


def seed(factory: Factory) -> None:
    """A concept, two branches and an auditor's visits in every state; the auditor and an admin hold TOKENS."""
    version = factory.concept()
    auditor, admin = factory.user("auditor"), factory.user("admin")
    branches = [factory.branch("A01"), factory.branch("B01")]
    visits = [factory.visit(version=version, branch=branches[i % 2], auditor=auditor) for i in range(7)]
    factory.visit(version=version, branch=branches[0], auditor=auditor, channel="call")
    visit_services.start_visit(visits[1], auditor)
    factory.answered(visits[2], {"greeted": "yes", "friendliness": 3}, visited_at=datetime(2026, 4, 14, 19, 30))
    factory.approved(visits[3], COMPLETE, reviewer=admin)
    submitted(factory, visits[4])
    visit_services.review_visit(visits[4], admin, Review(Decision.RETURN, "Please add the dish."))
    visit_services.cancel_visit(visits[5], admin, Cancel("Branch closed for works."))
    submitted(factory, visits[6])
    for user, token in ((auditor, TOKENS["auditor"]), (admin, TOKENS["admin"])):
        db.session.add(ApiToken(user=user, token_hash=hash_token(token)))
    db.session.commit()


@pytest.fixture(scope="module")
def live_api(tmp_path_factory):
    """The app on a seeded SQLite file, served by a werkzeug thread; yields its base URL."""
    folder = tmp_path_factory.mktemp("live_api")
    # Schemathesis checks that a wrong token is refused, many times over from one address: the limit on wrong
    # tokens (tests/accounts/test_revocation.py) would turn its later checks into 429s.
    app = create_app({"TESTING": True, "SECRET_KEY": "schemathesis", "UPLOAD_DIR": str(folder / "uploads"),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'api.sqlite'}",
                      "LOGIN_ATTEMPTS": "1000000 per minute"})
    with app.app_context():
        db.create_all()
        seed(Factory())
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)
    with app.app_context():
        db.engine.dispose()


def generated_document() -> dict:
    """The document as the app serves it; it depends on no data, so an app without a database will do."""
    app = create_app({"TESTING": True, "SECRET_KEY": "document", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return app.test_client().get("/api/v1/openapi.json").json


DOCUMENT = generated_document()
as_auditor = schemathesis.openapi.from_dict(DOCUMENT, config=config("auditor"))
as_admin = schemathesis.openapi.from_dict(DOCUMENT, config=config("admin"))
BOUNDS = settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))


@as_auditor.parametrize()
@BOUNDS
def test_every_operation_keeps_its_document_for_an_auditor(case, live_api):
    case.call_and_validate(base_url=live_api)


@as_admin.parametrize()
@BOUNDS
def test_every_operation_keeps_its_document_for_an_admin(case, live_api):
    case.call_and_validate(base_url=live_api)


def test_a_parameter_given_twice_is_refused_not_half_read(client, factory):
    from auditapp.accounts.services import issue_token

    token = issue_token(factory.user("admin").email)
    response = client.get("/api/v1/exports/answers.csv?branch=1&branch=2", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 422 and "branch" in response.json["error"]["fields"]
