"""Read concept files into immutable Concept objects, reporting every mistake with its path.

Pure domain code: no Flask, no database, so it is trivial to test and to run from the CLI.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml

from .checker import Checker, ConceptError, fmt_number, join_path, kind_of
from .definition import (ANSWER_TYPES, CHANNELS, DEFAULT_GOOD, DEFAULT_LANGUAGE, DEFAULT_POOR, MAX_CONCEPT_NAME, PHOTO_RULES, SCORED_TYPES, Concept, Option, Persona, Phase, Role, ScaleLabels, Standard, Target,
                         Touchpoint, required_by_default, to_dict)

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_SCALE_LABEL = 60  # under a 390 px wide scale, beside the other end's

_TYPE_FIELDS = {"scale": {"min", "max", "labels"}, "choice": {"options"}, "number": {"unit", "target"}}


class ConceptFileInvalid(Exception):
    """A concept file breaks the format; carries every error found, not just the first."""

    def __init__(self, errors: list[ConceptError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class LoadedConcept:
    concept: Concept
    source: str
    fingerprint: str


class _StrictLoader(yaml.SafeLoader):
    """Safe loading that also refuses aliases and duplicate mapping keys, which hide mistakes."""

    def compose_node(self, parent, index):  # type: ignore[override]
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.constructor.ConstructorError(
                None, None, "anchors and aliases are not allowed in concept files", event.start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):  # type: ignore[override]
        seen = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise yaml.constructor.ConstructorError(
                    None, None, "merge keys (<<) are not allowed in concept files", key_node.start_mark)
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be plain text, not a list or mapping", key_node.start_mark)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def parse_concept(data: Any, file: str = "<concept>") -> Concept:
    """Validate parsed YAML and build a Concept; raise ConceptFileInvalid listing every mistake."""
    c = Checker(file)
    top = c.mapping(data, "", {"key", "name", "phases"},
                    {"language", "description", "thresholds", "roles", "personas"})
    if top is None:
        raise ConceptFileInvalid(c.errors)

    key = c.slug(top, "")
    good, poor = DEFAULT_GOOD, DEFAULT_POOR
    if "thresholds" in top:
        th = c.mapping(top["thresholds"], "thresholds", set(), {"good", "poor"})
        if th is not None:
            good = c.number(th, "good", "thresholds", DEFAULT_GOOD, low=0, high=100)
            poor = c.number(th, "poor", "thresholds", DEFAULT_POOR, low=0, high=100)
            if poor > good:
                c.error("thresholds", f"poor ({fmt_number(poor)}) must not be above good ({fmt_number(good)})")

    roles = []
    seen: dict[str, str] = {}
    for i, raw in enumerate(c.items(top, "roles", "", required=False)):
        path = join_path("roles", i)
        r = c.mapping(raw, path, {"key", "name"}, {"description"})
        if r is not None:
            rk = c.slug(r, path)
            c.unique(seen, rk, path, "role")
            roles.append(Role(rk, c.text(r, "name", path), c.text(r, "description", path)))
    role_keys = {r.key for r in roles}

    personas = []
    seen = {}
    for i, raw in enumerate(c.items(top, "personas", "", required=False)):
        path = join_path("personas", i)
        p = c.mapping(raw, path, {"key", "name"}, {"briefing"})
        if p is not None:
            pk = c.slug(p, path)
            c.unique(seen, pk, path, "persona")
            personas.append(Persona(pk, c.text(p, "name", path), c.text(p, "briefing", path)))

    def role_refs(d: dict, path: str) -> tuple[str, ...]:
        refs = []
        for j, ref in enumerate(c.items(d, "roles", path, required=False)):
            if not isinstance(ref, str):
                c.error(join_path(join_path(path, "roles"), j), f"must be a role key, got {kind_of(ref)}")
            elif ref not in role_keys:
                c.error(join_path(join_path(path, "roles"), j), f"role {ref!r} is not declared under roles")
            refs.append(str(ref))
        return tuple(refs)

    standard_seen: dict[str, str] = {}
    phases = []
    phase_seen: dict[str, str] = {}
    tp_seen: dict[str, str] = {}
    for i, raw in enumerate(c.items(top, "phases", "", required=True)):
        path = join_path("phases", i)
        ph = c.mapping(raw, path, {"key", "name", "touchpoints"}, {"description"})
        if ph is None:
            continue
        pk = c.slug(ph, path)
        c.unique(phase_seen, pk, path, "phase")
        touchpoints = []
        tp_raws = c.items(ph, "touchpoints", path, required=False)
        if ph.get("touchpoints") == []:
            c.error(join_path(path, "touchpoints"), "an empty phase: it needs at least one touchpoint")
        for j, tp_raw in enumerate(tp_raws):
            tpath = join_path(join_path(path, "touchpoints"), j)
            tp = _touchpoint(c, tp_raw, tpath, role_refs, standard_seen, tp_seen)
            if tp is not None:
                touchpoints.append(tp)
        phases.append(Phase(pk, c.text(ph, "name", path), tuple(touchpoints), c.text(ph, "description", path)))

    name = c.text(top, "name", "", limit=MAX_CONCEPT_NAME)
    description = c.text(top, "description", "")
    language = c.language(top, "language", "", DEFAULT_LANGUAGE)
    if c.errors:
        raise ConceptFileInvalid(c.errors)
    return Concept(key=key, name=name, description=description, phases=tuple(phases), good=good, poor=poor,
                   roles=tuple(roles), personas=tuple(personas), language=language)


def _touchpoint(c: Checker, raw: Any, path: str, role_refs, standard_seen, tp_seen) -> Touchpoint | None:
    tp = c.mapping(raw, path, {"key", "name", "standards"},
                   {"description", "channels", "roles", "weight", "record_staff"})
    if tp is None:
        return None
    key = c.slug(tp, path)
    c.unique(tp_seen, key, path, "touchpoint")
    channels = []
    raw_channels = c.items(tp, "channels", path, required=True) if "channels" in tp else ["visit"]
    for j, ch in enumerate(raw_channels):
        if ch not in CHANNELS:
            c.error(join_path(join_path(path, "channels"), j), f"must be one of {', '.join(CHANNELS)}, got {ch!r}")
        elif ch in channels:
            c.error(join_path(join_path(path, "channels"), j), f"channel {ch!r} is listed twice")
        else:
            channels.append(ch)
    default_photo = "optional" if "visit" in channels else "none"
    standards = []
    raw_standards = c.items(tp, "standards", path, required=False)
    if not raw_standards and isinstance(tp.get("standards"), list):
        c.error(join_path(path, "standards"), "a touchpoint needs at least one standard")
    for j, st_raw in enumerate(raw_standards):
        st = _standard(c, st_raw, join_path(join_path(path, "standards"), j), role_refs, standard_seen, default_photo)
        if st is not None:
            standards.append(st)
    return Touchpoint(key=key, name=c.text(tp, "name", path), description=c.text(tp, "description", path),
                      channels=tuple(channels), roles=role_refs(tp, path),
                      weight=c.number(tp, "weight", path, 1.0, low=0),
                      record_staff=c.flag(tp, "record_staff", path), standards=tuple(standards))


def _standard(c: Checker, raw: Any, path: str, role_refs, seen, default_photo: str) -> Standard | None:
    common = {"weight", "critical", "na", "photo", "required", "guidance", "why", "roles"}
    all_type_fields = set().union(*_TYPE_FIELDS.values())
    st = c.mapping(raw, path, {"key", "text", "type"}, common | all_type_fields)
    if st is None:
        return None
    key = c.slug(st, path)
    c.unique(seen, key, path, "standard")
    kind = c.choice(st, "type", path, ANSWER_TYPES, "yesno") if "type" in st else "yesno"
    for name in sorted(all_type_fields - _TYPE_FIELDS.get(kind, set())):
        if name in st:
            owners = [t for t, f in _TYPE_FIELDS.items() if name in f]
            c.error(join_path(path, name), f"only allowed for type {' or '.join(owners)}, not {kind}")
    weight = c.number(st, "weight", path, 1.0, low=0)
    critical = c.flag(st, "critical", path)
    if critical and kind not in SCORED_TYPES:
        c.error(join_path(path, "critical"), f"a {kind} standard is never scored, so it cannot be critical")
    if critical and weight == 0:
        c.error(join_path(path, "critical"), "a standard with weight 0 is never scored, so it cannot be critical")
    photo = c.choice(st, "photo", path, PHOTO_RULES, "required" if kind == "photo" else default_photo)
    if kind == "photo" and photo == "none":
        c.error(join_path(path, "photo"), "a photo standard cannot have photo: none")

    low = high = target = labels = None
    options: list[Option] = []
    if kind == "scale":
        low = c.number(st, "min", path)
        high = c.number(st, "max", path)
        for name in ("min", "max"):
            if name not in st:
                c.error(join_path(path, name), "is required for a scale")
        if low is not None and high is not None and low >= high:
            c.error(join_path(path, "min"), f"min ({fmt_number(low)}) must be below max ({fmt_number(high)})")
        if "labels" in st:
            lpath = join_path(path, "labels")
            ends = c.mapping(st["labels"], lpath, set(), {"min", "max"})
            if ends is not None:
                if not any(k in ends for k in ("min", "max")):
                    c.error(lpath, "needs min, max or both")
                for end in ("min", "max"):  # an empty end would show as an empty line and be read as nothing
                    if isinstance(ends.get(end), str) and not ends[end].strip():
                        c.error(join_path(lpath, end), "must not be empty: leave the end out instead")
                labels = ScaleLabels(c.text(ends, "min", lpath, limit=MAX_SCALE_LABEL),
                                     c.text(ends, "max", lpath, limit=MAX_SCALE_LABEL))
    elif kind == "choice":
        if "options" not in st:
            c.error(join_path(path, "options"), "a choice needs options")
        opt_seen: dict[str, str] = {}
        for j, raw_opt in enumerate(c.items(st, "options", path, required="options" in st)):
            opath = join_path(join_path(path, "options"), j)
            o = c.mapping(raw_opt, opath, {"key", "label", "score"}, set())
            if o is None:
                continue
            okey = c.slug(o, opath)
            c.unique(opt_seen, okey, opath, "option")
            if "score" in o:
                score = c.number(o, "score", opath, 0.0, low=0, high=1)
            else:
                score = 0.0
            options.append(Option(okey, c.text(o, "label", opath), score))
    elif kind == "number" and "target" in st:
        tpath = join_path(path, "target")
        t = c.mapping(st["target"], tpath, set(), {"min", "max"})
        if t is not None:
            tmin, tmax = c.number(t, "min", tpath), c.number(t, "max", tpath)
            if tmin is None and tmax is None and not any(k in t for k in ("min", "max")):
                c.error(tpath, "needs min, max or both")
            elif tmin is not None and tmax is not None and tmin > tmax:
                c.error(tpath, f"min ({fmt_number(tmin)}) must not be above max ({fmt_number(tmax)})")
            target = Target(tmin, tmax)

    required = c.flag(st, "required", path, default=required_by_default(kind, weight, target))
    if kind == "photo" and "required" in st:
        c.error(join_path(path, "required"),
                "does not apply to a photo standard: photo: required or optional says whether one must be attached")
    elif critical and "required" in st and not required:
        c.error(join_path(path, "required"), "a critical standard must be answered, so it cannot be required: false")

    return Standard(key=key, text=c.text(st, "text", path), type=kind, weight=weight, critical=critical,
                    na=c.flag(st, "na", path), photo=photo, required=required,
                    guidance=c.text(st, "guidance", path), why=c.text(st, "why", path), roles=role_refs(st, path),
                    min=low, max=high, options=tuple(options), unit=c.text(st, "unit", path), target=target,
                    labels=labels)


def load_text(text: str, file: str = "<concept>") -> LoadedConcept:
    """Parse and validate a concept file's text."""
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConceptFileInvalid([ConceptError(file, where, f"not valid YAML: {problem}")]) from None
    except RecursionError:
        raise ConceptFileInvalid([ConceptError(file, "", "not valid YAML: nested too deeply")]) from None
    concept = parse_concept(data, file)
    return LoadedConcept(concept, text, fingerprint(concept))


def load_bytes(raw: bytes, file: str = "<concept>") -> LoadedConcept:
    """Decode, parse and validate a concept file's bytes (from disk or an upload); a BOM is allowed."""
    if len(raw) > MAX_FILE_BYTES:
        raise ConceptFileInvalid([ConceptError(file, "", "file is larger than 2 MB")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConceptFileInvalid([ConceptError(file, "", f"is not UTF-8 text (byte {exc.start + 1})")]) from None
    return load_text(text, file)


def load_file(path: str | Path) -> LoadedConcept:
    """Read, parse and validate one concept file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConceptFileInvalid([ConceptError(str(path), "", f"cannot read: {exc.strerror}")]) from None
    return load_bytes(raw, str(path))


def fingerprint(concept: Concept) -> str:
    """Hash the meaning of a concept, so comments and layout changes do not make a new version."""
    data = to_dict(concept)
    if data["language"] == DEFAULT_LANGUAGE:  # as `required` below: concepts from before `language` keep theirs
        del data["language"]
    # `required` came after the first versions were stored: hashing it only where it differs from its
    # default keeps their fingerprints, so re-importing an unchanged file still says "unchanged".
    for phase in data["phases"]:
        for tp in phase["touchpoints"]:
            for st in tp["standards"]:
                if st["required"] == required_by_default(st["type"], st["weight"], st["target"]):
                    del st["required"]
                if st["labels"] is None:  # as `required`: versions from before labels keep their fingerprint
                    del st["labels"]
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def expand_paths(paths: list[str | Path]) -> list[Path]:
    """Turn CLI arguments into concept files: directories give their *.yaml and *.yml files."""
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted([*p.glob("*.yaml"), *p.glob("*.yml")]))
        else:
            files.append(p)
    return files
