"""docs/architecture.md, Scoring as pure functions over a concept and a visit's answers; no Flask, no database."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping

from .concepts.answers import ANSWER_TYPES, NA, Value
from .concepts.definition import Concept, Standard, Touchpoint, owners
from .vocabulary import Band

Answers = Mapping[str, Value]

# docs/architecture.md, Scoring: under this many visits a mean says more about luck than about a branch or a role —
# leagues set such branches apart and role scores hide the cell, so nobody is judged on one or two visits.
MIN_VISITS = 3


def standard_score(standard: Standard, value: Value | None) -> float | None:
    """Score one answer in [0, 1], or None when it does not count."""
    kind = ANSWER_TYPES[standard.type]
    if not kind.scored or standard.weight == 0 or value is None or value == "" or value == NA:
        return None
    return kind.score(standard, value)


def weighted_mean(pairs: Iterable[tuple[float, float | None]]) -> float | None:
    """Average (weight, value) pairs over the values that are not None; None when nothing counts."""
    total = weights = 0.0
    for weight, value in pairs:
        if value is None:
            continue
        total += weight * value
        weights += weight
    if weights == 0:
        return None
    return total / weights


@dataclass(frozen=True)
class TouchpointResult:
    score: float | None
    critical_failures: tuple[str, ...] = ()


def touchpoint_score(touchpoint: Touchpoint, answers: Answers) -> TouchpointResult:
    """Score a touchpoint 0–100; a failed critical standard forces 0."""
    scored = [(st, standard_score(st, answers.get(st.key))) for st in touchpoint.standards]
    failures = tuple(st.key for st, s in scored if st.critical and s == 0)
    mean = weighted_mean((st.weight, s) for st, s in scored)
    if mean is None:
        return TouchpointResult(None, failures)
    return TouchpointResult(0.0 if failures else 100 * mean, failures)


@dataclass(frozen=True)
class VisitScores:
    visit: float | None
    phases: dict[str, float | None] = field(default_factory=dict)
    touchpoints: dict[str, float | None] = field(default_factory=dict)
    critical_failures: tuple[str, ...] = ()


def score_visit(concept: Concept, channel: str, answers: Answers) -> VisitScores:
    """Score a visit over the touchpoints of its channel."""
    form = concept.for_channel(channel)
    touchpoints: dict[str, float | None] = {}
    phases: dict[str, float | None] = {}
    failures: list[str] = []
    all_pairs = []
    for phase in form.phases:
        pairs = []
        for tp in phase.touchpoints:
            result = touchpoint_score(tp, answers)
            touchpoints[tp.key] = result.score
            failures.extend(result.critical_failures)
            pairs.append((tp.weight, result.score))
        phases[phase.key] = weighted_mean(pairs)
        all_pairs.extend(pairs)
    return VisitScores(weighted_mean(all_pairs), phases, touchpoints, tuple(failures))


@dataclass(frozen=True)
class StandardResult:
    """One scored standard of a visit, placed in its journey and owned by its roles."""

    phase: str
    touchpoint: str
    standard: str
    score: float
    weight: float
    critical: bool
    roles: tuple[str, ...]


def standard_results(concept: Concept, channel: str, answers: Answers) -> list[StandardResult]:
    """Every standard of a visit that scores (`s` not None), with the roles that own it: its own, else its
    touchpoint's. Stored at approval, so role scores and failure counts are sums in SQL, not re-scoring."""
    results = []
    for phase, tp in concept.for_channel(channel).touchpoints():
        for st in tp.standards:
            s = standard_score(st, answers.get(st.key))
            if s is not None:
                results.append(StandardResult(phase.key, tp.key, st.key, s, st.weight, st.critical,
                                              owners(tp, st)))
    return results


def role_score(results: Iterable[StandardResult], role: str) -> float | None:
    """A visit's role score: 100 · Σ w·s / Σ w over the scored standards the role owns; None when none."""
    mean = weighted_mean((r.weight, r.score) for r in results if role in r.roles)
    return None if mean is None else 100 * mean


def band(score: float | None, good: float, poor: float) -> Band | None:
    """Band a 0–100 score against a concept's thresholds: good from `good`, poor below `poor`, else fair."""
    if score is None:
        return None
    if score >= good:
        return Band.GOOD
    if score < poor:
        return Band.POOR
    return Band.FAIR


@dataclass(frozen=True)
class CurvePoint:
    phase: str
    touchpoint: str
    score: float | None
    marks: frozenset[str] = frozenset()


def journey_curve(concept: Concept, channel: str | None,
                  touchpoint_scores: Mapping[str, float | None]) -> list[CurvePoint]:
    """Lay the touchpoint scores out in journey order and mark the peak, the low and the end; every channel's
    touchpoints when channel is None (a concept's curve rather than one visit's)."""
    journey = concept.for_channel(channel) if channel is not None else concept
    order = [(phase.key, tp.key) for phase, tp in journey.touchpoints()]
    scored = [(i, touchpoint_scores.get(tp)) for i, (_, tp) in enumerate(order)
              if touchpoint_scores.get(tp) is not None]
    marks: dict[int, set[str]] = {}
    if scored:
        # Ties go to the earliest touchpoint, so the marks are stable for equal scores.
        peak = max(scored, key=lambda p: (p[1], -p[0]))[0]
        low = min(scored, key=lambda p: (p[1], p[0]))[0]
        marks.setdefault(peak, set()).add("peak")
        marks.setdefault(low, set()).add("low")
        marks.setdefault(scored[-1][0], set()).add("end")
    return [CurvePoint(ph, tp, touchpoint_scores.get(tp), frozenset(marks.get(i, ())))
            for i, (ph, tp) in enumerate(order)]


PERIOD_KINDS = ("month", "quarter", "year")


def period_label(day, kind: str = "month") -> str:
    """Label the reporting period a date falls in: 2026-04, 2026-Q2 or 2026."""
    if kind == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if kind == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    if kind == "year":
        return f"{day.year:04d}"
    raise ValueError(f"unknown period kind {kind!r}")
