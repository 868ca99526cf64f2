"""Scope: a manager never sees another branch's visit, photo, PDF, report cell, export row or league entry;
HR reads numbers only; auditors reach no report at all. Everything outside answers 404 (docs/architecture.md, Roles)."""

from __future__ import annotations

import csv
import io

import pytest

from .dataset import APPROVED, build_world


@pytest.fixture
def world(app, factory, tmp_path):
    return build_world(factory, tmp_path, app.config["UPLOAD_DIR"])


def visit_of(world, code):
    return next(v for v, row in zip(world.visits, APPROVED) if row[0] == code)


def report_urls(branch_id: int) -> list[str]:
    q = "concept=mini&period=month&from=2026-06-01&to=2026-10-31"
    return [f"/reports/branches/{branch_id}?{q}", f"/reports/branches/{branch_id}/report.pdf?{q}",
            f"/reports/branches/{branch_id}/visits?{q}&at=2026-07&touchpoint=welcome",
            f"/reports/branches/{branch_id}/visits?{q}&at=2026-07",
            f"/api/v1/branches/{branch_id}/scores?{q}"]


def test_manager_reaches_nothing_of_another_branch(world, auth):
    auth.login(world.users["manager_ab"])
    c_visit = visit_of(world, "C")
    c_photo = c_visit.photos[0]
    for url in [f"/review/visits/{c_visit.id}", f"/api/v1/visits/{c_visit.id}/report.pdf",
                f"/api/v1/visits/{c_visit.id}", f"/api/v1/photos/{c_photo.id}/file?size=thumbnail",
                *report_urls(world.branches["C"].id)]:
        assert auth.client.get(url).status_code == 404, url
    # The same requests for an own branch work, so the 404s above are about scope.
    a_visit = world.photo_visit
    for url in [f"/review/visits/{a_visit.id}", f"/api/v1/visits/{a_visit.id}/report.pdf",
                f"/api/v1/photos/{a_visit.photos[0].id}/file?size=thumbnail", *report_urls(world.branches["A"].id)]:
        assert auth.client.get(url).status_code == 200, url


def test_other_manager_gets_404_for_a_real_photo_and_pdf(world, auth):
    auth.login(world.users["manager_c"])
    photo = next(p for p in world.photo_visit.photos if p.caption == "Sticky table")
    assert auth.client.get(f"/api/v1/photos/{photo.id}/file").status_code == 404
    assert auth.client.get(f"/api/v1/visits/{world.photo_visit.id}/report.pdf").status_code == 404
    response = auth.client.post(f"/review/visits/{world.submitted.id}",
                                data={"approve": "Approve", "csrf_token": auth.csrf})
    assert response.status_code == 404
    assert world.submitted.status == "submitted"


def test_manager_sees_a_visit_only_once_submitted(world, auth):
    auth.login(world.users["manager_ab"])
    assert auth.client.get(f"/review/visits/{world.draft.id}").status_code == 404
    assert auth.client.get(f"/api/v1/visits/{world.draft.id}/report.pdf").status_code == 404
    assert auth.client.get(f"/review/visits/{world.submitted.id}").status_code == 200


def test_manager_league_heatmap_and_export_hold_only_own_branches(world, auth):
    auth.login(world.users["manager_ab"])
    html = auth.client.get("/reports/?concept=mini&period=month&at=2026-07").get_data(as_text=True)
    assert "Brug" in html and "Amstel" in html
    assert "Centrum" not in html and "C01" not in html
    rows = list(csv.DictReader(io.StringIO(auth.client.get("/api/v1/exports/answers.csv").get_data(as_text=True)[1:])))
    assert rows and {r["branch"] for r in rows} == {"A01", "B01"}
    response = auth.client.get(f"/api/v1/exports/answers.csv?branch={world.branches['C'].id}")
    assert response.status_code == 422 and "branch" in response.get_json()["error"]["fields"]


def test_manager_does_not_see_other_regions_in_the_filter(world, auth):
    auth.login(world.users["manager_ab"])
    html = auth.client.get("/reports/").get_data(as_text=True)
    assert "North" in html and "South" not in html
    south = world.branches["C"].region_id
    assert auth.client.get(f"/reports/?region={south}").status_code == 422


def test_hr_reads_reports_but_no_visit_photo_or_review(world, auth):
    auth.login(world.users["hr"])
    a = world.branches["A"]
    visit = world.photo_visit
    for url in ["/manager", "/admin", f"/review/visits/{visit.id}", f"/review/visits/{world.submitted.id}",
                f"/api/v1/visits/{visit.id}/report.pdf", f"/api/v1/visits/{visit.id}",
                f"/api/v1/photos/{visit.photos[0].id}/file"]:
        assert auth.client.get(url).status_code == 404, url
    for url in ["/hr", "/reports/", *report_urls(a.id), *report_urls(world.branches["C"].id)]:
        assert auth.client.get(url).status_code == 200, url
    drill = auth.client.get(report_urls(a.id)[2]).get_data(as_text=True)
    assert "/review/visits/" not in drill  # numbers and dates, never a link to the visit itself
    assert "Anna Auditor" not in drill


def test_auditor_reaches_no_report_and_no_review(world, auth):
    auditor = world.users["auditor"]
    auth.login(auditor)
    own = world.photo_visit
    for url in ["/reports/", "/manager", f"/review/visits/{own.id}", "/api/v1/exports/answers.csv",
                *report_urls(world.branches["A"].id)]:
        assert auth.client.get(url).status_code == 404, url
    # docs/architecture.md, Roles: the auditor may read their own visit, so its PDF is theirs too.
    assert auth.client.get(f"/api/v1/visits/{own.id}/report.pdf").status_code == 200
    other = world.submitted  # another auditor's
    assert auth.client.get(f"/api/v1/visits/{other.id}/report.pdf").status_code == 404


def test_anonymous_is_sent_to_log_in(world, client):
    assert client.get("/reports/").status_code == 302
    assert client.get(f"/review/visits/{world.photo_visit.id}").status_code == 302
    assert client.get(f"/api/v1/branches/{world.branches['A'].id}/scores?concept=mini").status_code == 401
    assert client.get("/api/v1/exports/answers.csv").status_code == 401
