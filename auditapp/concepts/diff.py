"""What changed between two versions of a concept, by key — what a manager needs to read a break in a trend.

Pure: two concept definitions in, a list of changes out. Touchpoints and standards are matched by key, as the trends
join them; a touchpoint "moved" when it changed phase or left the journey order the two versions share (the
touchpoints outside their longest common order — so one move is one change, not a shift of all that follow).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..vocabulary import ChangeKind
from .definition import Concept


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    key: str
    name: str           # the standard's text or the touchpoint's name, as the newer version has it if it has it
    before: str = ""
    after: str = ""
    places: tuple[int, int] | None = None  # a moved touchpoint's place in its phase (1 = first), before and after


def _weight(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _common_order(old: list[str], new: list[str]) -> set[str]:
    """The keys on a longest common subsequence of two orders (dynamic programming; concepts are small)."""
    rows = [[0] * (len(new) + 1) for _ in range(len(old) + 1)]
    for i in range(len(old) - 1, -1, -1):
        for j in range(len(new) - 1, -1, -1):
            rows[i][j] = rows[i + 1][j + 1] + 1 if old[i] == new[j] else max(rows[i + 1][j], rows[i][j + 1])
    keep, i, j = set(), 0, 0
    while i < len(old) and j < len(new):
        if old[i] == new[j]:
            keep.add(old[i])
            i, j = i + 1, j + 1
        elif rows[i + 1][j] >= rows[i][j + 1]:
            i += 1
        else:
            j += 1
    return keep


def diff(old: Concept, new: Concept) -> list[Change]:
    """Touchpoint changes in journey order, then standard changes in journey order (removed ones last)."""
    changes: list[Change] = []
    old_tps = {tp.key: (phase, tp) for phase, tp in old.touchpoints()}
    new_tps = {tp.key: (phase, tp) for phase, tp in new.touchpoints()}
    place = {id(tp): n for phase in (*old.phases, *new.phases) for n, tp in enumerate(phase.touchpoints, start=1)}
    shared = [k for k in new_tps if k in old_tps]
    in_order = _common_order([k for k in old_tps if k in new_tps], shared)
    for key, (phase, tp) in new_tps.items():
        if key not in old_tps:
            changes.append(Change(ChangeKind.TOUCHPOINT_ADDED, key, tp.name, after=phase.name))
            continue
        old_phase, old_tp = old_tps[key]
        if old_phase.key != phase.key or key not in in_order:
            changes.append(Change(ChangeKind.TOUCHPOINT_MOVED, key, tp.name, before=old_phase.name, after=phase.name,
                                  places=(place[id(old_tp)], place[id(tp)])))
    changes += [Change(ChangeKind.TOUCHPOINT_REMOVED, key, tp.name, before=phase.name)
                for key, (phase, tp) in old_tps.items() if key not in new_tps]
    old_sts = {st.key: st for _tp, st in old.standards()}
    new_sts = {st.key: st for _tp, st in new.standards()}
    for key, st in new_sts.items():
        before = old_sts.get(key)
        if before is None:
            changes.append(Change(ChangeKind.STANDARD_ADDED, key, st.text))
            continue
        if " ".join(before.text.split()) != " ".join(st.text.split()):
            changes.append(Change(ChangeKind.STANDARD_REWORDED, key, st.text, before=before.text, after=st.text))
        if before.weight != st.weight:
            changes.append(Change(ChangeKind.STANDARD_REWEIGHTED, key, st.text, before=_weight(before.weight),
                                  after=_weight(st.weight)))
        if st.critical and not before.critical:
            changes.append(Change(ChangeKind.STANDARD_MADE_CRITICAL, key, st.text))
        elif before.critical and not st.critical:
            changes.append(Change(ChangeKind.STANDARD_NO_LONGER_CRITICAL, key, st.text))
    changes += [Change(ChangeKind.STANDARD_REMOVED, key, st.text) for key, st in old_sts.items() if key not in new_sts]
    return changes
