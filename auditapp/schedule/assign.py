"""Assign auditors to the branches of a round: loads even, and nobody sent back to a branch they audited last round
when someone else can go. Pure: ids in, ids out.

Loads count this round's visits only and differ by at most one: q = n // k visits each, and r = n % k auditors one
more. Within that, the number of branches that get a fresh auditor is maximised (a max-flow over the "fresh"
pairs); the branches left over take whoever still has room, which is then unavoidable. Ties go to the lower id,
so the same input always gives the same plan.
"""

from __future__ import annotations

from collections import deque
from typing import Mapping, Sequence


def assign(branches: Sequence[int], auditors: Sequence[int],
           previous: Mapping[int, frozenset[int] | set[int]]) -> dict[int, int]:
    """Map each branch to an auditor; `previous` names, per branch, the auditors of the previous round there."""
    branches, auditors = sorted(set(branches)), sorted(set(auditors))
    if not branches:
        return {}
    if not auditors:
        raise ValueError("no auditors to assign")
    q, r = divmod(len(branches), len(auditors))
    # Nodes: source, "extra" (hands out the r visits above q), auditors, branches, sink.
    source, extra, sink = "s", "x", "t"
    cap: dict[tuple, int] = {}

    def edge(u, v, c):
        cap[(u, v)] = cap.get((u, v), 0) + c
        cap.setdefault((v, u), 0)

    for a in auditors:
        if q:
            edge(source, ("a", a), q)
        if r:
            edge(extra, ("a", a), 1)
    if r:
        edge(source, extra, r)
    for b in branches:
        edge(("b", b), sink, 1)
        for a in auditors:
            if a not in previous.get(b, ()):
                edge(("a", a), ("b", b), 1)
    neighbours: dict = {}
    for u, v in cap:
        neighbours.setdefault(u, []).append(v)
    for u in neighbours:
        neighbours[u].sort(key=_order)
    while (path := _augmenting_path(source, sink, cap, neighbours)) is not None:
        for u, v in zip(path, path[1:]):
            cap[(u, v)] -= 1
            cap[(v, u)] += 1
    plan = {v[1]: u[1] for (u, v), c in cap.items()
            if isinstance(u, tuple) and u[0] == "a" and isinstance(v, tuple) and v[0] == "b" and c == 0}
    # Branches no fresh auditor could take: whoever has room left, the least loaded first.
    load = {a: 0 for a in auditors}
    for a in plan.values():
        load[a] += 1
    above = sum(1 for a in auditors if load[a] > q)
    for b in branches:
        if b in plan:
            continue
        room = [a for a in auditors if load[a] < q or (load[a] == q and above < r)]
        chosen = min(room, key=lambda a: (load[a], a))
        if load[chosen] == q:
            above += 1
        load[chosen] += 1
        plan[b] = chosen
    return plan


def _order(node) -> tuple:
    return (0, node) if isinstance(node, str) else (1, node[0], node[1])


def _augmenting_path(source, sink, cap, neighbours) -> list | None:
    """Breadth-first search for a path with room left (Edmonds–Karp), visiting nodes in a fixed order."""
    parent = {source: None}
    queue = deque([source])
    while queue:
        u = queue.popleft()
        for v in neighbours.get(u, ()):
            if v not in parent and cap[(u, v)] > 0:
                parent[v] = u
                if v == sink:
                    path = [v]
                    while parent[path[-1]] is not None:
                        path.append(parent[path[-1]])
                    return path[::-1]
                queue.append(v)
    return None
