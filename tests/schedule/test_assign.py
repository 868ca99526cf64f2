"""The pure assignment of auditors to a round's branches: even loads, fresh faces where possible, deterministic."""

from __future__ import annotations

import itertools
import random

import pytest

from auditapp.schedule.assign import assign


def loads(plan: dict[int, int], auditors) -> list[int]:
    return [list(plan.values()).count(a) for a in auditors]


@pytest.mark.parametrize("n,k", [(1, 1), (5, 2), (7, 3), (12, 4), (3, 5), (20, 6)])
def test_every_branch_gets_one_auditor_and_loads_differ_by_at_most_one(n, k):
    branches, auditors = range(1, n + 1), range(100, 100 + k)
    plan = assign(branches, auditors, {})
    assert sorted(plan) == list(branches)
    assert max(loads(plan, auditors)) - min(loads(plan, auditors)) <= 1
    assert max(loads(plan, auditors)) == -(-n // k)


def test_nobody_returns_to_a_branch_of_the_previous_round_when_someone_else_can_go():
    branches, auditors = [1, 2, 3, 4], [10, 20]
    previous = {1: {10}, 2: {10}, 3: {20}, 4: {20}}
    plan = assign(branches, auditors, previous)
    assert plan == {1: 20, 2: 20, 3: 10, 4: 10}


def test_a_greedy_order_would_repeat_where_a_fresh_plan_exists():
    # Branch 1 can only go fresh to 20; a plan that gives 20 to branch 2 first would force a repeat at 1.
    plan = assign([1, 2], [10, 20], {1: {10}})
    assert plan == {1: 20, 2: 10}


def test_with_one_auditor_the_repeat_is_allowed():
    assert assign([1, 2], [10], {1: {10}, 2: {10}}) == {1: 10, 2: 10}


def test_evenness_wins_over_freshness():
    # Both branches were audited by 10 last time; 20 alone may not take both, so one repeat is unavoidable.
    plan = assign([1, 2], [10, 20], {1: {10}, 2: {10}})
    assert sorted(plan.values()) == [10, 20]


def test_random_rounds_hold_both_rules_and_the_plan_is_deterministic():
    rng = random.Random(20261205)
    for _ in range(200):
        n, k = rng.randint(1, 25), rng.randint(1, 8)
        branches, auditors = list(range(1, n + 1)), list(range(100, 100 + k))
        previous = {b: {rng.choice(auditors)} for b in branches if rng.random() < 0.8}
        plan = assign(branches, auditors, previous)
        counts = loads(plan, auditors)
        assert sorted(plan) == branches and max(counts) - min(counts) <= 1
        assert assign(list(reversed(branches)), list(reversed(auditors)), previous) == plan
        # No repeat could have been avoided: brute force on small rounds finds no plan with fewer repeats.
        repeats = sum(1 for b, a in plan.items() if a in previous.get(b, ()))
        if n <= 6 and k <= 3:
            best = min(sum(1 for b, a in zip(branches, combo) if a in previous.get(b, ()))
                       for combo in itertools.product(auditors, repeat=n)
                       if max(combo.count(a) for a in auditors) - min(combo.count(a) for a in auditors) <= 1)
            assert repeats == best


def test_no_auditors_is_an_error_and_no_branches_an_empty_plan():
    with pytest.raises(ValueError):
        assign([1], [], {})
    assert assign([], [1], {}) == {}
