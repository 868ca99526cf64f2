"""Report fixtures: plain content objects and small JPEGs, so report tests need no app or database."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import pytest
from PIL import Image

from auditapp.reports.content import (BranchReport, Cell, CurvePoint, HistoryItem, PhaseRow, PhotoItem, StandardRow,
                                      TouchpointRow, TouchpointTrend, VisitReport)
from auditapp.vocabulary import Band, Channel, VisitStatus

HOSTILE_COMMENT = '<font color="[[[x]]]">'
UNCLOSED_TAG = "<b> never closed"
UNICODE_COMMENT = "café – 5 €"


@pytest.fixture
def make_jpeg(tmp_path: Path) -> Callable[..., Path]:
    """Return a function that writes a distinct small JPEG and gives its path."""
    counter = iter(range(10_000))

    def make(name: str | None = None, size: tuple[int, int] = (160, 120)) -> Path:
        k = next(counter)
        path = tmp_path / (name or f"photo-{k}.jpg")
        Image.new("RGB", size, ((37 * k) % 256, (91 * k + 40) % 256, (13 * k + 90) % 256)).save(path, "JPEG",
                                                                                                  quality=85)
        return path

    return make


def _standard(key: str, text: str, answer: str, score: float | None, comment: str = "", *, critical: bool = False,
              weight: float = 1.0) -> StandardRow:
    return StandardRow(key=key, text=text, type="yesno", answer=answer, score=score, comment=comment,
                       critical=critical, weight=weight, failed_critical=critical and score == 0)


def build_visit_report(**changes) -> VisitReport:
    """Build a small, complete visit report; keyword arguments replace fields."""
    greeting = TouchpointRow(
        key="greeting", name="Greeting at reception", score=100.0, band=Band.GOOD, weight=1, staff="Anna",
        standards=(
            _standard("greet-10s", "The guest is greeted within ten seconds.", "Yes", 1.0, HOSTILE_COMMENT),
            _standard("eye-contact", "Eye contact and a smile.", "4 / 5", 0.75, UNICODE_COMMENT, weight=2),
        ))
    check_in = TouchpointRow(
        key="check-in", name="Check-in", score=0.0, band=Band.POOR, weight=1, staff="",
        standards=(
            _standard("id-check", "The ID is checked.", "No", 0.0, UNCLOSED_TAG, critical=True),
            _standard("wait", "Time waited before being helped.", "12 minutes", None, "n/a comment"),
        ))
    follow_up = TouchpointRow(
        key="follow-up", name="Follow-up mail", score=None, band=None, weight=1, staff="",
        standards=(_standard("mail", "A thank-you mail arrives within 2 days.", "—", None),))
    phases = (
        PhaseRow(key="arrival", name="Arrival", score=50.0, band=Band.POOR, touchpoints=(greeting, check_in)),
        PhaseRow(key="after-sales", name="After-sales", score=None, band=None, touchpoints=(follow_up,)),
    )
    curve = (
        CurvePoint("greeting", "Greeting at reception", "Arrival", 100.0, frozenset({"peak"})),
        CurvePoint("check-in", "Check-in", "Arrival", 0.0, frozenset({"low", "end"})),
        CurvePoint("follow-up", "Follow-up mail", "After-sales", None, frozenset()),
    )
    report = VisitReport(
        visit_id=42, branch_code="AMS-01", branch_name="Hotel Centraal", city="Amsterdam",
        concept_name="Hotel stay", concept_version=2, channel=Channel.VISIT, persona="Business traveller",
        visited_at=datetime(2026, 4, 14, 19, 30, tzinfo=timezone.utc), auditor="Guest 7", status=VisitStatus.APPROVED,
        score=73.4123, band=Band.FAIR, good=80.0, poor=60.0,
        critical_failures=("The ID is checked.",), curve=curve, phases=phases, photos=(),
        remarks="Pleasant stay.\n\nThe bar <i>closed</i> early & nobody said so.",
        history=(HistoryItem(datetime(2026, 4, 15, 9, 0), "Guest 7", VisitStatus.IN_PROGRESS, VisitStatus.SUBMITTED, ""),
                 HistoryItem(datetime(2026, 4, 16, 9, 0), "M. de Vries", VisitStatus.SUBMITTED, VisitStatus.APPROVED,
                             "Reviewed – thanks <b>")),
    )
    return dataclasses.replace(report, **changes)


@pytest.fixture
def make_visit_report() -> Callable[..., VisitReport]:
    """Return the visit report builder."""
    return build_visit_report


@pytest.fixture
def photo_items(make_jpeg: Callable[..., Path]) -> Callable[[int], tuple[PhotoItem, ...]]:
    """Return a function that makes n distinct photos as report items."""

    def make(n: int) -> tuple[PhotoItem, ...]:
        return tuple(PhotoItem(path=make_jpeg(), caption=f"Photo caption {i}", where="Check-in – The ID is checked.")
                     for i in range(n))

    return make


def build_branch_report(n_periods: int = 4, **changes) -> BranchReport:
    """Build a branch report over n monthly periods; keyword arguments replace fields."""
    periods = tuple(f"{2025 + (m // 12)}-{m % 12 + 1:02d}" for m in range(3, 3 + n_periods))

    def cells(base: float, step: float) -> tuple[Cell, ...]:
        return tuple(Cell(None, 0) if i == 1 else Cell(min(100.0, max(0.0, base + step * (i % 6))), 3 + i % 2)
                     for i in range(n_periods))

    touchpoints = (
        TouchpointTrend("greeting", "Greeting at reception", "arrival", cells(72.5, 4.0)),
        TouchpointTrend("check-in", "Check-in", "arrival", cells(55.25, 3.0)),
        TouchpointTrend("follow-up", "Follow-up mail", "after-sales", cells(81.0, -2.0)),
    )
    report = BranchReport(
        branch_code="AMS-01", branch_name="Hotel Centraal", city="Amsterdam", region="Noord-Holland",
        concept_name="Hotel stay", period_kind="month", periods=periods,
        overall=cells(68.0, 2.5), network=tuple(Cell(75.0 + i * 0.5, 40 + i) for i in range(n_periods)),
        phases=(TouchpointTrend("arrival", "Arrival", "arrival", cells(64.0, 3.5)),
                TouchpointTrend("after-sales", "After-sales", "after-sales", cells(81.0, -2.0))),
        touchpoints=touchpoints,
        weakest=(("Check-in", 55.25, 3), ("Greeting at reception", 72.5, 3)),
        failed_standards=(("The ID is checked.", "Check-in", 3, 5), ("Eye contact and a smile.",
                                                                     "Greeting at reception", 1, 6)),
        version_marks=((periods[-1], "v2"),) if n_periods > 1 else (),
        good=80.0, poor=60.0,
    )
    return dataclasses.replace(report, **changes)


@pytest.fixture
def make_branch_report() -> Callable[..., BranchReport]:
    """Return the branch report builder."""
    return build_branch_report
