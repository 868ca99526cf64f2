"""Assemble report content from the database: a visit report, and a branch's trends next to the network.

The HTML pages, the PDFs and the JSON scores endpoint all take their numbers from here, so they agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask_babel import gettext as _

from ..accounts.models import User
from ..branches.models import Branch
from ..concepts.answers import answer_label
from ..concepts.definition import Concept as ConceptDefinition
from ..concepts.models import Concept
from ..domain_error import N_, Message
from ..photos.services import photo_store
from ..scoring import MIN_VISITS, band, journey_curve, standard_score
from ..visits.models import Visit
from ..visits.queries import auditor_label, may_see_auditor, may_see_staff
from ..visits.services import form_of, scores_of
from ..vocabulary import Role
from . import queries
from .content import (BranchReport, Cell, CurvePoint, HistoryItem, PhaseRow, PhotoItem, StandardRow, TouchpointRow,
                      TouchpointTrend, VisitReport)
from .periods import Period, periods_between

WEAKEST = 5
MOST_FAILED = 8
EMPTY = Cell(None, 0)


# --- visit report ---------------------------------------------------------------------------------------------


def actor_label(visit: Visit, user: User | None, viewer: User) -> str:
    """Name who changed a status; the auditor stays a pseudonym for everyone but admins and themselves."""
    if user is None:
        return _("System")
    if user.id == visit.auditor_id and not may_see_auditor(viewer, visit):
        return user.pseudonym
    return user.name


def visit_report(visit: Visit, viewer: User, upload_dir: str | Path) -> VisitReport:
    """Build everything a visit report shows, from the visit's own concept version and answers."""
    content = visit.concept_version.content
    form = form_of(visit)
    scores = scores_of(visit)
    values = visit.answer_values()
    comments = {a.standard_key: a.comment for a in visit.answers}
    staff = {s.touchpoint_key: s.name for s in visit.staff} if may_see_staff(viewer, visit) else {}
    failed = set(scores.critical_failures)
    phases = []
    for phase in form.phases:
        touchpoints = []
        for tp in phase.touchpoints:
            rows = tuple(StandardRow(
                key=st.key, text=st.text, type=st.type, answer=_shown(answer_label(st, values.get(st.key))),
                score=standard_score(st, values.get(st.key)), comment=comments.get(st.key, ""),
                critical=st.critical, weight=st.weight, failed_critical=st.key in failed) for st in tp.standards)
            score = scores.touchpoints.get(tp.key)
            touchpoints.append(TouchpointRow(key=tp.key, name=tp.name, score=score,
                                             band=band(score, content.good, content.poor), weight=tp.weight,
                                             staff=staff.get(tp.key, ""), standards=rows))
        score = scores.phases.get(phase.key)
        phases.append(PhaseRow(key=phase.key, name=phase.name, score=score,
                               band=band(score, content.good, content.poor), touchpoints=tuple(touchpoints)))
    names = {tp.key: (ph.name, tp.name) for ph, tp in form.touchpoints()}
    curve = tuple(CurvePoint(key=p.touchpoint, label=names[p.touchpoint][1], phase=names[p.touchpoint][0],
                             score=p.score, marks=p.marks)
                  for p in journey_curve(content, visit.channel, scores.touchpoints))
    store = photo_store(upload_dir)
    photos = tuple(PhotoItem(path=store.path(p.file_key), caption=p.caption, where=photo_place(form, p))
                   for p in visit.photos)
    persona = content.persona(visit.persona_key)
    history = tuple(HistoryItem(at=h.at, actor=actor_label(visit, h.user, viewer), from_status=h.from_status,
                                to_status=h.to_status, comment=h.comment) for h in visit.history)
    return VisitReport(
        visit_id=visit.id, branch_code=visit.branch.code, branch_name=visit.branch.name, city=visit.branch.city,
        concept_name=content.name, concept_version=visit.concept_version.number, channel=visit.channel,
        persona=persona.name if persona else "", visited_at=visit.visited_at, auditor=auditor_label(visit, viewer),
        status=visit.status, score=scores.visit, band=band(scores.visit, content.good, content.poor),
        good=content.good, poor=content.poor,
        critical_failures=tuple(st.text for _, st in form.standards() if st.key in failed),
        curve=curve, phases=tuple(phases), photos=photos, remarks=visit.remarks or "", history=history)


def photo_place(form: ConceptDefinition, photo) -> str:
    """Say where a photo belongs: touchpoint and standard, so evidence can be traced."""
    standard = form.standard(photo.standard_key) if photo.standard_key else None
    touchpoint = form.touchpoint_of(standard.key) if standard else (
        form.touchpoint(photo.touchpoint_key) if photo.touchpoint_key else None)
    parts = [part for part in (touchpoint.name if touchpoint else "", standard.text if standard else "") if part]
    return " – ".join(parts) or _("General")


# --- branch trends --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """Phases and touchpoints of a concept across its versions, joined by key, in the latest version's order;
    retired touchpoints follow the current ones of their phase, retired phases come last."""

    phases: tuple[tuple[str, str], ...]                 # (key, name)
    touchpoints: tuple[tuple[str, str, str, bool], ...]  # (key, name, phase key, retired)
    good: float
    poor: float

    def phase_name(self, key: str) -> str:
        return next((name for k, name in self.phases if k == key), key)


def concept_layout(concept: Concept) -> Layout:
    """Lay out a concept's touchpoints in journey order as of its latest version."""
    versions = list(concept.versions)
    latest = versions[-1].content
    phases: list[tuple[str, str]] = [(ph.key, ph.name) for ph in latest.phases]
    current = {(tp.key) for _, tp in latest.touchpoints()}
    retired: dict[str, list[tuple[str, str]]] = {}
    seen = set(current)
    for version in reversed(versions[:-1]):  # newest first: a retired touchpoint keeps its last name
        for ph, tp in version.content.touchpoints():
            if tp.key in seen:
                continue
            seen.add(tp.key)
            if ph.key not in {k for k, _ in phases}:
                phases.append((ph.key, ph.name))
            retired.setdefault(ph.key, []).append((tp.key, tp.name))
    touchpoints: list[tuple[str, str, str, bool]] = []
    by_phase = {ph.key: ph for ph in latest.phases}
    for key, _name in phases:
        if key in by_phase:
            touchpoints += [(tp.key, tp.name, key, False) for tp in by_phase[key].touchpoints]
        touchpoints += [(tk, tn, key, True) for tk, tn in retired.get(key, [])]
    return Layout(tuple(phases), tuple(touchpoints), latest.good, latest.poor)


@dataclass(frozen=True)
class Trends:
    """A branch's overall and touchpoint cells per period: what the JSON scores endpoint returns."""

    periods: tuple[Period, ...]
    overall: tuple[Cell, ...]
    touchpoints: tuple[TouchpointTrend, ...]
    layout: Layout


def branch_trends(viewer: User, branch: Branch, concept: Concept, kind: str, first: date, last: date) -> Trends:
    """Overall and per-touchpoint scores of one branch for every period from `first` to `last`."""
    periods = tuple(periods_between(first, last, kind))
    start, end = periods[0].start, periods[-1].end
    layout = concept_layout(concept)
    overall = queries.overall_cells(viewer, concept.id, kind, start, end, branch_id=branch.id)
    cells = queries.touchpoint_cells(viewer, concept.id, kind, start, end, branch_id=branch.id)
    labels = [p.label for p in periods]
    rows = []
    for key, name, phase, retired in layout.touchpoints:
        row = tuple(cells.get((key, label), EMPTY) for label in labels)
        if retired and not any(c.n for c in row):
            continue  # a touchpoint retired before this range has nothing to say here
        rows.append(TouchpointTrend(key=key, name=name, phase=phase, cells=row))
    return Trends(periods, tuple(overall.get(label, EMPTY) for label in labels), tuple(rows), layout)


def _range_mean(cells: tuple[Cell, ...]) -> Cell:
    """Combine period means into the mean over the whole range (each period weighted by its n)."""
    n = sum(c.n for c in cells if c.score is not None)
    if not n:
        return EMPTY
    return Cell(sum(c.score * c.n for c in cells if c.score is not None) / n, n)


def network_label(viewer: User) -> str:
    """Name the comparison series after what the viewer can see (a msgid; pages and PDFs translate it)."""
    return N_("Your branches") if viewer.role == Role.MANAGER else N_("All branches")


def branch_report(viewer: User, branch: Branch, concept: Concept, kind: str, first: date, last: date) -> BranchReport:
    """Build a branch report: trends, phases, the network, weakest touchpoints, failed standards, versions."""
    trends = branch_trends(viewer, branch, concept, kind, first, last)
    periods, layout = trends.periods, trends.layout
    labels = [p.label for p in periods]
    start, end = periods[0].start, periods[-1].end
    network = queries.overall_cells(viewer, concept.id, kind, start, end)
    phase_cells = queries.phase_cells(viewer, concept.id, kind, start, end, branch_id=branch.id)
    used_phases = {t.phase for t in trends.touchpoints}
    phases = tuple(TouchpointTrend(key=key, name=name, phase=key,
                                   cells=tuple(phase_cells.get((key, label), EMPTY) for label in labels))
                   for key, name in layout.phases if key in used_phases)
    weakest = sorted(((t.name, m.score, m.n) for t in trends.touchpoints
                      if (m := _range_mean(t.cells)).score is not None), key=lambda w: (w[1], w[0]))[:WEAKEST]
    return BranchReport(
        branch_code=branch.code, branch_name=branch.name, city=branch.city, region=branch.region_name,
        concept_name=concept.name, period_kind=kind, periods=tuple(labels), overall=trends.overall,
        network=tuple(network.get(label, EMPTY) for label in labels), phases=phases,
        touchpoints=trends.touchpoints, weakest=tuple(weakest),
        failed_standards=tuple(failed_standards(viewer, concept, start, end, branch_id=branch.id)),
        version_marks=tuple(version_marks(viewer, concept, kind, periods, branch_id=branch.id)),
        good=layout.good, poor=layout.poor, network_label=network_label(viewer))


def failed_standards(viewer: User, concept: Concept, start: date, end: date, *, branch_id: int | None = None,
                     limit: int = MOST_FAILED) -> list[tuple[str, str, int, int]]:
    """The standards scored 0 most often: (text, touchpoint name, failed, scored answers), joined by key and
    named as in the latest version that has them."""
    counts = {key: c for key, c in queries.standard_failures(viewer, concept.id, start, end,
                                                               branch_id=branch_id).items() if c[0]}
    where: dict[str, tuple[str, str]] = {}
    for version in reversed(concept.versions):
        for tp, st in version.content.standards():
            if st.key in counts and st.key not in where:
                where[st.key] = (st.text, tp.name)
    ranked = sorted((k for k in counts if k in where),
                    key=lambda k: (-counts[k][0], -counts[k][0] / counts[k][1], where[k][0]))
    return [(where[k][0], where[k][1], *counts[k]) for k in ranked[:limit]]


def version_marks(viewer: User, concept: Concept, kind: str, periods: tuple[Period, ...], *,
                  branch_id: int | None = None) -> list[tuple[str, str]]:
    """Mark the period in which each later concept version was first used: (period label, "v2")."""
    if not periods:
        return []
    uses = queries.version_first_use(viewer, concept.id, branch_id=branch_id)
    marks = []
    for number, first in uses[1:]:  # the earliest version in use is the baseline, not a change
        day = first.date()
        period = next((p for p in periods if p.start <= day < p.end), None)
        if period is not None:
            marks.append((period.label, f"v{number}"))
    return marks



# --- overview -------------------------------------------------------------------------------------------------

MIN_RANKED = MIN_VISITS


@dataclass(frozen=True)
class Overview:
    """The league table of a period and the branches × touchpoints heatmap behind it."""

    period: Period
    ranked: tuple[queries.LeagueRow, ...]
    too_few: tuple[queries.LeagueRow, ...]
    columns: tuple[tuple[str, str, str], ...]  # (touchpoint key, name, phase name)
    heat: dict[tuple[int, str], Cell]
    good: float
    poor: float

    @property
    def rows(self) -> tuple[queries.LeagueRow, ...]:
        return self.ranked + self.too_few


def overview(viewer: User, concept: Concept, period: Period, *, region_id: int | None = None) -> Overview:
    """Rank the visible branches by mean visit score in a period; those with fewer than 3 visits go apart."""
    rows = queries.league(viewer, concept.id, period, region_id=region_id)
    ranked = sorted((r for r in rows if r.current.n >= MIN_RANKED), key=lambda r: (-r.current.score, r.code))
    too_few = sorted((r for r in rows if r.current.n < MIN_RANKED), key=lambda r: (-r.current.n, r.code))
    heat = queries.branch_touchpoint_cells(viewer, concept.id, period, region_id=region_id)
    layout = concept_layout(concept)
    with_data = {key for (_, key), cell in heat.items() if cell.n}
    columns = tuple((key, name, layout.phase_name(phase)) for key, name, phase, retired in layout.touchpoints
                    if not retired or key in with_data)
    return Overview(period, tuple(ranked), tuple(too_few), columns, heat, layout.good, layout.poor)


def _shown(value: Message | str) -> str:
    """An answer in the reader's language (a yes/no label, n/a); a number or an option's text stays as it is."""
    return value.render(_) if isinstance(value, Message) else value
