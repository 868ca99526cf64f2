"""The audit log: entries written in the acting service's transaction, read by admins only, newest first."""

from __future__ import annotations

import pytest

from auditapp.audit import queries
from auditapp.audit.services import record
from auditapp.extensions import db
from auditapp.vocabulary import AuditAction, Subject


@pytest.fixture
def logged(factory):
    admin = factory.user("admin", name="Ada Admin")
    branch = factory.branch("AMS", name="Amstel")
    record(admin, AuditAction.BRANCH_CREATED, Subject.BRANCH, branch.id, branch.name, code="AMS")
    record(None, AuditAction.USER_CREATED, Subject.USER, admin.id, "<script>x</script>", role="manager")
    db.session.commit()
    return admin, branch


def test_an_entry_is_committed_with_the_change_or_not_at_all(factory):
    admin = factory.user("admin")
    record(admin, AuditAction.USER_DEACTIVATED, Subject.USER, admin.id, admin.name)
    db.session.rollback()
    assert queries.entries() == ([], False)


def test_admin_reads_the_log_newest_first_with_who_and_what(logged, auth):
    admin, _branch = logged
    auth.login(admin)
    response = auth.client.get("/admin/audit/")
    html = listed(response.get_data(as_text=True))
    assert response.status_code == 200
    assert html.index("User created") < html.index("Branch created")  # the later entry first
    assert "Ada Admin" in html and "command line" in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>x</script>" not in html
    assert "AMS" in html  # the details


def listed(html: str) -> str:
    """The log itself, without the filter form whose options name every action."""
    return html.split('class="list audit-log"')[1].split("</ol>")[0] if 'class="list audit-log"' in html else ""


def test_the_log_filters_by_action_and_subject(logged, auth):
    admin, branch = logged
    auth.login(admin)
    log = listed(auth.client.get(f"/admin/audit/?subject=branch&id={branch.id}").get_data(as_text=True))
    assert "Branch created" in log and "User created" not in log
    log = listed(auth.client.get("/admin/audit/?action=user_created").get_data(as_text=True))
    assert "User created" in log and "Branch created" not in log


@pytest.mark.parametrize("query", ["page=0", "page=1e309", "action=nope", "id=999999999999999999999999999999",
                                   "subject=%ED%A0%80"])
def test_a_bad_filter_is_refused_with_a_message_never_a_500(logged, auth, query):
    auth.login(logged[0])
    response = auth.client.get(f"/admin/audit/?{query}")
    assert response.status_code == 422
    assert 'class="field-error"' in response.get_data(as_text=True) or "flash-error" in response.get_data(as_text=True)


def test_pages_of_fifty(factory, auth):
    admin = factory.user("admin")
    for i in range(queries.PAGE_SIZE + 3):
        record(admin, AuditAction.VISIT_SCHEDULED, Subject.VISIT, i + 1, f"visit {i}")
    db.session.commit()
    first, more = queries.entries()
    second, more_after = queries.entries(page=2)
    assert (len(first), more, len(second), more_after) == (queries.PAGE_SIZE, True, 3, False)
    auth.login(admin)
    assert "page=2" in auth.client.get("/admin/audit/").get_data(as_text=True)


@pytest.mark.parametrize("role", ["manager", "auditor", "hr"])
def test_only_admins_see_the_log(factory, auth, role):
    auth.login(factory.user(role))
    assert auth.client.get("/admin/audit/").status_code == 404
