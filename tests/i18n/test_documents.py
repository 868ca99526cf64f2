"""The documents a Dutch reader takes away — visit PDF, branch PDF, answers CSV — speak Dutch and write numbers so."""

from __future__ import annotations

import csv
import io
import re

import pytest
from babel.dates import get_month_names

from auditapp.extensions import db

from ..reports.dataset import build_world
from ..reports.test_exports import pdf_text

def months(locale: str) -> set[str]:
    """A locale's month names, whole and abbreviated, as dates print them (Dutch abbreviations end in a dot)."""
    return {name.rstrip(".") for width in ("wide", "abbreviated")
            for name in get_month_names(width, locale=locale).values()}


DUTCH = months("nl")
ENGLISH = months("en") - DUTCH  # "september" is both; the capitals tell English "September" apart
DUTCH_MONTHS, ENGLISH_MONTHS = "|".join(sorted(DUTCH)), "|".join(sorted(ENGLISH))


@pytest.fixture
def world(app, factory, tmp_path):
    return build_world(factory, tmp_path, app.config["UPLOAD_DIR"])


def as_dutch(world, auth, role: str):
    user = world.users[role]
    user.language = "nl"
    db.session.commit()
    auth.login(user)


def test_the_visit_pdf_in_dutch_has_dutch_months_and_decimal_commas(world, auth):
    as_dutch(world, auth, "manager_ab")
    text = pdf_text(auth.client.get(f"/api/v1/visits/{world.photo_visit.id}/report.pdf").data)
    assert re.search(rf"\b\d{{1,2}} ({DUTCH_MONTHS})\.? 2026\b", text)
    assert not re.search(rf"\b({ENGLISH_MONTHS})\b", text)
    assert f"{400 / 9:.1f}".replace(".", ",") in text and f"{400 / 9:.1f}" not in text  # 44,4
    assert "Bezoekscore" in text and "Visit score" not in text


def test_the_branch_pdf_in_dutch_has_dutch_months_and_decimal_commas(world, auth):
    as_dutch(world, auth, "admin")
    text = pdf_text(auth.client.get(f"/reports/branches/{world.branches['A'].id}/report.pdf?concept=mini"
                                    "&period=month&from=2026-06-01&to=2026-10-31").data)
    assert re.search(rf"\b(juni|oktober) 2026\b", text)  # the span of periods, in words
    assert not re.search(rf"\b({ENGLISH_MONTHS})\b", text)
    score = f"{(100 + 400 / 9) / 2:.1f}"
    assert score.replace(".", ",") in text and score not in text


def test_the_csv_in_dutch_has_dutch_headers_and_machine_readable_values(world, auth):
    as_dutch(world, auth, "admin")
    text = auth.client.get("/api/v1/exports/answers.csv?concept=mini").get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert list(rows[0])[:4] == ["bezoek", "vestiging", "regio", "datum"]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", r["datum"]) for r in rows)
    assert any("." in r["score"] for r in rows) and not any("," in r["score"] for r in rows)
