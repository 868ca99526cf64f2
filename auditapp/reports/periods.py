"""Reporting periods (month, quarter, year) as date ranges with docs/architecture.md, Scoring labels; pure, no Flask."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from ..domain_error import N_, Message
from ..scoring import PERIOD_KINDS, period_label

__all__ = ["PERIOD_KINDS", "Period", "period_of", "periods_between", "parse_period", "default_range",
           "MAX_PERIODS", "FIRST_DAY", "LAST_DAY", "OFF_CALENDAR"]

# More columns than this make neither a readable heatmap nor a fast page.
MAX_PERIODS = 120
# The days a report may name. Reports reach years back from a date and a period beyond it, which near
# date.min and date.max (years 1 and 9999) do not exist; every visit lies far inside these bounds.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)
OFF_CALENDAR = Message(N_("Give a date between %(first)s and %(last)s."), first=FIRST_DAY.isoformat(),
                       last=LAST_DAY.isoformat())
_MONTHS = {"month": 1, "quarter": 3, "year": 12}
_LABEL = {"month": re.compile(r"^(\d{4})-(\d{2})$"), "quarter": re.compile(r"^(\d{4})-Q([1-4])$"),
          "year": re.compile(r"^(\d{4})$")}


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period: its first day (inclusive) and the first day of the next one (exclusive)."""

    start: date
    end: date
    kind: str

    @property
    def label(self) -> str:
        return period_label(self.start, self.kind)

    @property
    def last_day(self) -> date:
        return _day_before(self.end)

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time.min)

    @property
    def end_at(self) -> datetime:
        return datetime.combine(self.end, time.min)

    def previous(self) -> Period:
        """The period just before this one."""
        return _period_at(_add_months(self.start, -_MONTHS[self.kind]), self.kind)

    def next(self) -> Period:
        """The period just after this one."""
        return _period_at(self.end, self.kind)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _period_at(first: date, kind: str) -> Period:
    return Period(first, _add_months(first, _MONTHS[kind]), kind)


def period_of(day: date, kind: str = "month") -> Period:
    """The period a date falls in."""
    if kind not in _MONTHS:
        raise ValueError(f"unknown period kind {kind!r}")
    step = _MONTHS[kind]
    month = (day.month - 1) // step * step + 1
    return _period_at(date(day.year, month, 1), kind)


def period_from_parts(kind: str, year: int, part: int) -> Period:
    """Rebuild a period from the numbers SQL grouped by: the month, the quarter, or 0 for a year."""
    if kind == "month":
        return _period_at(date(year, part, 1), kind)
    if kind == "quarter":
        return _period_at(date(year, 3 * part - 2, 1), kind)
    return _period_at(date(year, 1, 1), kind)


def periods_between(first: date, last: date, kind: str = "month") -> list[Period]:
    """Every period from the one holding `first` to the one holding `last`, both included."""
    periods: list[Period] = []
    period, stop = period_of(first, kind), period_of(last, kind)
    while period <= stop:
        periods.append(period)
        if len(periods) > MAX_PERIODS:
            raise ValueError(f"more than {MAX_PERIODS} periods")
        period = period.next()
    return periods


def parse_period(label: str, kind: str) -> Period:
    """Read a period label such as 2026-04, 2026-Q2 or 2026; ValueError when it is not one."""
    match = _LABEL[kind].match(label.strip()) if kind in _LABEL else None
    if not match:
        raise ValueError(f"not a {kind} label")
    year = int(match.group(1))
    part = int(match.group(2)) if kind != "year" else 0
    if not FIRST_DAY.year <= year <= LAST_DAY.year or (kind == "month" and not 1 <= part <= 12):
        raise ValueError(f"not a {kind} label")
    return period_from_parts(kind, year, part)


# How far back a report looks when the viewer gives no dates.
DEFAULT_SPAN = {"month": 12, "quarter": 8, "year": 5}


def default_range(today: date, kind: str = "month") -> tuple[date, date]:
    """The last 12 months, 8 quarters or 5 years up to the one holding today."""
    last = period_of(today, kind)
    first = last
    for _ in range(DEFAULT_SPAN[kind] - 1):
        first = first.previous()
    return first.start, _day_before(last.end)


def _day_before(day: date) -> date:
    return date.fromordinal(day.toordinal() - 1)
