"""Branch administration: add, change, close; a CSV import names every bad line and imports nothing then."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from auditapp.audit.models import AuditEntry
from auditapp.branches.models import Branch
from auditapp.extensions import db

GOOD = ("code,name,city,region,address,phone\n"
        "GRO-1,Harbour Groningen,Groningen,North,Grote Markt 1,050 123\n"
        "LEE-1,Harbour Leeuwarden,Leeuwarden,North,,\n")


def upload(auth, text: str | bytes):
    data = text if isinstance(text, bytes) else text.encode()
    return auth.client.post("/admin/branches/import", data={"csv-csrf_token": auth.csrf, "csv-upload": "1",
                                                            "csv-file": (io.BytesIO(data), "branches.csv")},
                            content_type="multipart/form-data")


def codes() -> set[str]:
    return set(db.session.scalars(sa.select(Branch.code)))


def by_code(code: str) -> Branch:
    db.session.expire_all()
    return db.session.scalar(sa.select(Branch).where(Branch.code == code))


def test_a_good_file_imports_and_an_existing_code_updates(factory, auth):
    factory.branch("LEE-1", name="Old name")
    auth.login(factory.user("admin"))
    response = upload(auth, "\ufeff" + GOOD.replace(",", ";"))  # a BOM and semicolons, as spreadsheets save
    assert response.status_code == 200 and "1 new, 1 updated, 0 unchanged" in response.get_data(as_text=True)
    assert codes() == {"GRO-1", "LEE-1"}
    assert (by_code("LEE-1").name, by_code("GRO-1").region_name) == ("Harbour Leeuwarden", "North")
    actions = sorted(e.action for e in db.session.scalars(sa.select(AuditEntry)))
    assert actions == ["branch_changed", "branch_created"]
    again = upload(auth, GOOD)
    assert "0 new, 0 updated, 2 unchanged" in again.get_data(as_text=True)


def test_an_update_leaves_the_columns_the_file_does_not_have(factory, auth):
    factory.branch("LEE-1", name="Old name", city="Leeuwarden", region="North")
    auth.login(factory.user("admin"))
    assert upload(auth, "code,name\nLEE-1,New name\n").status_code == 200
    branch = by_code("LEE-1")
    assert (branch.name, branch.city, branch.region_name) == ("New name", "Leeuwarden", "North")


def test_a_file_with_two_bad_rows_names_both_lines_and_imports_nothing(factory, auth):
    auth.login(factory.user("admin"))
    text = GOOD + "bad code,Nameless\nASS-1,\nEMM-1,Harbour Emmen,Emmen,North,,\n"
    response = upload(auth, text)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'data-line="line 4"' in page and 'data-line="line 5"' in page
    assert page.count("data-line=") == 2
    assert "Line 5: name is required" in page
    assert codes() == set()


def test_line_numbers_are_the_files_lines_and_every_reason_is_given(factory, auth):
    auth.login(factory.user("admin"))
    text = ('code,name,address\n'
            'A-1,"Two-line\nname",x\n'                   # lines 2-3: fine
            '\n'                                          # line 4: blank
            'bad code,,Street 1,extra\n')                 # line 5: three problems
    page = upload(auth, text).get_data(as_text=True)
    assert 'data-line="line 5"' in page and page.count("data-line=") == 1
    assert "code must be" in page and "name is required" in page and "has 4 values" in page
    assert codes() == set()


@pytest.mark.parametrize("raw, message", [
    (b"\xff\xfe\x00c\x00o", "is not UTF-8 text"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is not UTF-8 text"),
    (b"just,some,words\n1,2,3\n", "needs a first line naming its columns"),
    (b"code,name,code\nA,B,C\n", "needs a first line naming its columns"),
    (b"", "is empty"),
    ("code,name\nA,B\nA,C\n".encode(), "repeats the code of line 2"),
    ("code,name\nA,B\x00\n".encode(), "cannot be stored"),
    (b"code,name\n" + b"A,B\n" * (1024 * 1024), "larger than 2 MB"),
])
def test_files_that_are_not_branch_lists_are_refused_with_a_message(factory, auth, raw, message):
    auth.login(factory.user("admin"))
    response = upload(auth, raw)
    assert response.status_code in (413, 422) and message in response.get_data(as_text=True)
    assert codes() == set()


def test_an_import_without_a_file_is_refused_at_the_field(factory, auth):
    auth.login(factory.user("admin"))
    response = auth.client.post("/admin/branches/import", data={"csv-csrf_token": auth.csrf, "csv-upload": "1"})
    assert response.status_code == 422 and 'id="csv-file-error"' in response.get_data(as_text=True)


def test_add_change_and_close_a_branch(factory, auth):
    factory.branch("AMS")
    auth.login(factory.user("admin"))
    taken = auth.client.post("/admin/branches/", data={"new-csrf_token": auth.csrf, "new-code": "AMS",
                                                       "new-name": "Again", "new-save": "1"})
    page = taken.get_data(as_text=True)
    assert taken.status_code == 422 and 'id="new-code-error"' in page and "exists already" in page
    assert 'value="Again"' in page  # nothing typed is lost
    added = auth.client.post("/admin/branches/", data={"new-csrf_token": auth.csrf, "new-code": "UTR",
                                                       "new-name": "Utrecht", "new-region": "Centre", "new-save": "1"})
    assert added.status_code == 302
    branch = by_code("UTR")
    refused = auth.client.post(f"/admin/branches/{branch.id}", data={"csrf_token": auth.csrf, "name": "",
                                                                     "city": "Kept", "save": "1"})
    assert refused.status_code == 422 and 'id="name-error"' in refused.get_data(as_text=True)
    assert 'value="Kept"' in refused.get_data(as_text=True) and "error-summary" in refused.get_data(as_text=True)
    changed = auth.client.post(f"/admin/branches/{branch.id}", data={"csrf_token": auth.csrf, "code": "UTR",
                                                                     "name": "Utrecht Centraal", "region": "West",
                                                                     "save": "1"})
    assert changed.status_code == 302
    closed = auth.client.post(f"/admin/branches/{branch.id}", data={"state-csrf_token": auth.csrf,
                                                                    "state-close": "1"})
    assert closed.status_code == 302
    branch = by_code("UTR")
    assert (branch.name, branch.region_name, branch.active) == ("Utrecht Centraal", "West", False)
    listing = auth.client.get("/admin/branches/").get_data(as_text=True)
    assert "1 closed" in listing
    reopened = auth.client.post(f"/admin/branches/{branch.id}", data={"state-csrf_token": auth.csrf,
                                                                      "state-reopen": "1"})
    assert reopened.status_code == 302 and by_code("UTR").active
    actions = [e.action for e in db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == ["branch_created", "branch_changed", "branch_deactivated", "branch_changed"]


def test_the_cli_adds_a_branch_and_refuses_a_taken_code(factory, runner):
    assert runner.invoke(args=["branches", "add", "ZWO", "--name", "Zwolle"]).output.strip() == "ZWO: added"
    taken = runner.invoke(args=["branches", "add", "ZWO", "--name", "Again"])
    assert taken.exit_code == 1 and "exists already" in taken.output


@pytest.mark.parametrize("role", ["manager", "auditor", "hr"])
def test_only_admins_manage_branches(factory, auth, role):
    branch = factory.branch("AMS")
    auth.login(factory.user(role))
    assert auth.client.get("/admin/branches/").status_code == 404
    assert auth.client.get(f"/admin/branches/{branch.id}").status_code == 404
    assert upload(auth, GOOD).status_code == 404
    assert auth.client.post(f"/admin/branches/{branch.id}", data={"state-csrf_token": auth.csrf,
                                                                  "state-close": "1"}).status_code == 404
    assert by_code("AMS").active and codes() == {"AMS"}


def test_every_post_needs_the_csrf_token(app, factory, auth):
    branch = factory.branch("AMS")
    auth.login(factory.user("admin"))
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        for url, data in [("/admin/branches/", {"new-code": "X", "new-name": "X", "new-save": "1"}),
                          ("/admin/branches/import", {"csv-upload": "1"}),
                          (f"/admin/branches/{branch.id}", {"state-close": "1"})]:
            assert auth.client.post(url, data=data).status_code == 400, url
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert codes() == {"AMS"} and by_code("AMS").active
