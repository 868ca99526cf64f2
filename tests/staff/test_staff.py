"""Staff names, only on purpose: HR and admins read them next to the touchpoint score; nobody else, nowhere else;
`staff purge` removes the expired ones and `staff erase` every note of a person."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from auditapp.extensions import db
from auditapp.staff.services import names_person
from auditapp.visits.models import StaffRecord

from ..reports.test_exports import pdf_text
from ..visits.test_api import COMPLETE

NOTE = "Waiter, badge Tom Ó'Brien"
COMMENT = "The auditor's own remark about the greeting"


@pytest.fixture
def world(factory):
    branch = factory.branch("AMS", name="Amstel")
    auditor = factory.user("auditor", name="Anna Auditor")
    visit = factory.visit(branch=branch, auditor=auditor)
    factory.answered(visit, COMPLETE, visited_at=datetime(2026, 4, 14, 19, 30))
    db.session.add(StaffRecord(visit_id=visit.id, touchpoint_key="welcome", name=NOTE))
    visit.answers[0].comment = COMMENT
    db.session.commit()
    factory.approved(visit, COMPLETE, visited_at=datetime(2026, 4, 14, 19, 30))
    people = {role: factory.user(role, branches=(branch,) if role == "manager" else ())
              for role in ("admin", "hr", "manager")}
    people["auditor"] = auditor
    return visit, people


def test_hr_reads_the_note_beside_the_touchpoint_score_without_auditor_or_comment(world, auth):
    visit, people = world
    auth.login(people["hr"])
    page = auth.client.get("/staff/").get_data(as_text=True)
    row = page.split("<tbody>")[1].split("</tbody>")[0]
    assert "Amstel" in row and "Welcome" in row and "Tom Ó&#39;Brien" in row
    score = next(s.score for s in visit.touchpoint_scores if s.touchpoint_key == "welcome")
    assert f"{score:.1f}" in row
    assert "Anna Auditor" not in page and visit.auditor.pseudonym not in page and COMMENT not in page


@pytest.mark.parametrize("role", ["manager", "auditor"])
def test_managers_and_auditors_never_get_the_page(world, auth, role):
    auth.login(world[1][role])
    assert auth.client.get("/staff/").status_code == 404


def test_a_manager_sees_the_note_nowhere(world, auth):
    visit, people = world
    auth.login(people["manager"])
    pages = [auth.client.get(f"/review/visits/{visit.id}").get_data(as_text=True),
             auth.client.get(f"/reports/branches/{visit.branch_id}?concept=mini").get_data(as_text=True),
             auth.client.get("/api/v1/exports/answers.csv?concept=mini").get_data(as_text=True),
             pdf_text(auth.client.get(f"/api/v1/visits/{visit.id}/report.pdf").data),
             pdf_text(auth.client.get(f"/reports/branches/{visit.branch_id}/report.pdf?concept=mini").data)]
    body = auth.client.get(f"/api/v1/visits/{visit.id}").get_json()
    assert "staff" not in body
    for text in pages + [str(body)]:
        assert "Tom" not in text


@pytest.mark.parametrize("role", ["hr", "admin"])
def test_the_csv_and_branch_pdf_carry_no_notes_for_anyone(world, auth, role):
    visit, people = world
    auth.login(people[role])
    csv = auth.client.get("/api/v1/exports/answers.csv?concept=mini").get_data(as_text=True)
    branch_pdf = pdf_text(auth.client.get(f"/reports/branches/{visit.branch_id}/report.pdf?concept=mini").data)
    assert "Tom" not in csv and "Tom" not in branch_pdf


def _note(factory, visit_touchpoint, name: str, at: datetime) -> int:
    visit, touchpoint = visit_touchpoint
    record = StaffRecord(visit_id=visit.id, touchpoint_key=touchpoint, name=name, recorded_at=at)
    db.session.add(record)
    db.session.commit()
    return record.id


def test_purge_with_a_frozen_clock_removes_exactly_the_expired_notes(factory, runner, monkeypatch, app):
    now = datetime(2026, 12, 5, 12, 0)
    monkeypatch.setattr("auditapp.clock.utcnow", lambda: now)
    app.config["STAFF_RETENTION_DAYS"] = 30
    visits = [factory.visit() for _ in range(4)]
    cutoff = now - timedelta(days=30)
    expired = {_note(factory, (visits[0], "welcome"), "Old", cutoff - timedelta(seconds=1)),
               _note(factory, (visits[1], "welcome"), "Older", cutoff - timedelta(days=200))}
    kept = {_note(factory, (visits[2], "welcome"), "Exactly at the cut-off", cutoff),
            _note(factory, (visits[3], "welcome"), "New", now - timedelta(days=1))}
    result = runner.invoke(args=["staff", "purge"])
    assert result.exit_code == 0 and result.output.startswith("2 staff notes recorded before 2026-11-05 12:00")
    db.session.expire_all()
    assert set(db.session.scalars(sa.select(StaffRecord.id))) == kept and not expired & kept
    again = runner.invoke(args=["staff", "purge"])
    assert again.output.startswith("0 staff notes") and db.session.scalar(sa.select(sa.func.count(StaffRecord.id))) == 2


def test_erase_removes_every_note_that_names_the_person_and_nothing_else(factory, runner):
    when = datetime(2026, 11, 1)
    named = {_note(factory, (factory.visit(), "welcome"), text, when)
             for text in ("Tom", "waiter, badge TOM", "tom (bar)", "Host: Tom de Vries", "tall, TOM Ó'Brien")}
    others = {_note(factory, (factory.visit(), "welcome"), text, when) for text in ("Tomas", "Atom", "Anna")}
    result = runner.invoke(args=["staff", "erase", "tom"])
    assert result.exit_code == 0 and result.output.strip() == "5 staff notes naming 'tom' removed"
    db.session.expire_all()
    assert set(db.session.scalars(sa.select(StaffRecord.id))) == others and not named & others
    assert runner.invoke(args=["staff", "erase", "tom"]).output.startswith("0 staff notes")
    assert runner.invoke(args=["staff", "erase", "  "]).exit_code != 0


def test_a_name_matches_whole_words_in_any_case_and_accents():
    assert names_person("Ober, badge ÉLODIE", "élodie")
    assert names_person("Jan  de Vries", "jan de vries")
    assert not names_person("Janneke", "Jan") and not names_person("", "Jan") and not names_person("Jan", " ")
    assert names_person("x.*y", "x.*y") and not names_person("xxy", "x.*y")  # the name is text, not a pattern


@pytest.mark.parametrize("value", ["0", "-3", "\"many\"", "true", "1.5"])
def test_the_retention_period_must_be_a_whole_number_of_days(tmp_path, monkeypatch, value):
    from auditapp import create_app

    monkeypatch.setenv("AUDITAPP_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("AUDITAPP_SECRET_KEY", "x")
    monkeypatch.setenv("AUDITAPP_STAFF_RETENTION_DAYS", value)
    with pytest.raises(ValueError, match="STAFF_RETENTION_DAYS"):
        create_app()
    monkeypatch.setenv("AUDITAPP_STAFF_RETENTION_DAYS", "400")
    assert create_app().config["STAFF_RETENTION_DAYS"] == 400
