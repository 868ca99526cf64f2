"""The three showcase concepts in service_concepts/: valid, and as rich as issue 2 promises."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditapp.concepts.definition import ANSWER_TYPES
from auditapp.concepts.loader import expand_paths, load_file

FOLDER = Path(__file__).resolve().parents[2] / "service_concepts"
KEYS = ("hotel-stay", "restaurant-visit", "reservation-call", "winkelbezoek")


@pytest.fixture(scope="module")
def showcase():
    return {key: load_file(FOLDER / f"{key}.yaml").concept for key in KEYS}


def test_folder_holds_exactly_the_four_concepts():
    assert sorted(p.stem for p in expand_paths([FOLDER])) == sorted(KEYS)


@pytest.mark.parametrize("key", KEYS)
def test_file_passes_the_loader_under_its_own_key(key, showcase):
    assert showcase[key].key == key


def test_enough_touchpoints_and_standards_together(showcase):
    touchpoints = sum(1 for c in showcase.values() for _ in c.touchpoints())
    standards = sum(1 for c in showcase.values() for _ in c.standards())
    assert touchpoints >= 25
    assert standards >= 90


@pytest.mark.parametrize("key", ["hotel-stay", "restaurant-visit", "winkelbezoek"])
def test_visit_concepts_run_the_whole_journey(key, showcase):
    concept = showcase[key]
    assert len(concept.phases) >= 5
    assert "visit" in concept.channels()
    after_sales = [p for p in concept.phases
                   if any(word in f"{p.key} {p.name}".lower() for word in ("after-sales", "after sales", "loyalty", "na-aankoop", "na aankoop"))]
    assert after_sales, [p.key for p in concept.phases]
    assert concept.phases.index(after_sales[0]) >= len(concept.phases) - 2  # at the end of the journey


def test_the_retail_concept_is_dutch_and_its_shop_can_be_phoned(showcase):
    retail = showcase["winkelbezoek"]
    assert retail.language == "nl" and retail.channels() == ("visit", "call")
    assert all(showcase[key].language == "en" for key in KEYS if key != "winkelbezoek")


def test_call_concept_is_audited_by_phone(showcase):
    assert showcase["reservation-call"].channels() == ("call",)


def test_every_answer_type_is_used(showcase):
    used = {s.type for c in showcase.values() for _, s in c.standards()}
    assert used == set(ANSWER_TYPES)


def test_weights_na_critical_and_targets_are_used(showcase):
    standards = [s for c in showcase.values() for _, s in c.standards()]
    touchpoints = [t for c in showcase.values() for _, t in c.touchpoints()]
    assert any(s.weight not in (0, 1) for s in standards)
    assert any(t.weight != 1 for t in touchpoints)
    assert any(s.na for s in standards)
    assert any(s.critical for s in standards)
    targets = [s.target for s in standards if s.type == "number" and s.target is not None]
    assert any(t.max is not None for t in targets)
    assert sum(1 for s in standards if s.type == "number" and s.unit) >= 2


@pytest.mark.parametrize("key", KEYS)
def test_personas_with_briefings(key, showcase):
    personas = showcase[key].personas
    assert len(personas) >= 2
    assert all(len(p.briefing.split()) >= 15 for p in personas), [p.key for p in personas]


@pytest.mark.parametrize("key", KEYS)
def test_every_standard_says_why(key, showcase):
    missing = [s.key for _, s in showcase[key].standards() if not s.why.strip()]
    assert missing == []


@pytest.mark.parametrize("key", KEYS)
def test_roles_are_declared_with_names_and_used(key, showcase):
    concept = showcase[key]
    declared = {r.key for r in concept.roles}
    used = {r for _, t in concept.touchpoints() for r in t.roles} | {r for _, s in concept.standards() for r in s.roles}
    assert used and used <= declared
    assert all(r.name for r in concept.roles)


def test_a_role_key_means_one_role_across_the_showcase_concepts(showcase):
    """HR reads role scores across concepts: `waiter` must not be a hotel's breakfast server in one file and a
    restaurant waiter in another, and one role must not go by two keys."""
    names: dict[str, set[str]] = {}
    for concept in showcase.values():
        for role in concept.roles:
            names.setdefault(role.key, set()).add(role.name)
    assert {key: found for key, found in names.items() if len(found) > 1} == {}
    keys_by_name: dict[str, set[str]] = {}
    for key, found in names.items():
        keys_by_name.setdefault(next(iter(found)), set()).add(key)
    assert {name: keys for name, keys in keys_by_name.items() if len(keys) > 1} == {}
    assert len(names) >= 10  # the three concepts together name a real staff


def test_every_declared_role_owns_at_least_one_standard(showcase):
    for concept in showcase.values():
        for role in concept.roles:
            assert list(concept.standards_of(role.key)), f"{concept.key}: role {role.key} owns no standard"
