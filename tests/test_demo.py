"""The demo organisation: the stories its numbers tell, its work in progress, and that every demo login works."""

from __future__ import annotations

import re
import statistics
from datetime import date

import pytest
import sqlalchemy as sa

from auditapp.accounts.models import User
from auditapp.branches.models import Branch, Region
from auditapp.clock import utcnow
from auditapp.demo import IMPROVING, PASSWORD, SLIDING, DemoError, build_demo
from auditapp.extensions import db
from auditapp.scoring import score_visit
from auditapp.visits.models import TouchpointScore, Visit
from auditapp.visits.queries import review_queue

from .conftest import Auth

HOMES = {"admin": "/admin", "manager": "/manager", "auditor": "/auditor", "hr": "/hr"}
LOGIN_LINE = re.compile(r"^\s+(admin|manager|auditor|hr)\s+(\S+@\S+)$", re.M)


def _month_index(day: date, first: date) -> int:
    return (day.year - first.year) * 12 + day.month - first.month


def _approved() -> list[Visit]:
    return list(db.session.scalars(sa.select(Visit).where(Visit.status == "approved")))


def _mean_score(visits: list[Visit], code: str, months: range, first: date) -> float:
    scores = [v.score for v in visits
              if v.branch.code == code and _month_index(v.visited_at.date(), first) in months and v.score is not None]
    assert len(scores) >= 4, f"too few visits at {code} to tell a story"
    return statistics.mean(scores)


def test_demo_builds_an_organisation_with_a_year_that_tells_stories_and_work_in_progress(app):
    logins = build_demo()

    users = db.session.scalars(sa.select(User)).all()
    roles = sorted(u.role for u in users)
    assert roles.count("admin") == 1 and roles.count("hr") == 1
    assert roles.count("manager") == 3 and roles.count("auditor") == 6
    assert sorted(role for role, _ in logins) == roles
    assert {email for _, email in logins} == {u.email for u in users}

    branches = db.session.scalars(sa.select(Branch)).all()
    assert 10 <= len(branches) <= 16
    assert db.session.scalar(sa.select(sa.func.count(Region.id))) == 3
    assert all(b.region is not None and b.city and b.address and b.phone for b in branches)
    managed = set()
    for manager in (u for u in users if u.role == "manager"):
        regions = {b.region_name for b in manager.branches}
        assert len(regions) == 1, f"{manager.email} should answer for one region"
        assert {b.code for b in manager.branches} == {b.code for b in branches if b.region_name in regions}
        managed |= {b.code for b in manager.branches}
    assert managed == {b.code for b in branches}

    # Twelve months of approved visits and calls, ending last month.
    approved = _approved()
    today = utcnow().date()
    this_month = today.replace(day=1)
    first = date(this_month.year - 1, this_month.month, 1)
    months = {_month_index(v.visited_at.date(), first) for v in approved}
    assert months == set(range(12))
    assert {v.channel for v in approved} == {"visit", "call"}
    assert 200 <= len(approved) <= 400

    # Score rows are exactly what scoring computes from the stored answers.
    failures = 0
    for visit in approved:
        expected = score_visit(visit.concept_version.content, visit.channel, visit.answer_values())
        rows = {r.touchpoint_key: r.score for r in visit.touchpoint_scores}
        assert rows.keys() == expected.touchpoints.keys()
        for key, score in expected.touchpoints.items():
            assert (rows[key] is None) if score is None else (rows[key] == pytest.approx(score))
        assert visit.score == pytest.approx(expected.visit)
        failures += bool(expected.critical_failures)
        # The history reads like real work: in order, with the region's manager as reviewer.
        times = [h.at for h in visit.history]
        assert times == sorted(times) and times[-1] <= utcnow()
        assert visit.visited_at <= visit.submitted_at <= visit.reviewed_at
        assert visit.history[-1].to_status == "approved"
        assert visit.branch in visit.history[-1].user.branches
    assert failures >= 1 and failures <= 0.05 * len(approved)

    # A few shops are audited with the Dutch retail concept, by visit and by phone; some people read Dutch.
    shops = {v.branch.code for v in approved if v.concept_version.concept.key == "winkelbezoek"}
    assert 2 <= len(shops) <= 5
    assert {v.channel for v in approved if v.branch.code in shops} == {"visit", "call"}
    assert all(v.concept_version.concept.key == "winkelbezoek" for v in approved if v.branch.code in shops)
    assert {u.language for u in users} == {None, "nl"}

    # One branch improves, one slides.
    assert _mean_score(approved, IMPROVING, range(9, 12), first) >= \
        _mean_score(approved, IMPROVING, range(0, 3), first) + 12
    assert _mean_score(approved, SLIDING, range(0, 3), first) >= \
        _mean_score(approved, SLIDING, range(9, 12), first) + 12

    # After-sales is weak across the chain.
    def phase_mean(after_sales: bool) -> float:
        condition = TouchpointScore.phase_key.in_(("after-sales", "na-aankoop"))  # the shops' Dutch phase
        return db.session.scalar(sa.select(sa.func.avg(TouchpointScore.score)).where(
            condition if after_sales else ~condition, TouchpointScore.score.is_not(None)))
    assert phase_mean(True) <= phase_mean(False) - 15

    # Answers look like a mystery guest's: some n/a, some comments.
    values = [a for v in approved for a in v.answers]
    assert sum(a.value == "na" for a in values) > 0.02 * len(values)
    assert sum(bool(a.comment) for a in values) > 0.02 * len(values)

    # Work in progress today: something to do for every auditor and in every manager's review queue.
    visits = db.session.scalars(sa.select(Visit).where(Visit.status != "approved")).all()
    by_status = {s: [v for v in visits if v.status == s] for s in ("scheduled", "in_progress", "submitted", "returned")}

    auditors = db.session.scalars(sa.select(User).where(User.role == "auditor")).all()
    for auditor in auditors:
        upcoming = [v for v in by_status["scheduled"] if v.auditor_id == auditor.id and v.due_date >= today]
        assert len(upcoming) >= 1 and len(upcoming) <= 3
    assert len([v for v in by_status["scheduled"] if v.due_date < today]) == 1
    assert len(by_status["in_progress"]) == 2 and all(v.answers for v in by_status["in_progress"])
    assert 3 <= len(by_status["submitted"]) <= 4
    for manager in db.session.scalars(sa.select(User).where(User.role == "manager")):
        assert review_queue(manager), f"{manager.email} has nothing to review"
    [returned] = by_status["returned"]
    assert returned.history[-1].comment


def test_demo_command_fills_once_and_every_login_reaches_its_home(app, runner):
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "Demo organisation created" in result.output
    logins = LOGIN_LINE.findall(result.output)
    assert len(logins) == 11 and PASSWORD in result.output

    counts = (db.session.scalar(sa.select(sa.func.count(User.id))),
              db.session.scalar(sa.select(sa.func.count(Visit.id))))
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 1
    assert "the database is not empty" in again.output
    skipped = runner.invoke(args=["demo", "--if-empty"])
    assert skipped.exit_code == 0
    assert "Database already has data; demo skipped." in skipped.output
    assert LOGIN_LINE.findall(skipped.output) == logins
    db.session.expire_all()
    assert counts == (db.session.scalar(sa.select(sa.func.count(User.id))),
                      db.session.scalar(sa.select(sa.func.count(Visit.id))))

    for role, email in logins:
        user = db.session.scalar(sa.select(User).where(User.email == email))
        # A fresh app context per login: Flask-Login keeps the current user in `g`, which lives as long as it.
        with app.app_context():
            auth = Auth(app.test_client())
            response = auth.login(user, PASSWORD)
            assert response.status_code == 302, f"{email} could not log in"
            home = auth.client.get("/", follow_redirects=True)
            role_home = auth.client.get(HOMES[role], follow_redirects=True)
            assert home.status_code == role_home.status_code == 200
            assert home.request.path == role_home.request.path != "/login"


def test_demo_refuses_a_database_someone_else_filled(app, runner, factory):
    factory.user("admin", email="real.admin@example.test")
    with pytest.raises(DemoError, match="not empty"):
        build_demo()
    assert build_demo(if_empty=True) == []
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0
    assert "demo skipped" in result.output and not LOGIN_LINE.findall(result.output)
    assert db.session.scalar(sa.select(sa.func.count(Visit.id))) == 0
