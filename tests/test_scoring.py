"""docs/architecture.md, Scoring scoring, with every number computed by hand here; pure, no app and no database."""

from __future__ import annotations

import random
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditapp.concepts.definition import Concept, Option, Phase, Standard, Target, Touchpoint
from auditapp.concepts.loader import load_text
from auditapp.scoring import (CurvePoint, band, journey_curve, period_label, score_visit, standard_score,
                              touchpoint_score, weighted_mean)
from auditapp.vocabulary import Band


def std(key: str = "s", type: str = "yesno", **kw) -> Standard:
    return Standard(key=key, text=f"Text of {key}", type=type, **kw)


def tp(key: str, *standards: Standard, weight: float = 1.0, channels=("visit",)) -> Touchpoint:
    return Touchpoint(key=key, name=key.title(), standards=standards, weight=weight, channels=tuple(channels))


def ph(key: str, *touchpoints: Touchpoint) -> Phase:
    return Phase(key=key, name=key.title(), touchpoints=touchpoints)


def concept(*phases: Phase, good: float = 80, poor: float = 60) -> Concept:
    return Concept(key="c", name="C", phases=phases, good=good, poor=poor)


SCALE = std("scale", "scale", min=1, max=5)
CHOICE = std("choice", "choice", options=(Option("none", "Nothing", 0.0), Option("some", "Some", 0.5),
                                          Option("all", "All", 1.0)))


# --- standard score ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("standard, value, expected", [
    (std(), "yes", 1.0),
    (std(), "no", 0.0),
    (SCALE, 1, 0.0),                                  # (1 - 1) / (5 - 1)
    (SCALE, 4, 0.75),                                 # (4 - 1) / (5 - 1)
    (SCALE, 5, 1.0),
    (std("s", "scale", min=0, max=10), 7, 0.7),       # (7 - 0) / (10 - 0)
    (CHOICE, "none", 0.0),
    (CHOICE, "some", 0.5),
    (CHOICE, "all", 1.0),
    (std("n", "number", target=Target(max=1)), 1, 1.0),     # on the bound counts as met
    (std("n", "number", target=Target(max=1)), 0.5, 1.0),
    (std("n", "number", target=Target(max=1)), 1.5, 0.0),
    (std("n", "number", target=Target(min=3)), 3, 1.0),
    (std("n", "number", target=Target(min=3)), 2.9, 0.0),
    (std("n", "number", target=Target(min=2, max=4)), 3, 1.0),
    (std("n", "number", target=Target(min=2, max=4)), 1, 0.0),
    (std("n", "number", target=Target(min=2, max=4)), 5, 0.0),
])
def test_standard_score_per_type(standard, value, expected):
    assert standard_score(standard, value) == pytest.approx(expected)


@pytest.mark.parametrize("standard, value", [
    (std("n", "number"), 3),                          # number without a target is recorded only
    (std("t", "text"), "Chef's risotto"),
    (std("p", "photo"), "front door"),
    (std(weight=0), "yes"),                           # weight 0: shown, not scored
    (std(), None),                                    # missing
    (std(), ""),                                      # cleared
    (std(na=True), "na"),
    (CHOICE, "unknown-option"),
])
def test_standard_score_none(standard, value):
    assert standard_score(standard, value) is None


# --- touchpoint score ---------------------------------------------------------------------------------------

def test_touchpoint_weighted_mean():
    t = tp("t", std("a", weight=2), std("b", weight=1))
    result = touchpoint_score(t, {"a": "yes", "b": "no"})
    # 100 * (2*1 + 1*0) / (2 + 1) = 66.666…
    assert result.score == pytest.approx(200 / 3)
    assert round(result.score, 2) == 66.67
    assert result.critical_failures == ()


def test_touchpoint_mixes_types_and_skips_unscored():
    t = tp("t", std("a"), SCALE, std("choice", "choice", weight=2, options=CHOICE.options),
           std("note", "text"), std("n", "number"), std("pilot", weight=0), std("later"))
    answers = {"a": "yes", "scale": 4, "choice": "some", "note": "x", "n": 12, "pilot": "no"}
    # (1*1 + 1*0.75 + 2*0.5) / (1 + 1 + 2) = 2.75 / 4 = 68.75; text, untargeted number, weight 0, missing skipped
    assert touchpoint_score(t, answers).score == pytest.approx(68.75)


def test_na_drops_out_of_the_mean():
    t = tp("t", std("a"), std("b", na=True, weight=3))
    assert touchpoint_score(t, {"a": "no", "b": "na"}).score == 0.0
    assert touchpoint_score(t, {"a": "yes", "b": "na"}).score == 100.0
    # (1*1 + 3*0) / 4 = 25
    assert touchpoint_score(t, {"a": "yes", "b": "no"}).score == pytest.approx(25.0)


def test_critical_failure_forces_zero_and_is_listed():
    t = tp("t", std("crit", critical=True), std("other", weight=3))
    result = touchpoint_score(t, {"crit": "no", "other": "yes"})   # would be 75 without the override
    assert result.score == 0.0
    assert result.critical_failures == ("crit",)


@pytest.mark.parametrize("value", ["na", None])
def test_critical_not_answered_or_na_is_no_failure(value):
    t = tp("t", std("crit", critical=True, na=True), std("other", weight=3), std("third"))
    result = touchpoint_score(t, {"crit": value, "other": "yes", "third": "no"})
    assert result.score == pytest.approx(75.0)                         # (3*1 + 1*0) / 4
    assert result.critical_failures == ()


def test_critical_scale_at_its_minimum_is_a_failure():
    t = tp("t", std("warmth", "scale", min=1, max=5, critical=True), std("other"))
    assert touchpoint_score(t, {"warmth": 1, "other": "yes"}).critical_failures == ("warmth",)
    assert touchpoint_score(t, {"warmth": 2, "other": "yes"}).score == pytest.approx(62.5)  # (0.25 + 1) / 2


def test_critical_number_target_missed_is_a_failure():
    t = tp("t", std("wait", "number", target=Target(max=10), critical=True), std("other"))
    assert touchpoint_score(t, {"wait": 11, "other": "yes"}).score == 0.0
    assert touchpoint_score(t, {"wait": 10, "other": "yes"}).score == 100.0


def test_touchpoint_none_when_nothing_scored():
    t = tp("t", std("a", na=True), std("note", "text"), std("n", "number"))
    assert touchpoint_score(t, {"a": "na", "note": "x", "n": 3}).score is None
    assert touchpoint_score(t, {}).score is None


def test_weighted_mean_ignores_none_and_zero_weights_give_none():
    assert weighted_mean([(2, 1.0), (1, None), (1, 0.0)]) == pytest.approx(2 / 3)
    assert weighted_mean([(0, 1.0)]) is None
    assert weighted_mean([]) is None


# --- phase and visit ----------------------------------------------------------------------------------------

def journey() -> Concept:
    return concept(
        ph("arrive",
           tp("door", std("door-a"), weight=2),                                  # T = 100
           tp("desk", std("desk-a"), std("desk-b", weight=1.5), weight=1)),       # T = 40
        ph("stay",
           tp("room", std("room-a", na=True)),                                  # T = None
           tp("bar", std("bar-a", critical=True), std("bar-b"))),               # T = 0 (critical)
        ph("phone",
           tp("call", std("call-a"), channels=("call",))),
    )


ANSWERS = {"door-a": "yes", "desk-a": "yes", "desk-b": "no", "room-a": "na", "bar-a": "no", "bar-b": "yes",
           "call-a": "no"}


def test_visit_scores_by_hand():
    scores = score_visit(journey(), "visit", ANSWERS)
    # desk: (1*1 + 1.5*0) / 2.5 = 40
    assert scores.touchpoints == pytest.approx({"door": 100.0, "desk": 40.0, "room": None, "bar": 0.0})
    # arrive: (2*100 + 1*40) / 3 = 80; stay: only bar counts -> 0
    assert scores.phases == pytest.approx({"arrive": 80.0, "stay": 0.0})
    # visit: weighted over touchpoints, not phases: (2*100 + 1*40 + 1*0) / 4 = 60 (the mean of phases would be 40)
    assert scores.visit == pytest.approx(60.0)
    assert scores.critical_failures == ("bar-a",)


def test_channel_filter_leaves_out_touchpoints_of_the_other_channel():
    visit = score_visit(journey(), "visit", ANSWERS)
    assert "call" not in visit.touchpoints and "phone" not in visit.phases
    call = score_visit(journey(), "call", ANSWERS)
    assert call.touchpoints == {"call": 0.0}
    assert call.phases == {"phone": 0.0}
    assert call.visit == 0.0


def test_touchpoint_on_both_channels_counts_in_both():
    c = concept(ph("p", tp("confirm", std("sent"), channels=("visit", "call")), tp("walk", std("w"))))
    assert score_visit(c, "call", {"sent": "yes", "w": "no"}).visit == 100.0
    assert score_visit(c, "visit", {"sent": "yes", "w": "no"}).visit == 50.0


def test_nothing_answered_gives_none_everywhere():
    scores = score_visit(journey(), "visit", {})
    assert scores.visit is None
    assert set(scores.phases.values()) == {None}
    assert set(scores.touchpoints.values()) == {None}
    assert scores.critical_failures == ()


def test_scoring_a_concept_read_from_yaml():
    c = load_text("""
key: y
name: Y
phases:
  - key: p
    name: P
    touchpoints:
      - key: t
        name: T
        standards:
          - {key: a, text: A, type: yesno, weight: 3}
          - {key: b, text: B, type: scale, min: 0, max: 4}
""").concept
    # (3*1 + 1*(1/4)) / 4 = 0.8125
    assert score_visit(c, "visit", {"a": "yes", "b": 1}).visit == pytest.approx(81.25)


# --- bands ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("score, expected", [
    (100, Band.GOOD), (80, Band.GOOD), (79.99, Band.FAIR), (60, Band.FAIR), (59.99, Band.POOR), (0, Band.POOR),
    (None, None),
])
def test_band_at_the_exact_thresholds(score, expected):
    assert band(score, 80, 60) is expected


def test_band_with_the_concepts_own_thresholds():
    assert band(84.9, 85, 65) is Band.FAIR
    assert band(85, 85, 65) is Band.GOOD
    assert band(64.9, 85, 65) is Band.POOR


# --- journey curve ----------------------------------------------------------------------------------------------

def test_journey_curve_marks_peak_low_and_end():
    c = concept(ph("a", tp("t1", std("x1")), tp("t2", std("x2")), tp("t3", std("x3"))),
                ph("b", tp("t4", std("x4")), tp("t5", std("x5")), tp("t6", std("x6")), tp("t7", std("x7"))),
                ph("c", tp("phone", std("x8"), channels=("call",))))
    scores = {"t1": 70.0, "t2": 90.0, "t3": None, "t4": 50.0, "t5": 90.0, "t6": 50.0, "t7": None, "phone": 100.0}
    curve = journey_curve(c, "visit", scores)
    assert [(p.phase, p.touchpoint, p.score) for p in curve] == [
        ("a", "t1", 70.0), ("a", "t2", 90.0), ("a", "t3", None), ("b", "t4", 50.0), ("b", "t5", 90.0),
        ("b", "t6", 50.0), ("b", "t7", None)]
    marks = {p.touchpoint: set(p.marks) for p in curve if p.marks}
    # ties go to the earliest touchpoint; the end is the last scored one (t7 is unscored; phone is a call)
    assert marks == {"t2": {"peak"}, "t4": {"low"}, "t6": {"end"}}


def test_journey_curve_single_scored_point_carries_every_mark():
    c = concept(ph("a", tp("t1", std("x1")), tp("t2", std("x2"))))
    curve = journey_curve(c, "visit", {"t1": 40.0})
    assert curve == [CurvePoint("a", "t1", 40.0, frozenset({"peak", "low", "end"})), CurvePoint("a", "t2", None)]


def test_journey_curve_without_scores_has_no_marks():
    c = concept(ph("a", tp("t1", std("x1"))))
    assert journey_curve(c, "visit", {}) == [CurvePoint("a", "t1", None)]


# --- periods ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("day, kind, label", [
    (date(2026, 4, 14), "month", "2026-04"),
    (date(2026, 4, 14), "quarter", "2026-Q2"),
    (date(2026, 4, 14), "year", "2026"),
    (date(2026, 1, 1), "quarter", "2026-Q1"),
    (date(2026, 3, 31), "quarter", "2026-Q1"),
    (date(2026, 7, 1), "quarter", "2026-Q3"),
    (date(2026, 12, 31), "quarter", "2026-Q4"),
    (date(2026, 12, 31), "month", "2026-12"),
    (datetime(2025, 11, 30, 23, 59), "month", "2025-11"),
])
def test_period_label(day, kind, label):
    assert period_label(day, kind) == label


def test_period_label_defaults_to_month_and_refuses_unknown_kinds():
    assert period_label(date(2026, 4, 1)) == "2026-04"
    with pytest.raises(ValueError):
        period_label(date(2026, 4, 1), "week")


# --- properties -------------------------------------------------------------------------------------------------

TYPES = ("yesno", "scale", "choice", "number", "number-target", "text", "photo")


@st.composite
def standards(draw, key: str, na: bool | None = None):
    kind = draw(st.sampled_from(TYPES))
    weight = draw(st.sampled_from([0, 0.5, 1, 2, 3.7]))
    scored = kind not in ("text", "photo", "number") and weight > 0
    common = dict(weight=weight, na=draw(st.booleans()) if na is None else na,
                  critical=scored and draw(st.booleans()))
    if kind == "scale":
        low = draw(st.integers(-3, 3))
        return std(key, "scale", min=low, max=low + draw(st.integers(1, 6)), **common)
    if kind == "choice":
        scores = draw(st.lists(st.floats(0, 1), min_size=1, max_size=4))
        return std(key, "choice", options=tuple(Option(f"o{i}", f"O{i}", s) for i, s in enumerate(scores)), **common)
    if kind == "number-target":
        low = draw(st.none() | st.floats(0, 50))
        high = draw(st.none() | st.floats(50, 100)) if low is not None else draw(st.floats(0, 100))
        return std(key, "number", target=Target(low, high), **common)
    return std(key, kind, **common)


@st.composite
def concepts(draw, na: bool | None = None):
    n = iter(range(1000))
    phases = []
    for p in range(draw(st.integers(1, 3))):
        touchpoints = []
        for t in range(draw(st.integers(1, 3))):
            sts = [draw(standards(f"s{next(n)}", na)) for _ in range(draw(st.integers(1, 4)))]
            channels = draw(st.sampled_from([("visit",), ("call",), ("visit", "call")]))
            touchpoints.append(tp(f"t{p}-{t}", *sts, weight=draw(st.sampled_from([0, 1, 2, 0.5])),
                                  channels=channels))
        phases.append(ph(f"p{p}", *touchpoints))
    return concept(*phases)


def value_for(draw, s: Standard):
    options = [None, ""] + (["na"] if s.na else [])
    if s.type == "yesno":
        options += ["yes", "no"]
    elif s.type == "scale":
        options += list(range(int(s.min), int(s.max) + 1))
    elif s.type == "choice":
        options += [o.key for o in s.options]
    elif s.type == "number":
        options += [draw(st.floats(0, 200))]
    else:
        options += ["some text"]
    return draw(st.sampled_from(options))


@st.composite
def visits(draw, na: bool | None = None):
    c = draw(concepts(na))
    answers = {}
    for _, s in c.standards():
        value = value_for(draw, s)
        if value is not None:
            answers[s.key] = value
    return c, draw(st.sampled_from(["visit", "call"])), answers


def all_scores(scores) -> list[float | None]:
    return [scores.visit, *scores.phases.values(), *scores.touchpoints.values()]


@settings(max_examples=300, deadline=None)
@given(visits())
def test_scores_stay_between_0_and_100(data):
    c, channel, answers = data
    scores = score_visit(c, channel, answers)
    for s in all_scores(scores):
        assert s is None or 0 <= s <= 100
    for key in scores.critical_failures:
        assert scores.touchpoints[c.touchpoint_of(key).key] == 0.0
    known = [s for s in scores.touchpoints.values() if s is not None]
    if scores.visit is not None:  # a weighted mean lies between its smallest and largest touchpoint
        assert min(known) - 1e-9 <= scores.visit <= max(known) + 1e-9


@settings(max_examples=200, deadline=None)
@given(visits(), st.randoms(use_true_random=False))
def test_answer_order_never_matters(data, rnd: random.Random):
    c, channel, answers = data
    items = list(answers.items())
    rnd.shuffle(items)
    assert score_visit(c, channel, dict(items)) == score_visit(c, channel, answers)


@settings(max_examples=200, deadline=None)
@given(concepts(na=True), st.sampled_from(["visit", "call"]))
def test_all_na_gives_none_not_zero(c, channel):
    answers = {s.key: "na" for _, s in c.standards()}
    scores = score_visit(c, channel, answers)
    assert all_scores(scores) == [None] * len(all_scores(scores))
    assert scores.critical_failures == ()
