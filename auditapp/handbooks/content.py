"""What a handbook holds, from a concept version and optionally one role; pure, no Flask, no database.

A standard belongs to a role when the role owns it (its own `roles`, else its touchpoint's); a touchpoint is the
role's when it owns any of its standards. The whole-concept handbook (no role) holds every standard.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..concepts.answers import best_answer
from ..concepts.definition import Concept, Role, Standard, Touchpoint, owners
from ..domain_error import Message


@dataclass(frozen=True)
class Entry:
    """One standard as staff learn it: what, why, how it is checked, what good looks like."""

    key: str
    text: str
    why: str
    guidance: str
    good: Message | str | None
    critical: bool
    touchpoint: str  # the touchpoint's name, for lists that leave the journey order (critical, pocket card)


@dataclass(frozen=True)
class Stop:
    """A touchpoint on the journey, marked when the role owns it, with the role's standards there."""

    key: str
    name: str
    description: str
    channels: tuple[str, ...]
    owned: bool
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Stage:
    key: str
    name: str
    description: str
    stops: tuple[Stop, ...]


@dataclass(frozen=True)
class Handbook:
    concept_key: str
    concept_name: str
    description: str
    version: int
    role: Role | None
    roles: tuple[Role, ...]
    stages: tuple[Stage, ...]
    language: str = "en"  # the concept's own; its text is shown so whatever the reader's language

    @property
    def owned(self) -> tuple[Stop, ...]:
        return tuple(stop for stage in self.stages for stop in stage.stops if stop.owned)

    @property
    def critical(self) -> tuple[Entry, ...]:
        """The standards that zero their touchpoint when failed: on top, so they are learnt first."""
        return tuple(e for stop in self.owned for e in stop.entries if e.critical)


def _entry(tp: Touchpoint, st: Standard) -> Entry:
    return Entry(st.key, st.text, st.why, st.guidance, best_answer(st), st.critical, tp.name)


def handbook(concept: Concept, version: int, role: str | None = None) -> Handbook:
    """The handbook of a concept version for one role (None: the whole concept). Raises KeyError for a role the
    concept does not declare."""
    role_def = None
    if role is not None:
        role_def = concept.role(role)
        if role_def is None:
            raise KeyError(role)
    stages = []
    for phase in concept.phases:
        stops = []
        for tp in phase.touchpoints:
            entries = tuple(_entry(tp, st) for st in tp.standards if role is None or role in owners(tp, st))
            stops.append(Stop(tp.key, tp.name, tp.description, tp.channels,
                              bool(entries) or (role is not None and role in tp.roles), entries))
        stages.append(Stage(phase.key, phase.name, phase.description, tuple(stops)))
    return Handbook(concept.key, concept.name, concept.description, version, role_def, concept.roles,
                    tuple(stages), concept.language)
