"""One vocabulary: every term has a label, the database allows exactly the terms, and dates and numbers follow the
reader's locale on pages and PDFs alike."""

from __future__ import annotations

import ast
import io
import re
from datetime import date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.messages.extract import extract_from_file
from pypdf import PdfReader

from auditapp.accounts.models import User
from auditapp.extensions import babel, db
from auditapp.reports.text import format_date, format_datetime, format_number, format_score, use_translator
from auditapp.visits.models import StatusChange, Visit
from auditapp.vocabulary import (DONE_STATUSES, EDITABLE_STATUSES, MANAGER_STATUSES, VOCABULARIES, Band, Channel,
                                 Role, VisitStatus)


REPO = Path(__file__).resolve().parent.parent
MIGRATION = REPO / "migrations" / "versions" / "0001_initial_schema.py"


# --- the terms ----------------------------------------------------------------------------------------------------

def _marked() -> set[str]:
    """The messages `pybabel extract -k N_` finds in the vocabulary module."""
    found = extract_from_file("python", REPO / "auditapp" / "vocabulary.py", keywords={"N_": None})
    return {message for _line, message, *_rest in found}


@pytest.mark.parametrize("vocabulary", VOCABULARIES, ids=lambda v: v.__name__)
def test_every_term_has_its_own_label_marked_for_translation(vocabulary):
    marked = _marked()
    labels = [term.label for term in vocabulary]
    assert all(label.strip() for label in labels)
    assert len(set(labels)) == len(labels)
    assert set(labels) <= marked  # `pybabel extract -k N_` finds them


def test_band_letters_are_marked_for_translation_too():
    marked = _marked()
    assert [b.letter for b in Band] == ["G", "F", "P"] and {"G", "F", "P"} <= marked


def test_terms_equal_the_strings_the_database_and_the_api_carry():
    assert VisitStatus.IN_PROGRESS == "in_progress" and f"{VisitStatus.IN_PROGRESS}" == "in_progress"
    assert {Channel.CALL: 1}.get("call") == 1
    assert [r.value for r in Role] == ["admin", "manager", "auditor", "hr"]


def test_lifecycle_facts_follow_design():
    assert [s for s in VisitStatus if s.editable] == list(EDITABLE_STATUSES) == [
        VisitStatus.SCHEDULED, VisitStatus.IN_PROGRESS, VisitStatus.RETURNED]
    assert [s for s in VisitStatus if s.done] == list(DONE_STATUSES) == [VisitStatus.SUBMITTED, VisitStatus.APPROVED]
    assert VisitStatus.SCHEDULED not in MANAGER_STATUSES and VisitStatus.IN_PROGRESS not in MANAGER_STATUSES
    assert VisitStatus.CANCELLED not in EDITABLE_STATUSES + MANAGER_STATUSES


# --- the database allows exactly the terms ------------------------------------------------------------------------

def _migrated_checks() -> dict[str, str]:
    """The CHECK constraints migration 0001 creates, by convention name."""
    found = re.findall(r'sa\.CheckConstraint\("([^"]+)", name=op\.f\(\'(ck_\w+)\'\)\)', MIGRATION.read_text())
    return {name: text for text, name in found}


@pytest.mark.parametrize("table, column, vocabulary", [
    (Visit.__table__, "status", VisitStatus), (Visit.__table__, "channel", Channel), (User.__table__, "role", Role),
])
def test_check_constraints_list_exactly_the_terms_as_migration_0001_wrote_them(table, column, vocabulary):
    checks = {c.name: str(c.sqltext) for c in table.constraints if isinstance(c, sa.CheckConstraint)}
    name = f"ck_{table.name}_{column}"
    text = checks[name]
    assert text == _migrated_checks()[name]
    listed = re.fullmatch(rf"{column} IN \((.*)\)", text).group(1)
    assert re.findall(r"'([^']*)'", listed) == [term.value for term in vocabulary]


def test_models_hold_terms_whether_assigned_or_loaded(factory):
    visit = factory.visit(channel="call")
    assert visit.status is VisitStatus.SCHEDULED and visit.channel is Channel.CALL
    visit.status = "in_progress"  # what a service may assign
    assert visit.status is VisitStatus.IN_PROGRESS
    db.session.commit()
    db.session.expire_all()
    loaded = db.session.get(Visit, visit.id)
    assert loaded.status is VisitStatus.IN_PROGRESS and loaded.auditor.role is Role.AUDITOR
    assert db.session.scalar(sa.select(StatusChange.to_status).where(StatusChange.visit_id == visit.id)) \
        is VisitStatus.SCHEDULED
    with pytest.raises(ValueError):
        visit.status = "lost"


def test_the_database_refuses_a_word_outside_the_vocabulary(factory):
    visit = factory.visit()
    with pytest.raises(sa.exc.IntegrityError):
        with db.engine.begin() as conn:
            conn.execute(sa.text("UPDATE visits SET status = 'lost' WHERE id = :id"), {"id": visit.id})


# --- dates and numbers in the reader's locale ----------------------------------------------------------------------

def test_formats_follow_the_locale_and_default_to_english():
    day, moment = date(2026, 4, 12), datetime(2026, 4, 12, 19, 30)
    assert format_date(day) == "Apr 12, 2026" and format_date(day, "nl") == "12 apr 2026"
    assert format_datetime(moment) == "Apr 12, 2026, 7:30\u00a0PM"
    assert format_datetime(moment, "nl") == "12 apr 2026, 19:30"
    assert format_score(82.46) == "82.5" and format_score(82.46, "nl") == "82,5" and format_score(None) == "—"
    assert format_score(-2.34, signed=True) == "-2.3" and format_score(2.34, "nl", signed=True) == "+2,3"
    assert format_number(80.0) == "80" and format_number(82.5, "nl") == "82,5"
    assert format_date(None) == "—"  # Babel itself would print today
    with use_translator(str, locale="nl"):
        assert format_date(day) == "12 apr 2026"


@pytest.fixture
def bilingual(app, factory, auth):
    """An app offering English and Dutch, an approved visit, and an admin logged in. There is no Dutch
    catalogue, but Babel knows Dutch dates and numbers."""
    app.config["LANGUAGES"] = ("en", "nl")  # this test's own app
    visit = factory.visit(due=date(2026, 4, 15))
    # Friendliness 4 of 1–5 scores 75.0: a decimal to print with the reader's decimal sign.
    factory.approved(visit, {"confirmed": "yes", "greeted": "yes", "friendliness": 4, "upsell": "drink",
                             "clean": "yes", "wait": 3, "dish": "Soup of the day", "pilot": "no"},
                     visited_at=datetime(2026, 4, 14, 19, 30))
    auth.login(factory.user("admin"))
    yield visit.id
    # Flask-Babel caches catalogues by locale on the one Babel object all test apps share; forget the Dutch
    # "catalogue" (none) this app loaded, so an app that ships one finds it.
    babel.domain_instance.cache.clear()


def test_a_page_prints_dates_and_scores_in_the_readers_locale(bilingual, auth):
    url = f"/review/visits/{bilingual}"
    dutch = auth.client.get(url, headers={"Accept-Language": "nl"}).get_data(as_text=True)
    english = auth.client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="nl">' in dutch
    assert "14 apr 2026, 19:30" in dutch and "75,0" in dutch and "75.0" not in dutch
    assert "Apr 14, 2026, 7:30\u00a0PM" in english and "75.0" in english
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d">', dutch)  # machine-readable stays ISO


def test_a_pdf_prints_dates_and_scores_in_the_readers_locale(bilingual, auth):
    response = auth.client.get(f"/api/v1/visits/{bilingual}/report.pdf", headers={"Accept-Language": "nl"})
    assert response.status_code == 200
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "14 apr 2026, 19:30" in text and "75,0" in text and "Apr 14" not in text


# --- no date printed past Babel ------------------------------------------------------------------------------------

def test_no_strftime_prints_a_date_past_babel():
    """Python code and templates format dates for people through Babel; machine-readable ones use isoformat."""
    calls = []
    for path in sorted((REPO / "auditapp").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr == "strftime":
                calls.append(f"{path.relative_to(REPO)}:{node.lineno}")
    for path in sorted((REPO / "templates").rglob("*.html")):
        calls += [f"{path.relative_to(REPO)}:{n}" for n, line in enumerate(path.read_text().splitlines(), 1)
                  if re.search(r"\.strftime\s*\(", line)]
    assert calls == []


def _imports(module: str) -> set[str]:
    tree = ast.parse((REPO / "auditapp" / f"{module}.py").read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    return imported | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}


def test_the_vocabulary_stays_pure():
    # Its one app import, the N_ marker's module, is pure as well: the standard library only.
    assert _imports("vocabulary") == {"__future__", "enum", "domain_error"}
    assert _imports("domain_error") == {"__future__", "typing"}
