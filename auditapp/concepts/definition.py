"""A service concept as plain immutable data, shared by the loader, scoring and the pages."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Iterator

from ..vocabulary import Channel

CHANNELS = tuple(Channel)
ANSWER_TYPES = ("yesno", "scale", "choice", "number", "text", "photo")
PHOTO_RULES = ("none", "optional", "required")
SCORED_TYPES = ("yesno", "scale", "choice", "number")
DEFAULT_GOOD = 80.0
DEFAULT_POOR = 60.0
DEFAULT_LANGUAGE = "en"  # a concept file without `language` is English (DESIGN.md, Concept files)
# Keys and the concept name are stored in bounded columns; the loader refuses longer ones, so no save can fail.
MAX_KEY = 64
# What a key looks like: the loader refuses others, and URLs and queries take no other (converters, queries).
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MAX_CONCEPT_NAME = 200


@dataclass(frozen=True)
class Role:
    key: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class Persona:
    key: str
    name: str
    briefing: str = ""


@dataclass(frozen=True)
class Option:
    key: str
    label: str
    score: float


@dataclass(frozen=True)
class Target:
    min: float | None = None
    max: float | None = None

    def met(self, value: float) -> bool:
        """Tell whether a measured number meets every bound that is set."""
        if self.max is not None and value > self.max:
            return False
        if self.min is not None and value < self.min:
            return False
        return True


@dataclass(frozen=True)
class ScaleLabels:
    """What the ends of a scale mean ("Cold, hurried" … "Warm, personal"); either may be empty."""

    min: str = ""
    max: str = ""


@dataclass(frozen=True)
class Standard:
    key: str
    text: str
    type: str
    weight: float = 1.0
    critical: bool = False
    na: bool = False
    photo: str = "optional"
    required: bool = True
    guidance: str = ""
    why: str = ""
    roles: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    options: tuple[Option, ...] = ()
    unit: str = ""
    target: Target | None = None
    labels: ScaleLabels | None = None

    def option(self, key: str) -> Option | None:
        """Find an option of a choice standard by its key."""
        return next((o for o in self.options if o.key == key), None)

    @property
    def optional(self) -> bool:
        """Tell whether a visit can be submitted with nothing filled in here: no answer, no photo."""
        return not self.required and self.photo != "required"


def required_by_default(kind: str, weight: float, target: Target | dict | None) -> bool:
    """A standard that scores must be answered; free text, photos, untargeted numbers and weight 0 need not."""
    if kind not in SCORED_TYPES or weight == 0:
        return False
    return kind != "number" or target is not None


@dataclass(frozen=True)
class Touchpoint:
    key: str
    name: str
    standards: tuple[Standard, ...]
    description: str = ""
    channels: tuple[str, ...] = ("visit",)
    roles: tuple[str, ...] = ()
    weight: float = 1.0
    record_staff: bool = False


@dataclass(frozen=True)
class Phase:
    key: str
    name: str
    touchpoints: tuple[Touchpoint, ...]
    description: str = ""


@dataclass(frozen=True)
class Concept:
    key: str
    name: str
    phases: tuple[Phase, ...]
    description: str = ""
    good: float = DEFAULT_GOOD
    poor: float = DEFAULT_POOR
    roles: tuple[Role, ...] = ()
    personas: tuple[Persona, ...] = field(default_factory=tuple)
    language: str = DEFAULT_LANGUAGE  # what its text is written in; pages show it so, whatever the reader's

    def for_channel(self, channel: str) -> Concept:
        """Keep only what a visit through this channel audits; phases left empty drop out."""
        phases = []
        for phase in self.phases:
            tps = tuple(tp for tp in phase.touchpoints if channel in tp.channels)
            if tps:
                phases.append(Phase(phase.key, phase.name, tps, phase.description))
        return Concept(self.key, self.name, tuple(phases), self.description, self.good, self.poor,
                       self.roles, self.personas, self.language)

    def touchpoints(self) -> Iterator[tuple[Phase, Touchpoint]]:
        """Walk the touchpoints in journey order."""
        for phase in self.phases:
            for tp in phase.touchpoints:
                yield phase, tp

    def standards(self) -> Iterator[tuple[Touchpoint, Standard]]:
        """Walk the standards in journey order."""
        for _, tp in self.touchpoints():
            for st in tp.standards:
                yield tp, st

    def standard(self, key: str) -> Standard | None:
        """Find a standard by its concept-wide key."""
        return next((st for _, st in self.standards() if st.key == key), None)

    def touchpoint_of(self, standard_key: str) -> Touchpoint | None:
        """Find the touchpoint that holds a standard."""
        return next((tp for tp, st in self.standards() if st.key == standard_key), None)

    def touchpoint(self, key: str) -> Touchpoint | None:
        """Find a touchpoint by key."""
        return next((tp for _, tp in self.touchpoints() if tp.key == key), None)

    def persona(self, key: str | None) -> Persona | None:
        """Find a persona by key."""
        return next((p for p in self.personas if p.key == key), None)

    def standards_of(self, role: str) -> Iterator[tuple[Phase, Touchpoint, Standard]]:
        """Walk, in journey order, the standards a role owns: its own `roles`, else its touchpoint's."""
        for phase, tp in self.touchpoints():
            for st in tp.standards:
                if role in owners(tp, st):
                    yield phase, tp, st

    def role(self, key: str) -> Role | None:
        """Find a role by key."""
        return next((r for r in self.roles if r.key == key), None)

    def channels(self) -> tuple[str, ...]:
        """List the channels any touchpoint of the concept applies to, in canonical order."""
        used = {c for _, tp in self.touchpoints() for c in tp.channels}
        return tuple(c for c in CHANNELS if c in used)


def owners(touchpoint: Touchpoint, standard: Standard) -> tuple[str, ...]:
    """The roles that own a standard (docs/architecture.md, Scoring): its own `roles`, else its touchpoint's."""
    return standard.roles or touchpoint.roles


def to_dict(concept: Concept) -> dict[str, Any]:
    """Turn a concept into JSON-ready data for storing a version."""
    return asdict(concept)


def from_dict(data: dict[str, Any]) -> Concept:
    """Rebuild a concept from data written by to_dict (already validated when imported)."""
    def standard(d: dict[str, Any]) -> Standard:
        # Versions stored before `required` existed lack it; the default gives them their meaning.
        required = d.get("required", required_by_default(d["type"], d["weight"], d["target"]))
        return Standard(**{**d, "required": required, "roles": tuple(d["roles"]),
                           "options": tuple(Option(**o) for o in d["options"]),
                           "target": Target(**d["target"]) if d["target"] else None,
                           "labels": ScaleLabels(**d["labels"]) if d.get("labels") else None})

    def touchpoint(d: dict[str, Any]) -> Touchpoint:
        return Touchpoint(**{**d, "channels": tuple(d["channels"]), "roles": tuple(d["roles"]),
                             "standards": tuple(standard(s) for s in d["standards"])})

    return Concept(
        key=data["key"], name=data["name"], description=data["description"],
        good=data["good"], poor=data["poor"], language=data.get("language", DEFAULT_LANGUAGE),
        roles=tuple(Role(**r) for r in data["roles"]),
        personas=tuple(Persona(**p) for p in data["personas"]),
        phases=tuple(Phase(key=p["key"], name=p["name"], description=p["description"],
                           touchpoints=tuple(touchpoint(t) for t in p["touchpoints"]))
                     for p in data["phases"]),
    )
