"""Branch administration: add, change, close; a CSV import names every bad line and imports nothing then."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from auditapp.branches.models import Branch
from auditapp.extensions import db

GOOD = ("code,name,city,region,address,phone\n"
        "GRO-1,Harbour Groningen,Groningen,North,Grote Markt 1,050 123\n"
        "LEE-1,Harbour Leeuwarden,Leeuwarden,North,,\n")


def upload(auth, text: str | bytes):
    data = text if isinstance(text, bytes) else text.encode()
    return auth.client.post("/admin/branches/", data={"csv-csrf_token": auth.csrf, "csv-upload": "1",
                                                      "csv-file": (io.BytesIO(data), "branches.csv")},
                            content_type="multipart/form-data")


def codes() -> set[str]:
    return set(db.session.scalars(sa.select(Branch.code)))


def test_a_good_file_imports_and_an_existing_code_updates(factory, auth):
    factory.branch("LEE-1", name="Old name")
    auth.login(factory.user("admin"))
    response = upload(auth, "\ufeff" + GOOD.replace(",", ";"))  # a BOM and semicolons, as spreadsheets save
    assert response.status_code == 200 and "1 new, 1 updated" in response.get_data(as_text=True)
    db.session.expire_all()
    assert codes() == {"GRO-1", "LEE-1"}
    assert db.session.scalar(sa.select(Branch.name).where(Branch.code == "LEE-1")) == "Harbour Leeuwarden"


def test_a_file_with_two_bad_rows_names_both_lines_and_imports_nothing(factory, auth):
    auth.login(factory.user("admin"))
    text = GOOD + "bad code,Nameless\nASS-1,\nEMM-1,Harbour Emmen,Emmen,North,,\n"
    response = upload(auth, text)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'data-line="line 4"' in page and 'data-line="line 5"' in page
    assert "line 2" not in page and "line 6" not in page
    assert codes() == set()


@pytest.mark.parametrize("raw, message", [
    (b"\xff\xfe\x00c\x00o", "is not UTF-8 text"),
    (b"just,some,words\n1,2,3\n", "needs a first line naming its columns"),
    (b"", "needs a first line naming its columns"),
    ("code,name\nA,B\nA,C\n".encode(), "repeats the code of line 2"),
    ("code,name\nA,B\x00\n".encode(), "cannot be stored"),
])
def test_files_that_are_not_branch_lists_are_refused_with_a_message(factory, auth, raw, message):
    auth.login(factory.user("admin"))
    response = upload(auth, raw)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert codes() == set()


def test_add_change_and_close_a_branch(factory, auth):
    factory.branch("AMS")
    auth.login(factory.user("admin"))
    taken = auth.client.post("/admin/branches/", data={"new-csrf_token": auth.csrf, "new-code": "AMS",
                                                       "new-name": "Again", "new-save": "1"})
    assert taken.status_code == 422 and "exists already" in taken.get_data(as_text=True)
    added = auth.client.post("/admin/branches/", data={"new-csrf_token": auth.csrf, "new-code": "UTR",
                                                       "new-name": "Utrecht", "new-region": "Centre", "new-save": "1"})
    assert added.status_code == 302
    branch = db.session.scalar(sa.select(Branch).where(Branch.code == "UTR"))
    changed = auth.client.post(f"/admin/branches/{branch.id}", data={"csrf_token": auth.csrf, "code": "UTR",
                                                                     "name": "Utrecht Centraal", "region": "West",
                                                                     "save": "1"})
    assert changed.status_code == 302
    closed = auth.client.post(f"/admin/branches/{branch.id}", data={"state-csrf_token": auth.csrf,
                                                                    "state-close": "1"})
    assert closed.status_code == 302
    db.session.expire_all()
    assert (branch.name, branch.region_name, branch.active) == ("Utrecht Centraal", "West", False)


@pytest.mark.parametrize("role", ["manager", "auditor", "hr"])
def test_only_admins_manage_branches(factory, auth, role):
    auth.login(factory.user(role))
    assert auth.client.get("/admin/branches/").status_code == 404
