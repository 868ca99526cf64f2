"""Assemble a role's scores for a viewer: the page, the PDF and the JSON endpoint take their numbers from here.

Every cell with fewer than MIN_VISITS visits is hidden — its score is withheld, not just greyed — so nobody is
judged on one or two visits (docs/architecture.md, Scoring).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Mapping

from flask_babel import gettext as _

from ..accounts.models import User
from ..concepts.models import Concept
from ..converters import MAX_ID
from ..fields import whole_number
from ..reports import queries as report_queries
from ..reports.content import Cell
from ..reports.filters import Errors, parse_range
from ..reports.periods import Period, periods_between
from ..scoring import MIN_VISITS
from . import queries

SHOWN = 3  # strongest and weakest standards listed


@dataclass(frozen=True)
class Judged:
    """A mean with its n; hidden (and without score) under MIN_VISITS."""

    score: float | None
    n: int
    hidden: bool


def judged(c: Cell) -> Judged:
    hidden = c.n < MIN_VISITS
    return Judged(None if hidden else c.score, c.n, hidden)


@dataclass(frozen=True)
class BranchRow:
    id: int
    code: str
    name: str
    cells: tuple[Judged, ...]


@dataclass(frozen=True)
class StandardRow:
    key: str
    text: str
    touchpoint: str
    touchpoint_name: str
    critical: bool
    result: Judged
    critical_failures: int


@dataclass(frozen=True)
class RoleScores:
    concept: Concept
    role: str
    role_name: str
    periods: tuple[Period, ...]
    overall: tuple[Judged, ...]
    branches: tuple[BranchRow, ...]
    standards: tuple[StandardRow, ...]
    good: float
    poor: float

    @property
    def critical_failures(self) -> int:
        return sum(s.critical_failures for s in self.standards)

    def _ranked(self) -> list[StandardRow]:
        return sorted((s for s in self.standards if not s.result.hidden), key=lambda s: (-s.result.score, s.text))

    @property
    def strongest(self) -> list[StandardRow]:
        return self._ranked()[:SHOWN]

    @property
    def weakest(self) -> list[StandardRow]:
        ranked = self._ranked()
        return list(reversed(ranked[-SHOWN:])) if len(ranked) > SHOWN else list(reversed(ranked))


@dataclass(frozen=True)
class RoleQuery:
    concept: Concept
    role: str
    kind: str
    first: date
    last: date
    branch_id: int | None = None

    def args(self) -> dict[str, str]:
        args = {"concept": self.concept.key, "role": self.role, "period": self.kind,
                "from": self.first.isoformat(), "to": self.last.isoformat()}
        if self.branch_id is not None:
            args["branch"] = str(self.branch_id)
        return args


def parse_role_query(viewer: User, args: Mapping[str, str], today: date) -> tuple[RoleQuery | None, Errors]:
    """Concept, role, period kind and range (as the branch report reads them), and optionally one branch."""
    concepts = report_queries.reported_concepts()
    found, errors = parse_range(args, concepts=concepts, today=today,
                                latest_day=lambda c: report_queries.latest_visit_day(viewer, c.id))
    role = (args.get("role") or "").strip()
    roles = found.concept.latest.content.roles if found else ()
    if found is not None:
        if not roles:
            errors["role"] = _("This concept names no staff roles.")
        elif not role:
            role = roles[0].key
        elif all(r.key != role for r in roles):
            errors["role"] = _("Choose one of the roles of this concept.")
    branch_id = None
    raw_branch = (args.get("branch") or "").strip()
    if raw_branch:
        branch_id = whole_number(raw_branch)
        if branch_id is None or branch_id > MAX_ID or report_queries.visible_branch(viewer, branch_id) is None:
            errors["branch"] = _("Choose one of your branches.")
    if errors or found is None:
        return None, errors
    return RoleQuery(found.concept, role, found.kind, found.first, found.last, branch_id), errors


def role_scores(viewer: User, query: RoleQuery) -> RoleScores:
    """The role's cells per period for the viewer's branches and overall, and its standards over the range."""
    concept, role = query.concept, query.role
    periods = tuple(periods_between(query.first, query.last, query.kind))
    labels = [p.label for p in periods]
    start, end = periods[0].start, periods[-1].end
    empty = Cell(None, 0)
    overall = queries.overall_cells(viewer, concept.id, role, query.kind, start, end, branch_id=query.branch_id)
    cells = queries.branch_cells(viewer, concept.id, role, query.kind, start, end, branch_id=query.branch_id)
    branches = tuple(BranchRow(bid, code, name, tuple(judged(cells.get((bid, label), empty)) for label in labels))
                     for bid, code, name, _region in report_queries.visible_branch_rows(viewer)
                     if query.branch_id is None or bid == query.branch_id)
    stats = queries.standard_cells(viewer, concept.id, role, start, end, branch_id=query.branch_id)
    standards, seen = [], set()
    for version in reversed(concept.versions):  # the latest wording first; retired standards only with data
        for _phase, tp, st in version.content.standards_of(role):
            if st.key in seen or (version is not concept.versions[-1] and st.key not in stats):
                continue
            seen.add(st.key)
            result, failed = stats.get(st.key, (empty, 0))
            standards.append(StandardRow(st.key, st.text, tp.key, tp.name, st.critical, judged(result), failed))
    content = concept.latest.content
    role_def = content.role(role)
    return RoleScores(concept, role, role_def.name if role_def else role, periods,
                      tuple(judged(overall.get(label, empty)) for label in labels), branches, tuple(standards),
                      content.good, content.poor)
