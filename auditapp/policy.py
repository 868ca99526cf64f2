"""Who may use each route, in one table: deny by default (docs/architecture.md, Roles).

Every endpoint is listed with the roles that may call it; an endpoint missing here answers 404 to everyone, and a
test built from the URL map fails. A role outside the list gets 404 too, so a page's existence does not leak;
anonymous callers are sent to the login page (people) or get 401 (the API). Which *objects* a role may see — its
own visits, its branches — is the queries' part (visits.queries, branches.queries), also answered with 404.
"""

from __future__ import annotations

import logging

from flask import Flask, abort, request
from flask_login import current_user

from .extensions import login
from .vocabulary import REPORT_READERS, REVIEWERS, Role

log = logging.getLogger(__name__)



class _Anyone(frozenset):
    """No login needed. Its own type, because every empty frozenset() is one and the same object in CPython."""


ANYONE: frozenset[Role] = _Anyone()
EVERYONE = frozenset(Role)
ADMIN = frozenset({Role.ADMIN})
AUDITOR = frozenset({Role.AUDITOR})
READERS = frozenset(REPORT_READERS)
REVIEWING = frozenset(REVIEWERS)

POLICY: dict[str, frozenset[Role]] = {
    "static": ANYONE,
    "offline.service_worker": ANYONE,
    "offline.manifest": ANYONE,
    "offline.fallback": ANYONE,
    "session_api.session": EVERYONE,
    "accounts.login": ANYONE,
    "accounts.language": ANYONE,  # the login page's language switch: a cookie, nothing else
    "api.openapi": ANYONE,
    "accounts.logout": EVERYONE,
    "accounts.account": EVERYONE,
    "accounts.set_password": ANYONE,  # the one-time link is the credential
    "users.index": ADMIN,
    "users.new": ADMIN,
    "users.edit": ADMIN,
    "branches.index": ADMIN,
    "branches.edit": ADMIN,
    "branches.add": ADMIN,
    "branches.import_csv": ADMIN,
    "home.index": EVERYONE,
    "home.auditor": AUDITOR,
    "home.manager": frozenset({Role.MANAGER}),
    "home.hr": frozenset({Role.HR}),
    "home.admin": ADMIN,
    # The auditor's own visits (visits.queries keeps them to their own).
    "visits.index": AUDITOR,
    "visits.show": AUDITOR,
    "visits.briefing": AUDITOR,
    "visits.form": AUDITOR,
    "visits.review": AUDITOR,
    "visits.start": AUDITOR,
    "visits.submit": AUDITOR,
    "visits.thanks": AUDITOR,
    "review.visit": REVIEWING,
    "reports.overview": READERS,
    "reports.branch": READERS,
    "reports.branch_pdf": READERS,
    "reports.cell": READERS,
    "roles.scores": READERS,
    "roles.scores_pdf": READERS,
    # Handbooks: every role; an auditor only those of the concepts they audit (handbooks.queries).
    "handbooks.index": EVERYONE,
    "handbooks.concept": EVERYONE,
    "handbooks.role": EVERYONE,
    "handbooks.concept_pdf": EVERYONE,
    "handbooks.role_pdf": EVERYONE,
    "handbooks.card": EVERYONE,
    # Staff names: HR and admins only, never managers (docs/architecture.md, Roles).
    "staff.notes": frozenset({Role.HR, Role.ADMIN}),
    "schedule.index": REVIEWING,
    "schedule.visit": REVIEWING,
    "concepts.changes": READERS,
    "concepts.upload": ADMIN,
    "concepts.preview": ADMIN,
    "admin.index": ADMIN,
    "admin.review": ADMIN,
    "admin.concept": ADMIN,
    "admin.version_source": ADMIN,
    "audit.log": ADMIN,
    # The API: each operation's scope is the visit or branch queries'.
    "branches_api.index": EVERYONE,
    "visits_api.index": EVERYONE,
    "visits_api.show": frozenset({Role.ADMIN, Role.MANAGER, Role.AUDITOR}),
    "visits_api.answers": AUDITOR,
    "visits_api.start": AUDITOR,
    "visits_api.submit": AUDITOR,
    "visits_api.review": REVIEWING,
    "photos_api.upload": AUDITOR,
    "photos_api.photo": AUDITOR,
    "photos_api.photo_file": frozenset({Role.ADMIN, Role.MANAGER, Role.AUDITOR}),
    "reports_api.visit_pdf": frozenset({Role.ADMIN, Role.MANAGER, Role.AUDITOR}),
    "reports_api.branch_scores": READERS,
    "reports_api.answers_csv": READERS,
    "roles_api.scores": READERS,
    # Planning: admins everywhere, managers at their own branches (schedule.queries).
    "schedule_api.plan_visit": REVIEWING,
    "schedule_api.plan_round": REVIEWING,
    "schedule_api.change": REVIEWING,
    "schedule_api.cancel": REVIEWING,
}


def allowed(endpoint: str | None, role: Role | None) -> bool:
    """Whether a user of this role (None: not logged in) may call the endpoint at all."""
    roles = POLICY.get(endpoint or "")
    if roles is None:
        return False
    return roles is ANYONE or (role is not None and role in roles)


def init_policy(app: Flask) -> None:
    @app.before_request
    def _enforce():
        endpoint = request.endpoint
        if endpoint is None:
            return None  # no route matched: the 404 or 405 handler answers
        roles = POLICY.get(endpoint)
        if roles is None:
            log.error("route %s has no access policy; answering 404", endpoint)
            abort(404)
        if roles is ANYONE:
            return None
        if not current_user.is_authenticated:
            return login.unauthorized()
        if current_user.role not in roles:
            abort(404)
        return None
