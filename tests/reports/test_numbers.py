"""Report numbers against expectations worked out by hand in dataset.py (docs/architecture.md, Scoring), on both databases."""

from __future__ import annotations

from datetime import date

import pytest

from auditapp.concepts.models import Concept
from auditapp.extensions import db
from auditapp.reports import build
from auditapp.reports.periods import parse_period

from .dataset import (APPROVED, VISIT, build_world, expected_overall, expected_phase, expected_touchpoint, mean,
                      month)

MONTHS = ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]


def quarter(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


@pytest.fixture
def world(app, factory, tmp_path):
    return build_world(factory, tmp_path, app.config["UPLOAD_DIR"])


def cells_of(series):
    """{period: (score, n)} for the cells that have visits, from an endpoint series."""
    return {c["period"]: (c["score"], c["n"]) for c in series if c["n"]}


def assert_cells(actual: dict, expected: dict):
    assert set(actual) == set(expected)
    for label, (score, n) in expected.items():
        assert actual[label][1] == n, label
        assert actual[label][0] == pytest.approx(score), label


def test_scores_endpoint_gives_design_shape_and_hand_computed_numbers(world, auth):
    auth.login(world.users["admin"])
    a = world.branches["A"]
    response = auth.client.get(f"/api/v1/branches/{a.id}/scores?concept=mini&period=month"
                               "&from=2026-06-01&to=2026-10-31")
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"periods", "overall", "touchpoints"}
    assert body["periods"] == MONTHS
    assert [set(c) for c in body["overall"]] == [{"period", "score", "n"}] * 5
    assert_cells(cells_of(body["overall"]), expected_overall({"A"}))
    # Joined by key across versions: latest order and names, the retired touchpoint at the end of its phase.
    assert [(t["key"], t["name"], t["phase"]) for t in body["touchpoints"]] == [
        ("phone", "Reservation by phone", "booking"), ("confirmation", "Confirmation", "booking"),
        ("welcome", "Welcome", "visit"), ("table", "Table service", "visit")]
    for t in body["touchpoints"]:
        assert set(t) == {"key", "name", "phase", "scores"}
        assert [c["period"] for c in t["scores"]] == MONTHS
        assert_cells(cells_of(t["scores"]), expected_touchpoint("A", t["key"]))
    table = next(t for t in body["touchpoints"] if t["key"] == "table")
    assert {c["period"] for c in table["scores"] if c["n"]} == set(MONTHS)  # both versions in one row
    # Spot checks written out, in case the helpers and the app shared a mistake.
    overall = {c["period"]: c for c in body["overall"]}
    assert overall["2026-06"]["score"] == pytest.approx((100 + 400 / 9) / 2) and overall["2026-06"]["n"] == 2
    assert overall["2026-07"]["score"] == pytest.approx((25 + 250 / 3) / 2)  # the submitted visit does not count
    confirmation = {c["period"]: c for c in body["touchpoints"][1]["scores"]}
    assert confirmation["2026-06"] == {"period": "2026-06", "score": 100.0, "n": 1}  # n/a is not a visit for T
    assert confirmation["2026-09"] == {"period": "2026-09", "score": None, "n": 0}


@pytest.mark.parametrize("kind, label_of, first, last, periods", [
    ("quarter", quarter, "2026-04-01", "2026-12-31", ["2026-Q2", "2026-Q3", "2026-Q4"]),
    ("year", lambda d: str(d.year), "2025-03-01", "2026-11-30", ["2025", "2026"]),
])
def test_scores_by_quarter_and_year(world, auth, kind, label_of, first, last, periods):
    auth.login(world.users["admin"])
    body = auth.client.get(f"/api/v1/branches/{world.branches['A'].id}/scores?concept=mini&period={kind}"
                           f"&from={first}&to={last}").get_json()
    assert body["periods"] == periods
    assert_cells(cells_of(body["overall"]), expected_overall({"A"}, label_of))
    welcome = next(t for t in body["touchpoints"] if t["key"] == "welcome")
    assert_cells(cells_of(welcome["scores"]), expected_touchpoint("A", "welcome", label_of))


@pytest.mark.parametrize("query, field", [
    ("period=month", "concept"),
    ("concept=nope", "concept"),
    ("concept=mini&period=week", "period"),
    ("concept=mini&from=2026-13-01", "from"),
    ("concept=mini&to=yesterday", "to"),
    ("concept=mini&from=2026-06-01&to=2026-05-01", "to"),
    ("concept=mini&from=1900-01-01&to=2026-01-01", "from"),
])
def test_scores_endpoint_rejects_bad_parameters_with_fields(world, auth, query, field):
    auth.login(world.users["admin"])
    response = auth.client.get(f"/api/v1/branches/{world.branches['A'].id}/scores?{query}")
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def _report(world, viewer, code="A", kind="month", first=date(2026, 6, 1), last=date(2026, 10, 31)):
    concept = db.session.get(Concept, world.concept_id)
    return build.branch_report(world.users[viewer], world.branches[code], concept, kind, first, last)


def test_branch_report_network_is_the_mean_over_the_branches_the_viewer_sees(world):
    for viewer, seen in (("admin", {"A", "B", "C"}), ("hr", {"A", "B", "C"}), ("manager_ab", {"A", "B"})):
        report = _report(world, viewer)
        network = {p: (c.score, c.n) for p, c in zip(report.periods, report.network) if c.n}
        assert_cells(network, expected_overall(seen))
    july = _report(world, "manager_ab").network[1]
    assert july.n == 5 and july.score == pytest.approx((25 + 250 / 3 + 100 + 100 + 400 / 9) / 5)


def test_branch_report_phases_weakest_failed_standards_and_version_marks(world):
    report = _report(world, "admin")
    assert report.periods == tuple(MONTHS)
    assert [p.key for p in report.phases] == ["booking", "visit"]
    for phase in report.phases:
        cells = {p: (c.score, c.n) for p, c in zip(report.periods, phase.cells) if c.n}
        assert_cells(cells, expected_phase("A", phase.key))
    booking_july = report.phases[0].cells[1]
    assert booking_july.n == 2 and booking_july.score == pytest.approx((0 + 250 / 3) / 2)

    # Weakest: phone 66.7 (n=1), welcome (100+66.7+0+58.3+100+66.7+100)/7, table 5·100/7, confirmation 75.
    assert [(name, n) for name, _score, n in report.weakest] == [
        ("Reservation by phone", 1), ("Welcome", 7), ("Table service", 7), ("Confirmation", 4)]
    assert [score for _n, score, _c in report.weakest] == pytest.approx(
        [200 / 3, (100 + 200 / 3 + 0 + 175 / 3 + 100 + 200 / 3 + 100) / 7, 500 / 7, 75.0])

    # Failed (score 0) over scored answers, joined by key across versions; n/a and weight 0 never count.
    assert report.failed_standards == (
        ("The table is clean.", "Table service", 2, 7),
        ("Minutes on hold.", "Reservation by phone", 1, 1),
        ("Booking confirmed in writing.", "Confirmation", 1, 4),
        ("Greeted within a minute.", "Welcome", 1, 7),
        ("Which extra was offered?", "Welcome", 1, 7),
    )
    assert report.version_marks == (("2026-09", "v2"),)


def test_branch_report_range_mean_agrees_with_every_visit_of_the_branch(world):
    report = _report(world, "admin", kind="year", first=date(2026, 1, 1), last=date(2026, 12, 31))
    assert report.periods == ("2026",)
    expected = [VISIT[key] for code, _d, key, _v in APPROVED if code == "A"]
    assert report.overall[0].n == len(expected) == 8
    assert report.overall[0].score == pytest.approx(mean(expected))


def test_league_table_ranks_by_period_score_and_sets_small_samples_apart(world):
    concept = db.session.get(Concept, world.concept_id)
    july = parse_period("2026-07", "month")
    data = build.overview(world.users["admin"], concept, july)
    b_july = (100 + 100 + 400 / 9) / 3
    c_july = (25 + 25 + 475 / 6) / 3
    assert [(r.code, r.current.n) for r in data.ranked] == [("B01", 3), ("C01", 3)]
    assert [r.current.score for r in data.ranked] == pytest.approx([b_july, c_july])
    assert data.ranked[0].previous.score == pytest.approx(475 / 6) and data.ranked[0].previous.n == 1
    assert data.ranked[0].change == pytest.approx(b_july - 475 / 6)
    assert data.ranked[1].change is None  # C had no visit in June
    assert [(r.code, r.current.n) for r in data.too_few] == [("A01", 2)]
    heat = data.heat[(world.branches["B"].id, "welcome")]
    assert heat.n == 3 and heat.score == pytest.approx((100 + 100 + 200 / 3) / 3)
    # The region filter keeps the South out.
    north = build.overview(world.users["admin"], concept, july, region_id=world.branches["A"].region_id)
    assert {r.code for r in north.rows} == {"A01", "B01"}


def test_overview_page_shows_league_and_too_few(world, auth):
    auth.login(world.users["admin"])
    page = auth.client.get("/reports/?concept=mini&period=month&at=2026-07")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    league = html[html.index('class="league"'):html.index('id="too-few"')]
    assert league.index("Brug") < league.index("Centrum") and "Amstel" not in league
    assert f"{(100 + 100 + 400 / 9) / 3:.1f}" in league and "+2.3" in league
    too_few = html[html.index('id="too-few"'):html.index('id="heat-title"')]
    assert "Amstel" in too_few and "n=2" in too_few


def test_overview_switching_to_quarter_keeps_the_place(world, auth):
    auth.login(world.users["admin"])
    html = auth.client.get("/reports/?concept=mini&period=quarter&at=2026-07").get_data(as_text=True)
    assert "2026-Q3" in html and 'class="league"' in html


def test_branch_page_shows_cells_with_n_and_drills_to_the_visits(world, auth):
    auth.login(world.users["manager_ab"])
    a = world.branches["A"]
    page = auth.client.get(f"/reports/branches/{a.id}?concept=mini&period=month&from=2026-06-01&to=2026-10-31")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Table service" in html and "retired" in html and "v2" in html
    assert f"{(100 + 400 / 9) / 2:.1f}" in html and "n=2" in html
    assert 'class="table-scroll"' in html and "<svg" in html
    drill = auth.client.get(f"/reports/branches/{a.id}/visits?concept=mini&period=month&from=2026-06-01"
                            "&to=2026-10-31&at=2026-06&touchpoint=welcome")
    assert drill.status_code == 200
    text = drill.get_data(as_text=True)
    june = [v for v, row in zip(world.visits, APPROVED) if row[0] == "A" and month(row[1]) == "2026-06"]
    for visit in june:
        assert f'/review/visits/{visit.id}"' in text
    assert text.count("/review/visits/") == 2
    assert f"{(100 + 200 / 3) / 2:.1f}" in text


def test_branch_page_bad_dates_are_shown_at_the_field(world, auth):
    auth.login(world.users["admin"])
    page = auth.client.get(f"/reports/branches/{world.branches['A'].id}?concept=mini&from=31-12-2026")
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert 'id="f-from-error"' in html and "2026-04-30" in html


def test_overview_ranks_by_quarter_unless_asked(world, auth):
    """Two visits a month rarely reach n = 3, so the league table opens on the latest quarter."""
    auth.login(world.users["admin"])
    html = auth.client.get("/reports/?concept=mini").get_data(as_text=True)
    assert '<option value="quarter" selected' in html or 'value="quarter" selected' in html
    assert "-Q" in html[html.index("<h1"):html.index("</h1>")]
