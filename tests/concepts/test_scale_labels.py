"""A scale may say what its ends mean: checked with the path of a mistake, shown on the phone, in the API and the handbook."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditapp.concepts.answers import best_answer
from auditapp.concepts.definition import from_dict, to_dict
from auditapp.concepts.loader import ConceptFileInvalid, fingerprint, load_text

MINI = (Path(__file__).resolve().parent.parent / "data" / "mini.yaml").read_text()
PLAIN = "{key: friendliness, text: Friendliness., type: scale, min: 1, max: 5, why: Warmth.}"


def with_labels(labels: str) -> str:
    return MINI.replace(PLAIN, PLAIN[:-1] + f", labels: {labels}}}")


def test_labels_of_a_scale_are_loaded():
    concept = load_text(with_labels('{min: "Cold, hurried", max: "Warm, personal"}')).concept
    labels = concept.standard("friendliness").labels
    assert (labels.min, labels.max) == ("Cold, hurried", "Warm, personal")
    assert load_text(with_labels("{max: Warm}")).concept.standard("friendliness").labels.min == ""


@pytest.mark.parametrize("labels, message", [
    ("{low: Cold}", "phases[1].touchpoints[0].standards[1].labels.low: unknown field"),
    ("{}", "phases[1].touchpoints[0].standards[1].labels: needs min, max or both"),
    ("{min: 3}", "phases[1].touchpoints[0].standards[1].labels.min: must be text"),
    ("{max: " + "x" * 61 + "}", "phases[1].touchpoints[0].standards[1].labels.max: must be at most 60 characters"),
    ("[Cold, Warm]", "phases[1].touchpoints[0].standards[1].labels: "),
])
def test_mistakes_in_labels_name_their_path(labels, message):
    with pytest.raises(ConceptFileInvalid) as exc:
        load_text(with_labels(labels))
    assert message in str(exc.value)


def test_labels_belong_to_scales_only():
    text = MINI.replace("{key: greeted, text: Greeted within a minute., type: yesno,",
                        "{key: greeted, text: Greeted within a minute., type: yesno, labels: {max: Fast},")
    with pytest.raises(ConceptFileInvalid) as exc:
        load_text(text)
    assert "standards[0].labels: only allowed for type scale, not yesno" in str(exc.value)


def test_a_version_stored_before_labels_is_still_the_same_concept_and_labels_make_a_new_one():
    plain = load_text(MINI)
    stored = to_dict(plain.concept)
    for phase in stored["phases"]:  # a version written before labels existed has no such key
        for tp in phase["touchpoints"]:
            for st in tp["standards"]:
                del st["labels"]
    assert fingerprint(from_dict(stored)) == plain.fingerprint
    assert load_text(with_labels("{max: Warm}")).fingerprint != plain.fingerprint


def test_the_handbook_says_what_the_top_of_the_scale_means():
    standard = load_text(with_labels("{max: Warm}")).concept.standard("friendliness")
    assert best_answer(standard).render(lambda s: s) == "5 (Warm), the top of the scale from 1"
