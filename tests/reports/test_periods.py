"""Reporting periods: date ranges and labels in Python, and the same labels computed by each database."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from auditapp.extensions import db
from auditapp.reports.periods import (MAX_PERIODS, default_range, parse_period, period_of, periods_between)
from auditapp.reports.sql import period_label_sql
from auditapp.scoring import period_label

EDGES = [date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 1), date(2026, 6, 30), date(2026, 7, 1),
         date(2026, 9, 30), date(2026, 10, 1), date(2026, 12, 31), date(2024, 2, 29), date(1999, 11, 5)]


@pytest.mark.parametrize("kind", ["month", "quarter", "year"])
def test_database_labels_equal_the_python_labels(app, kind):
    for day in EDGES:
        as_date = db.session.scalar(sa.select(period_label_sql(sa.literal(day, sa.Date), kind)))
        at = datetime.combine(day, datetime.min.time()).replace(hour=23, minute=59)
        as_timestamp = db.session.scalar(sa.select(period_label_sql(sa.literal(at, sa.DateTime), kind)))
        assert as_date == as_timestamp == period_label(day, kind), (day, kind)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)), st.sampled_from(["month", "quarter", "year"]))
def test_a_day_lies_in_its_period_which_has_its_label(day, kind):
    period = period_of(day, kind)
    assert period.start <= day < period.end
    assert period.label == period_label(day, kind)
    assert parse_period(period.label, kind) == period
    assert period.previous().end == period.start and period.next().start == period.end


def test_periods_between_include_both_ends_and_cross_years():
    labels = [p.label for p in periods_between(date(2025, 11, 15), date(2026, 2, 3), "month")]
    assert labels == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert [p.label for p in periods_between(date(2025, 12, 31), date(2026, 4, 1), "quarter")] == [
        "2025-Q4", "2026-Q1", "2026-Q2"]
    assert [p.label for p in periods_between(date(2024, 6, 1), date(2026, 1, 1), "year")] == ["2024", "2025", "2026"]
    with pytest.raises(ValueError):
        periods_between(date(1900, 1, 1), date(1900, 1, 1).replace(year=1900 + MAX_PERIODS // 12 + 2), "month")


def test_default_range_ends_with_the_period_of_the_anchor():
    assert default_range(date(2026, 10, 20), "month") == (date(2025, 11, 1), date(2026, 10, 31))
    assert default_range(date(2026, 10, 20), "quarter") == (date(2025, 1, 1), date(2026, 12, 31))
    assert default_range(date(2026, 10, 20), "year") == (date(2022, 1, 1), date(2026, 12, 31))


@pytest.mark.parametrize("label, kind", [("2026-13", "month"), ("2026-4", "month"), ("2026-Q5", "quarter"),
                                         ("2026-04", "quarter"), ("26", "year"), ("", "month"), ("x", "week")])
def test_bad_labels_are_refused(label, kind):
    with pytest.raises(ValueError):
        parse_period(label, kind)
