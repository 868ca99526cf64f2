"""Role scores from a fixed dataset, computed here independently, agree on the page, in the PDF and in the JSON;
cells under three visits are hidden in all three; a manager sees only their branches."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime
from statistics import mean

import pytest

from ..reports.test_exports import pdf_text
from ..visits.test_api import COMPLETE

# The mini concept's host owns the welcome touchpoint: greeted (yes/no), friendliness (scale 1–5), upsell (choice).
UPSELL = {"none": 0.0, "drink": 0.5, "fitting": 1.0}
# (branch, day, greeted, friendliness, upsell)
VISITS = [
    ("A", datetime(2026, 4, 3, 12), "yes", 5, "fitting"),
    ("A", datetime(2026, 4, 10, 12), "yes", 3, "drink"),
    ("A", datetime(2026, 4, 20, 12), "no", 2, "none"),
    ("A", datetime(2026, 5, 4, 12), "yes", 4, "drink"),
    ("A", datetime(2026, 5, 18, 12), "yes", 1, "fitting"),
    ("B", datetime(2026, 4, 8, 12), "yes", 4, "none"),
    ("B", datetime(2026, 5, 2, 12), "no", 5, "drink"),
    ("B", datetime(2026, 5, 9, 12), "yes", 5, "fitting"),
    ("B", datetime(2026, 5, 30, 12), "yes", 2, "none"),
]
QUERY = "concept=mini&role=host&period=month&from=2026-04-01&to=2026-05-31"


def host_score(greeted: str, friendliness: int, upsell: str) -> float:
    """DESIGN §3 by hand: 100 · Σ w·s / Σ w over the host's three standards, all of weight 1."""
    return 100 * mean([1.0 if greeted == "yes" else 0.0, (friendliness - 1) / 4, UPSELL[upsell]])


def expected(branches: set[str]) -> tuple[dict, dict]:
    cells, overall = defaultdict(list), defaultdict(list)
    for code, day, *answers in VISITS:
        if code in branches:
            month = f"{day:%Y-%m}"
            cells[(code, month)].append(host_score(*answers))
            overall[month].append(host_score(*answers))
    return cells, overall


@pytest.fixture
def world(factory):
    version = factory.concept()
    branches = {"A": factory.branch("AMS", name="Amstel"), "B": factory.branch("ROT", name="Rotte")}
    for code, day, greeted, friendliness, upsell in VISITS:
        visit = factory.visit(version=version, branch=branches[code], due=day.date())
        factory.approved(visit, {**COMPLETE, "greeted": greeted, "friendliness": friendliness, "upsell": upsell},
                         visited_at=day)
    people = {"hr": factory.user("hr"), "manager": factory.user("manager", branches=(branches["A"],)),
              "auditor": factory.user("auditor"), "admin": factory.user("admin")}
    return branches, people


def test_json_matches_the_scores_computed_by_hand_and_hides_thin_cells(world, auth):
    branches, people = world
    auth.login(people["hr"])
    body = auth.client.get(f"/api/v1/roles/scores?{QUERY}").get_json()
    cells, overall = expected({"A", "B"})
    assert (body["concept"], body["role"], body["periods"]) == ("mini", "host", ["2026-04", "2026-05"])
    for cell in body["overall"]:
        scores = overall[cell["period"]]
        assert cell["n"] == len(scores) and cell["hidden"] is False
        assert cell["score"] == pytest.approx(mean(scores))
    by_code = {b["code"]: b for b in body["branches"]}
    assert set(by_code) == {"AMS", "ROT"}
    for code, letter in (("AMS", "A"), ("ROT", "B")):
        for cell in by_code[code]["scores"]:
            scores = cells[(letter, cell["period"])]
            assert cell["n"] == len(scores)
            if len(scores) < 3:
                assert cell["hidden"] is True and cell["score"] is None
            else:
                assert cell["hidden"] is False and cell["score"] == pytest.approx(mean(scores))
    # A thin cell is really there (2 visits in May at Amstel, 1 in April at Rotte) and really hidden.
    assert [c["hidden"] for c in by_code["AMS"]["scores"]] == [False, True]
    assert [c["hidden"] for c in by_code["ROT"]["scores"]] == [True, False]
    standards = {s["key"]: s for s in body["standards"]}
    assert set(standards) == {"greeted", "friendliness", "upsell"}
    assert standards["greeted"]["score"] == pytest.approx(100 * 7 / 9) and standards["greeted"]["n"] == 9
    assert standards["greeted"]["critical_failures"] == 2 == body["critical_failures"]
    assert "auditor" not in str(body).lower() and "comment" not in str(body)


def test_the_page_and_the_pdf_show_the_same_numbers_and_hide_the_same_cells(world, auth):
    _branches, people = world
    auth.login(people["hr"])
    cells, overall = expected({"A", "B"})
    page = auth.client.get(f"/roles/scores?{QUERY}").get_data(as_text=True)
    text = pdf_text(auth.client.get(f"/roles/scores.pdf?{QUERY}").data)
    amstel = page.split('data-branch="AMS"')[1].split("</tr>")[0]
    rotte = page.split('data-branch="ROT"')[1].split("</tr>")[0]
    april_a = f"{mean(cells[('A', '2026-04')]):.1f}"
    may_b = f"{mean(cells[('B', '2026-05')]):.1f}"
    may_a_hidden = f"{mean(cells[('A', '2026-05')]):.1f}"
    assert april_a in amstel and "not enough visits" in amstel and may_a_hidden not in amstel
    assert may_b in rotte and "not enough visits" in rotte
    for month, scores in overall.items():
        assert f"{mean(scores):.1f}" in page and f"{mean(scores):.1f}" in text
    assert april_a in text and may_b in text and "not enough visits" in text
    assert may_a_hidden not in text.replace(f"{mean(overall['2026-05']):.1f}", "")


def test_a_manager_sees_only_their_branches(world, auth):
    branches, people = world
    auth.login(people["manager"])
    body = auth.client.get(f"/api/v1/roles/scores?{QUERY}").get_json()
    assert [b["code"] for b in body["branches"]] == ["AMS"]
    cells, overall = expected({"A"})
    assert body["overall"][0]["score"] == pytest.approx(mean(overall["2026-04"]))
    assert body["overall"][1]["hidden"] is True  # two visits in May at the manager's only branch
    refused = auth.client.get(f"/api/v1/roles/scores?{QUERY}&branch={branches['B'].id}")
    assert refused.status_code == 422 and "branch" in refused.get_json()["error"]["fields"]
    page = auth.client.get(f"/roles/scores?{QUERY}").get_data(as_text=True)
    assert "Rotte" not in page


def test_auditors_get_404(world, auth):
    auth.login(world[1]["auditor"])
    assert auth.client.get(f"/roles/scores?{QUERY}").status_code == 404
    assert auth.client.get(f"/api/v1/roles/scores?{QUERY}").status_code == 404


@pytest.mark.parametrize("query", ["concept=mini&role=nobody", "concept=nope&role=host", "concept=mini",
                                   "concept=mini&role=host&from=0001-01-01", "concept=mini&role=host&period=week",
                                   "concept=mini&role=host&branch=999999999999999999999999999999",
                                   "concept=mini&role=%ED%A0%80", "concept=mini&role=host&from=2026-05-01&to=2026-04-01"])
def test_bad_queries_are_refused_with_the_field_never_a_500(world, auth, query):
    auth.login(world[1]["hr"])
    api = auth.client.get(f"/api/v1/roles/scores?{query}")
    page = auth.client.get(f"/roles/scores?{query}")
    if query == "concept=mini":  # the role is required by the API; the page opens on the concept's first role
        assert api.status_code == 422 and page.status_code == 200
        return
    assert api.status_code == 422 and api.get_json()["error"]["fields"]
    assert page.status_code == 422 and 'class="field-error"' in page.get_data(as_text=True)


def test_the_scores_are_in_the_api_document(client):
    operation = client.get("/api/v1/openapi.json").get_json()["paths"]["/api/v1/roles/scores"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"concept", "role", "period", "from", "to", "branch"}
    assert "hidden" in str(operation["responses"]["200"])
