"""Exports from the database: the answers CSV row by row, and the visit and branch PDFs with their photos."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from pypdf import PdfReader

from auditapp.visits.commands import Decision, Review
from auditapp.extensions import db
from auditapp.photos.services import photo_store
from auditapp.visits import services as visit_services
from auditapp.visits.models import Answer, Visit

from .dataset import APPROVED, HOSTILE, build_world, fill


@pytest.fixture
def world(app, factory, tmp_path):
    return build_world(factory, tmp_path, app.config["UPLOAD_DIR"])


def read_csv(response) -> list[dict]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # the byte-order mark spreadsheet programs need to read UTF-8
    return list(csv.DictReader(io.StringIO(text[1:])))


def approved_answers() -> list[Answer]:
    return list(db.session.scalars(db.select(Answer).join(Visit).where(Visit.status == "approved")))


def test_csv_has_one_row_per_answer_of_approved_visits_with_their_values(world, auth):
    auth.login(world.users["admin"])
    rows = read_csv(auth.client.get("/api/v1/exports/answers.csv?concept=mini"))
    assert list(rows[0]) == ["visit", "branch", "region", "date", "channel", "persona", "concept", "version",
                             "phase", "touchpoint", "standard", "value", "score", "comment"]
    answers = approved_answers()
    assert len(rows) == len(answers) > 0
    by_key = {(int(r["visit"]), r["standard"]): r for r in rows}
    for answer in answers:
        row = by_key[(answer.visit_id, answer.standard_key)]
        assert row["value"] == ("" if answer.value is None else str(answer.value))
        assert row["comment"] == answer.comment
    assert world.submitted.id not in {int(r["visit"]) for r in rows}  # only approved visits are reported
    assert world.draft.id not in {int(r["visit"]) for r in rows}

    photo_visit = world.photo_visit.id  # A, 2026-06-20, the MIXED answers
    row = {r["standard"]: r for r in rows if int(r["visit"]) == photo_visit}
    assert row["clean"]["comment"] == HOSTILE and row["clean"]["score"] == "0.0"
    assert row["friendliness"]["value"] == "3" and row["friendliness"]["score"] == "50.0"
    assert row["upsell"]["value"] == "drink" and row["upsell"]["score"] == "50.0"
    assert row["confirmed"]["value"] == "na" and row["confirmed"]["score"] == ""  # n/a is not scored
    assert row["pilot"]["score"] == ""  # weight 0
    assert row["wait"]["score"] == ""  # a number without target is recorded only
    assert (row["clean"]["branch"], row["clean"]["region"], row["clean"]["date"], row["clean"]["channel"],
            row["clean"]["persona"], row["clean"]["concept"], row["clean"]["version"], row["clean"]["phase"],
            row["clean"]["touchpoint"]) == ("A01", "North", "2026-06-20", "visit", "solo", "mini", "1", "visit",
                                            "table")
    versions = {r["version"] for r in rows}
    assert versions == {"1", "2"}


def test_csv_filters_by_dates_and_branch(world, auth):
    auth.login(world.users["admin"])
    a = world.branches["A"]
    rows = read_csv(auth.client.get(f"/api/v1/exports/answers.csv?branch={a.id}&from=2026-07-01&to=2026-07-31"))
    expected = {v.id for v, row in zip(world.visits, APPROVED) if row[0] == "A" and row[1].month == 7}
    assert {int(r["visit"]) for r in rows} == expected and len(expected) == 2
    assert {r["date"][:7] for r in rows} == {"2026-07"}
    # The shape of the parameters is checked before what they name.
    bad = auth.client.get("/api/v1/exports/answers.csv?from=July&to=June&concept=nope")
    assert bad.status_code == 422 and set(bad.get_json()["error"]["fields"]) == {"from", "to"}
    unknown = auth.client.get("/api/v1/exports/answers.csv?from=2026-07-31&to=2026-07-01&concept=nope")
    assert unknown.status_code == 422 and set(unknown.get_json()["error"]["fields"]) == {"concept", "to"}


def test_csv_for_hr_is_role_level_without_free_text(world, auth):
    auth.login(world.users["hr"])
    rows = read_csv(auth.client.get("/api/v1/exports/answers.csv"))
    assert {r["branch"] for r in rows} == {"A01", "B01", "C01"}
    assert all(r["comment"] == "" for r in rows)
    assert all(r["value"] == "" for r in rows if r["standard"] == "dish")  # free text may name people
    assert any(r["value"] == "yes" for r in rows if r["standard"] == "greeted")


def test_csv_cells_cannot_run_as_spreadsheet_formulas(app, factory, auth):
    visit = factory.visit()
    fill(factory, visit, {"confirmed": "yes", "greeted": "yes", "friendliness": 5, "upsell": "none", "clean": "yes",
                          "wait": 1, "dish": "=HYPERLINK(\"http://x\")", "pilot": "no"},
         datetime(2026, 5, 2, 12), comments={"greeted": "@SUM(A1)"})
    visit_services.submit_visit(visit, visit.auditor)
    admin = factory.user("admin")
    visit_services.review_visit(visit, admin, Review(Decision.APPROVE))
    auth.login(admin)
    rows = {r["standard"]: r for r in read_csv(auth.client.get("/api/v1/exports/answers.csv"))}
    assert rows["dish"]["value"] == "'=HYPERLINK(\"http://x\")"
    assert rows["greeted"]["comment"] == "'@SUM(A1)"


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdf_images(data: bytes) -> list[tuple[list[str], bytes]]:
    """Every distinct image XObject as (filters, raw stream bytes)."""
    out, seen = [], set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for ref in page.get("/Resources", {}).get("/XObject", {}).values():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image" and ref.idnum not in seen:
                seen.add(ref.idnum)
                filters = obj.get("/Filter")
                filters = [str(f) for f in filters] if isinstance(filters, list) else [str(filters)]
                out.append((filters, obj._data))
    return out


def test_visit_pdf_from_the_database_has_branch_score_hostile_comment_and_the_stored_jpeg(world, auth, app):
    auth.login(world.users["manager_ab"])
    visit = world.photo_visit
    response = auth.client.get(f"/api/v1/visits/{visit.id}/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    text = pdf_text(response.data)
    assert "Amstel" in text
    assert f"{400 / 9:.1f}" in text  # 44.4, one decimal
    assert HOSTILE in text  # printed literally, not taken as markup
    assert "Sticky table" in text
    assert visit.auditor.pseudonym in text and "Anna Auditor" not in text  # managers never see the name
    photo = next(p for p in visit.photos if p.caption == "Sticky table")
    stored = photo_store(app.config["UPLOAD_DIR"]).path(photo.file_key).read_bytes()
    images = pdf_images(response.data)
    assert (["/DCTDecode"], stored) in images  # the stored JPEG, byte for byte: not re-encoded


def test_visit_page_has_the_pdf_button(world, auth):
    auth.login(world.users["admin"])
    html = auth.client.get(f"/review/visits/{world.photo_visit.id}").get_data(as_text=True)
    assert f'/api/v1/visits/{world.photo_visit.id}/report.pdf' in html


def test_branch_pdf_has_branch_and_period_scores(world, auth):
    auth.login(world.users["admin"])
    a = world.branches["A"]
    response = auth.client.get(f"/reports/branches/{a.id}/report.pdf?concept=mini&period=month"
                               "&from=2026-06-01&to=2026-10-31")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "Amstel" in text and "2026-06" in text and "Table service" in text
    assert f"{(100 + 400 / 9) / 2:.1f}" in text
    assert auth.client.get(f"/reports/branches/{a.id}/report.pdf?concept=nope").status_code == 422


def test_branch_pdf_names_the_comparison_as_the_page_does(world, auth):
    path = f"/reports/branches/{world.branches['A'].id}"
    query = "?concept=mini&period=month&from=2026-06-01&to=2026-10-31"
    for role, label, other in (("manager_ab", "Your branches", "All branches"),
                               ("admin", "All branches", "Your branches")):
        auth.login(world.users[role])
        page = auth.client.get(path + query).get_data(as_text=True)
        text = pdf_text(auth.client.get(path + "/report.pdf" + query).data)
        assert label in page and label in text
        assert other not in page and other not in text
        assert auth.logout().status_code == 302


def test_branch_pdf_with_no_visits_in_range_still_renders(world, auth):
    auth.login(world.users["admin"])
    response = auth.client.get(f"/reports/branches/{world.branches['A'].id}/report.pdf?concept=mini"
                               "&period=year&from=2020-01-01&to=2021-12-31")
    assert response.status_code == 200
    assert "No approved visits" in pdf_text(response.data)



def test_version_marks_link_to_what_changed(world, auth):
    auth.login(world.users["admin"])
    page = auth.client.get(f"/reports/branches/{world.branches['A'].id}?concept=mini&period=month"
                           "&from=2026-06-01&to=2026-10-31").get_data(as_text=True)
    assert 'href="/concepts/mini/diff?to=2"' in page
    assert auth.client.get("/concepts/mini/diff?to=2").status_code == 200
