"""Read the report parameters from a query string, with one message per bad field for the page or the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable, Mapping

from flask_babel import gettext as _

from ..concepts.models import Concept
from ..concepts.queries import concept_by_key
from ..errors import translate
from ..fields import whole_number
from .periods import (FIRST_DAY, LAST_DAY, MAX_PERIODS, OFF_CALENDAR, PERIOD_KINDS, Period, default_range,
                      parse_period, period_of, periods_between)


@dataclass(frozen=True)
class RangeQuery:
    """A concept and the periods a branch report covers."""

    concept: Concept
    kind: str
    first: date
    last: date

    def args(self) -> dict[str, str]:
        """The query string that asks for this range again (for links and the PDF)."""
        return {"concept": self.concept.key, "period": self.kind, "from": self.first.isoformat(),
                "to": self.last.isoformat()}


@dataclass(frozen=True)
class PeriodQuery:
    """A concept, one period and optionally a region: what the overview shows."""

    concept: Concept
    period: Period
    region_id: int | None = None

    def args(self) -> dict[str, str]:
        args = {"concept": self.concept.key, "period": self.period.kind, "at": self.period.label}
        if self.region_id is not None:
            args["region"] = str(self.region_id)
        return args


Errors = dict[str, str]
LatestDay = Callable[[Concept], date | None]


def _concept(args: Mapping[str, str], concepts: list[Concept], required: bool, errors: Errors) -> Concept | None:
    key = (args.get("concept") or "").strip()
    if not key:
        if required or not concepts:
            errors["concept"] = _("Choose a concept.") if concepts else _("No concept has been imported yet.")
            return None
        return concepts[0]
    concept = concept_by_key(key)
    if concept is None or not concept.versions:
        errors["concept"] = _("There is no concept with the key %(key)s.", key=key[:64])
    return concept if "concept" not in errors else None


def _kind(args: Mapping[str, str], errors: Errors, default: str = "month") -> str:
    kind = (args.get("period") or default).strip()
    if kind not in PERIOD_KINDS:
        errors["period"] = _("Choose month, quarter or year.")
        return default
    return kind


def parse_date(args: Mapping[str, str], name: str, errors: Errors) -> date | None:
    """Read an optional ISO date argument, noting a bad one in errors under its name."""
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        errors[name] = _("Give a date like 2026-04-30.")
        return None
    if not FIRST_DAY <= day <= LAST_DAY:
        errors[name] = translate(OFF_CALENDAR)
        return None
    return day


def parse_range(args: Mapping[str, str], *, concepts: list[Concept], today: date, latest_day: LatestDay,
                concept_required: bool = False) -> tuple[RangeQuery | None, Errors]:
    """Concept, period kind and from/to dates; without dates, the last 12 months (8 quarters, 5 years) of data."""
    errors: Errors = {}
    concept = _concept(args, concepts, concept_required, errors)
    kind = _kind(args, errors)
    first, last = parse_date(args, "from", errors), parse_date(args, "to", errors)
    if errors or concept is None:
        return None, errors
    if first is None and last is None:
        first, last = default_range(latest_day(concept) or today, kind)
    elif first is None:
        first = default_range(last, kind)[0]
    elif last is None:
        last = max(first, today)
    if first > last:
        errors["to"] = _("The end date lies before the start date.")
        return None, errors
    try:
        periods_between(first, last, kind)
    except ValueError:
        errors["from"] = _("Choose a shorter range: at most %(n)d periods.", n=MAX_PERIODS)
        return None, errors
    return RangeQuery(concept, kind, first, last), errors


def parse_period_query(args: Mapping[str, str], *, concepts: list[Concept], today: date, latest_day: LatestDay,
                       region_ids: set[int]) -> tuple[PeriodQuery | None, Errors]:
    """Concept, period kind, the period itself (`at`, a label such as 2026-04) and a region."""
    errors: Errors = {}
    concept = _concept(args, concepts, False, errors)
    # A league table needs n >= 3 per branch; at a usual two visits a month that takes a quarter.
    kind = _kind(args, errors, default="quarter")
    region_id = None
    raw_region = (args.get("region") or "").strip()
    if raw_region:
        if whole_number(raw_region) in region_ids:
            region_id = whole_number(raw_region)
        else:
            errors["region"] = _("Choose one of your regions.")
    period = None
    raw_at = (args.get("at") or "").strip()
    if raw_at:
        period = _any_period(raw_at, kind)
        if period is None:
            errors["at"] = _("Choose a period such as %(example)s.", example=period_of(today, kind).label)
    if errors or concept is None:
        return None, errors
    if period is None:
        period = period_of(latest_day(concept) or today, kind)
    return PeriodQuery(concept, period, region_id), errors


def _any_period(label: str, kind: str) -> Period | None:
    """Read a label of any kind as the `kind` period it falls in, so switching month to quarter keeps the place."""
    for candidate in (kind, *PERIOD_KINDS):
        try:
            return period_of(parse_period(label, candidate).start, kind)
        except ValueError:
            continue
    return None
