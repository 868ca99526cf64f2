"""Plain, frozen report content, so the HTML pages and the PDFs render the very same numbers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..vocabulary import Band, Channel, VisitStatus


@dataclass(frozen=True)
class CurvePoint:
    """One touchpoint on a visit's journey curve; marks ⊆ {"peak", "low", "end"} (peak-end rule)."""

    key: str
    label: str
    phase: str
    score: float | None
    marks: frozenset[str] = frozenset()


@dataclass(frozen=True)
class StandardRow:
    """One checked standard, with the answer already worded for people, so every score can be traced."""

    key: str
    text: str
    type: str
    answer: str
    score: float | None
    comment: str
    critical: bool
    weight: float
    failed_critical: bool


@dataclass(frozen=True)
class TouchpointRow:
    """A touchpoint of a visit with its score (0–100) and the standards behind it."""

    key: str
    name: str
    score: float | None
    band: Band | None
    weight: float
    staff: str
    standards: tuple[StandardRow, ...]


@dataclass(frozen=True)
class PhaseRow:
    """A journey phase of a visit with its score and touchpoints in journey order."""

    key: str
    name: str
    score: float | None
    band: Band | None
    touchpoints: tuple[TouchpointRow, ...]


@dataclass(frozen=True)
class PhotoItem:
    """A stored JPEG and what it shows, so the report embeds the evidence as it was kept."""

    path: Path
    caption: str
    where: str


@dataclass(frozen=True)
class HistoryItem:
    """One recorded status change of a visit, so reviews stay accountable."""

    at: datetime
    actor: str
    from_status: VisitStatus | None
    to_status: VisitStatus
    comment: str


@dataclass(frozen=True)
class VisitReport:
    """Everything a visit report shows; the auditor is already a pseudonym for managers."""

    visit_id: int
    branch_code: str
    branch_name: str
    city: str
    concept_name: str
    concept_version: int
    channel: Channel
    persona: str
    visited_at: datetime | None
    auditor: str
    status: VisitStatus
    score: float | None
    band: Band | None
    good: float
    poor: float
    critical_failures: tuple[str, ...]
    curve: tuple[CurvePoint, ...]
    phases: tuple[PhaseRow, ...]
    photos: tuple[PhotoItem, ...]
    remarks: str
    history: tuple[HistoryItem, ...]


@dataclass(frozen=True)
class Cell:
    """A mean score for one period with the number of approved visits behind it."""

    score: float | None
    n: int


@dataclass(frozen=True)
class TouchpointTrend:
    """A row of period cells for a touchpoint (or, in BranchReport.phases, for a phase)."""

    key: str
    name: str
    phase: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class BranchReport:
    """Touchpoint scores of one branch over periods, next to the network the viewer may see."""

    branch_code: str
    branch_name: str
    city: str
    region: str
    concept_name: str
    period_kind: str
    periods: tuple[str, ...]
    overall: tuple[Cell, ...]
    network: tuple[Cell, ...]
    phases: tuple[TouchpointTrend, ...]
    touchpoints: tuple[TouchpointTrend, ...]
    weakest: tuple[tuple[str, float, int], ...]
    failed_standards: tuple[tuple[str, str, int, int], ...]
    version_marks: tuple[tuple[str, str], ...]
    good: float
    poor: float
    network_label: str = "All branches"  # a msgid (reports.build.network_label): "Your branches" for a manager
