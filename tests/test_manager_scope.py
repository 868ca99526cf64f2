"""A manager answers for the branches linked to them and for every branch of a linked region, new ones included."""

from __future__ import annotations

from datetime import datetime

from auditapp.branches.queries import visible_branches
from auditapp.extensions import db
from auditapp.visits.models import Visit
from auditapp.visits.queries import visible_visits_stmt
from auditapp.visits.services import submit_visit

from .reports.dataset import ANSWERS, fill


def test_a_region_brings_its_branches_including_ones_added_later(factory, auth):
    north, south = factory.branch("GRO", region="North"), factory.branch("MAA", region="South")
    single = factory.branch("UTR", region="Centre")
    manager = factory.user("manager", branches=(single,))
    manager.regions = [north.region]
    db.session.commit()
    later = factory.branch("LEE", region="North")

    assert {b.code for b in visible_branches(manager)} == {"GRO", "LEE", "UTR"}
    visit = factory.visit(branch=later)
    elsewhere = factory.visit(version=visit.concept_version, branch=south)
    for v in (visit, elsewhere):
        fill(factory, v, ANSWERS["GOOD"], datetime(2026, 11, 2, 19, 0))
        submit_visit(v, v.auditor)
    seen = set(db.session.scalars(visible_visits_stmt(manager).with_only_columns(Visit.id)))
    assert visit.id in seen and elsewhere.id not in seen

    auth.login(manager)
    assert auth.client.get(f"/review/visits/{visit.id}").status_code == 200
    assert auth.client.get(f"/review/visits/{elsewhere.id}").status_code == 404
    assert auth.client.get(f"/reports/branches/{later.id}").status_code in (200, 422)
    assert auth.client.get(f"/reports/branches/{south.id}").status_code == 404
    codes = {b["code"] for b in auth.client.get("/api/v1/branches").get_json()}
    assert codes == {"GRO", "LEE", "UTR"}
