"""The concept loader: every rule of docs/concept-format.md, each mistake reported with its path and a clear reason."""

from __future__ import annotations

import copy
import textwrap
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as hs

from auditapp.concepts.definition import MAX_KEY, Option, ScaleLabels, Target, from_dict, to_dict
from auditapp.concepts.loader import ConceptFileInvalid, expand_paths, load_file, load_text, parse_concept

BASE_YAML = textwrap.dedent("""\
    key: demo
    name: Demo concept
    roles:
      - {key: host, name: Host}
      - {key: agent, name: Agent}
    personas:
      - {key: solo, name: Solo guest, briefing: You come alone.}
    phases:
      - key: booking
        name: Booking
        touchpoints:
          - key: phone
            name: Phone
            channels: [call]
            roles: [agent]
            standards:
              - {key: rings, text: Answered quickly., type: yesno}
              - {key: hold, text: Minutes on hold., type: number, target: {max: 1}}
      - key: visit
        name: Visit
        touchpoints:
          - key: welcome
            name: Welcome
            roles: [host]
            standards:
              - {key: greeted, text: Greeted., type: yesno}
              - {key: warmth, text: Warmth., type: scale, min: 1, max: 5}
              - key: upsell
                text: Extra offered.
                type: choice
                options:
                  - {key: none, label: Nothing, score: 0}
                  - {key: fitting, label: Fitting, score: 1}
              - {key: entrance, text: Entrance., type: photo}
""")
BASE = yaml.safe_load(BASE_YAML)
LONG = "k" * (MAX_KEY + 1)


def errors_of(data) -> list[tuple[str, str]]:
    """Parse data that must be refused; return (path, message) pairs."""
    with pytest.raises(ConceptFileInvalid) as info:
        parse_concept(data, "c.yaml")
    return [(e.path, e.message) for e in info.value.errors]


def text_errors(text: str) -> list[tuple[str, str]]:
    with pytest.raises(ConceptFileInvalid) as info:
        load_text(text, "c.yaml")
    return [(e.path, e.message) for e in info.value.errors]


def changed(edit):
    data = copy.deepcopy(BASE)
    edit(data)
    return data


def tp(data, phase: int, index: int) -> dict:
    return data["phases"][phase]["touchpoints"][index]


def st(data, phase: int, touchpoint: int, index: int) -> dict:
    return tp(data, phase, touchpoint)["standards"][index]


def test_base_concept_loads():
    concept = load_text(BASE_YAML, "c.yaml").concept
    assert [p.key for p in concept.phases] == ["booking", "visit"]
    assert [s.key for _, s in concept.standards()] == ["rings", "hold", "greeted", "warmth", "upsell", "entrance"]


MISTAKES = {
    # unknown keys, at the top and nested
    "unknown top field": (lambda d: d.update(colour="red"), "colour", "unknown field"),
    "unknown phase field": (lambda d: d["phases"][0].update(order=1), "phases[0].order", "unknown field"),
    "unknown touchpoint field": (lambda d: tp(d, 1, 0).update(chanels=["visit"]),
                                 "phases[1].touchpoints[0].chanels", "unknown field"),
    "unknown standard field": (lambda d: st(d, 1, 0, 0).update(wieght=2),
                               "phases[1].touchpoints[0].standards[0].wieght", "unknown field"),
    "unknown option field": (lambda d: st(d, 1, 0, 2)["options"][1].update(points=3),
                             "phases[1].touchpoints[0].standards[2].options[1].points", "unknown field"),
    "unknown target field": (lambda d: st(d, 0, 0, 1)["target"].update(most=1),
                             "phases[0].touchpoints[0].standards[1].target.most", "unknown field"),
    "unknown thresholds field": (lambda d: d.update(thresholds={"great": 90}), "thresholds.great", "unknown field"),
    "unknown role field": (lambda d: d["roles"][0].update(title="x"), "roles[0].title", "unknown field"),
    "field of another type": (lambda d: st(d, 1, 0, 0).update(min=1), "phases[1].touchpoints[0].standards[0].min",
                              "only allowed for type scale"),
    # required fields
    "missing name": (lambda d: d.pop("name"), "name", "required"),
    "missing standard text": (lambda d: st(d, 1, 0, 1).pop("text"), "phases[1].touchpoints[0].standards[1].text",
                              "required"),
    "empty name": (lambda d: d["phases"][1].update(name="  "), "phases[1].name", "empty"),
    "number as concept name": (lambda d: d.update(name=42), "name", "must be text"),
    # duplicate keys
    "duplicate role": (lambda d: d["roles"].append({"key": "host", "name": "Other"}), "roles[2].key", "duplicate"),
    "duplicate persona": (lambda d: d["personas"].append({"key": "solo", "name": "Again"}), "personas[1].key",
                          "duplicate"),
    "duplicate phase": (lambda d: d["phases"].append(copy.deepcopy(d["phases"][0]) | {"touchpoints": [
        {"key": "other", "name": "O", "standards": [{"key": "other-st", "text": "T", "type": "yesno"}]}]}),
        "phases[2].key", "duplicate phase"),
    "duplicate touchpoint across phases": (lambda d: tp(d, 1, 0).update(key="phone"),
                                           "phases[1].touchpoints[0].key", "duplicate touchpoint"),
    "duplicate option": (lambda d: st(d, 1, 0, 2)["options"][1].update(key="none"),
                         "phases[1].touchpoints[0].standards[2].options[1].key", "duplicate option"),
    "duplicate standard in touchpoint": (lambda d: st(d, 1, 0, 1).update(key="greeted"),
                                         "phases[1].touchpoints[0].standards[1].key", "duplicate standard"),
    "duplicate standard across touchpoints": (lambda d: st(d, 1, 0, 0).update(key="rings"),
                                              "phases[1].touchpoints[0].standards[0].key", "duplicate standard"),
    # bad types
    "text where number": (lambda d: st(d, 1, 0, 0).update(weight="heavy"),
                          "phases[1].touchpoints[0].standards[0].weight", "must be a number"),
    "bool where number": (lambda d: tp(d, 1, 0).update(weight=True), "phases[1].touchpoints[0].weight",
                          "must be a number"),
    "number where bool": (lambda d: st(d, 1, 0, 0).update(critical=1),
                          "phases[1].touchpoints[0].standards[0].critical", "true or false"),
    "text where bool": (lambda d: st(d, 1, 0, 0).update(na="sometimes"),
                        "phases[1].touchpoints[0].standards[0].na", "true or false"),
    "number where text": (lambda d: st(d, 1, 0, 0).update(text=42), "phases[1].touchpoints[0].standards[0].text",
                          "must be text"),
    "mapping where list": (lambda d: d.update(phases={"a": 1}), "phases", "must be a list"),
    "text where mapping": (lambda d: d["phases"][1]["touchpoints"].__setitem__(0, "welcome"),
                           "phases[1].touchpoints[0]", "must be a mapping"),
    "infinite weight": (lambda d: st(d, 1, 0, 0).update(weight=float("inf")),
                        "phases[1].touchpoints[0].standards[0].weight", "finite"),
    "negative weight": (lambda d: st(d, 1, 0, 0).update(weight=-1), "phases[1].touchpoints[0].standards[0].weight",
                        "between"),
    # slugs
    "capitals in slug": (lambda d: tp(d, 1, 0).update(key="Welcome"), "phases[1].touchpoints[0].key", "slug"),
    "underscore in slug": (lambda d: st(d, 1, 0, 0).update(key="greeted_fast"),
                           "phases[1].touchpoints[0].standards[0].key", "slug"),
    "slug starting with a dash": (lambda d: d.update(key="-demo"), "key", "slug"),
    "number as key": (lambda d: d["phases"][0].update(key=1), "phases[0].key", "slug"),
    # roles
    "undeclared touchpoint role": (lambda d: tp(d, 1, 0)["roles"].append("chef"), "phases[1].touchpoints[0].roles[1]",
                                   "not declared"),
    "undeclared standard role": (lambda d: st(d, 1, 0, 0).update(roles=["host", "sommelier"]),
                                 "phases[1].touchpoints[0].standards[0].roles[1]", "not declared"),
    "role that is a list": (lambda d: st(d, 1, 0, 0).update(roles=[["host"]]),
                            "phases[1].touchpoints[0].standards[0].roles[0]", "role key"),
    # answer types
    "choice without options": (lambda d: st(d, 1, 0, 2).pop("options"),
                               "phases[1].touchpoints[0].standards[2].options", "needs options"),
    "choice with no options": (lambda d: st(d, 1, 0, 2).update(options=[]),
                               "phases[1].touchpoints[0].standards[2].options", "empty"),
    "option score above 1": (lambda d: st(d, 1, 0, 2)["options"][1].update(score=1.5),
                             "phases[1].touchpoints[0].standards[2].options[1].score", "between 0 and 1"),
    "option score below 0": (lambda d: st(d, 1, 0, 2)["options"][0].update(score=-0.1),
                             "phases[1].touchpoints[0].standards[2].options[0].score", "between 0 and 1"),
    "scale min equals max": (lambda d: st(d, 1, 0, 1).update(min=5), "phases[1].touchpoints[0].standards[1].min",
                             "below max"),
    "scale min above max": (lambda d: st(d, 1, 0, 1).update(min=6), "phases[1].touchpoints[0].standards[1].min",
                            "below max"),
    "scale without max": (lambda d: st(d, 1, 0, 1).pop("max"), "phases[1].touchpoints[0].standards[1].max",
                          "required for a scale"),
    # a scale's end labels (tests/concepts/test_scale_labels.py has the others)
    "labels as text": (lambda d: st(d, 1, 0, 1).update(labels="Cold to warm"),
                       "phases[1].touchpoints[0].standards[1].labels", "must be a mapping, got text"),
    "labels left empty": (lambda d: st(d, 1, 0, 1).update(labels=None),
                          "phases[1].touchpoints[0].standards[1].labels", "must be a mapping, got nothing"),
    "unquoted no as label": (lambda d: st(d, 1, 0, 1).update(labels={"min": False}),
                             "phases[1].touchpoints[0].standards[1].labels.min", "put it in quotes"),
    "blank label": (lambda d: st(d, 1, 0, 1).update(labels={"min": "  ", "max": "Warm"}),
                    "phases[1].touchpoints[0].standards[1].labels.min", "must not be empty"),
    "empty label": (lambda d: st(d, 1, 0, 1).update(labels={"max": ""}),
                    "phases[1].touchpoints[0].standards[1].labels.max", "leave the end out"),
    "target min above max": (lambda d: st(d, 0, 0, 1).update(target={"min": 5, "max": 1}),
                             "phases[0].touchpoints[0].standards[1].target", "must not be above max"),
    "empty target": (lambda d: st(d, 0, 0, 1).update(target={}), "phases[0].touchpoints[0].standards[1].target",
                     "needs min, max or both"),
    "unknown type": (lambda d: st(d, 1, 0, 0).update(type="stars"), "phases[1].touchpoints[0].standards[0].type",
                     "must be one of"),
    "unknown photo rule": (lambda d: st(d, 1, 0, 0).update(photo="maybe"),
                           "phases[1].touchpoints[0].standards[0].photo", "must be one of"),
    "photo standard without photo": (lambda d: st(d, 1, 0, 3).update(photo="none"),
                                     "phases[1].touchpoints[0].standards[3].photo", "cannot have photo: none"),
    "critical text": (lambda d: st(d, 1, 0, 3).update(critical=True),
                      "phases[1].touchpoints[0].standards[3].critical", "never scored"),
    "critical with weight 0": (lambda d: st(d, 1, 0, 0).update(critical=True, weight=0),
                               "phases[1].touchpoints[0].standards[0].critical", "weight 0"),
    # channels
    "unknown channel": (lambda d: tp(d, 1, 0).update(channels=["visit", "email"]),
                        "phases[1].touchpoints[0].channels[1]", "must be one of visit, call"),
    "channel twice": (lambda d: tp(d, 1, 0).update(channels=["visit", "visit"]),
                      "phases[1].touchpoints[0].channels[1]", "twice"),
    "no channels": (lambda d: tp(d, 1, 0).update(channels=[]), "phases[1].touchpoints[0].channels", "empty"),
    # empty lists
    "empty phase": (lambda d: d["phases"][1].update(touchpoints=[]), "phases[1].touchpoints", "empty phase"),
    "empty standards": (lambda d: tp(d, 1, 0).update(standards=[]), "phases[1].touchpoints[0].standards",
                        "at least one standard"),
    "no phases": (lambda d: d.update(phases=[]), "phases", "empty"),
    # required
    "text where required": (lambda d: st(d, 1, 0, 0).update(required="always"),
                            "phases[1].touchpoints[0].standards[0].required", "true or false"),
    "required on a photo standard": (lambda d: st(d, 1, 0, 3).update(required=True),
                                     "phases[1].touchpoints[0].standards[3].required", "photo: required or optional"),
    "optional critical": (lambda d: st(d, 1, 0, 0).update(critical=True, required=False),
                          "phases[1].touchpoints[0].standards[0].required", "critical standard must be answered"),
    # lengths: keys and the concept name are stored in bounded columns
    "long concept key": (lambda d: d.update(key=LONG), "key", "at most 64 characters, got 65"),
    "long role key": (lambda d: d["roles"].append({"key": LONG, "name": "R"}), "roles[2].key", "at most 64"),
    "long persona key": (lambda d: d["personas"][0].update(key=LONG), "personas[0].key", "at most 64"),
    "long phase key": (lambda d: d["phases"][0].update(key=LONG), "phases[0].key", "at most 64"),
    "long touchpoint key": (lambda d: tp(d, 1, 0).update(key=LONG), "phases[1].touchpoints[0].key", "at most 64"),
    "long standard key": (lambda d: st(d, 1, 0, 2).update(key=LONG), "phases[1].touchpoints[0].standards[2].key",
                          "at most 64"),
    "long option key": (lambda d: st(d, 1, 0, 2)["options"][1].update(key=LONG),
                        "phases[1].touchpoints[0].standards[2].options[1].key", "at most 64"),
    "long concept name": (lambda d: d.update(name="N" * 201), "name", "at most 200 characters, got 201"),
    # thresholds
    "poor above good": (lambda d: d.update(thresholds={"good": 50, "poor": 70}), "thresholds",
                        "must not be above good"),
    "good above 100": (lambda d: d.update(thresholds={"good": 120}), "thresholds.good", "between 0 and 100"),
}


@pytest.mark.parametrize("edit, path, word", MISTAKES.values(), ids=MISTAKES.keys())
def test_mistake_is_reported_at_its_path(edit, path, word):
    errors = errors_of(changed(edit))
    assert [p for p, _ in errors] == [path], errors
    assert word in errors[0][1]


def test_every_mistake_is_reported_not_just_the_first():
    def three(d):
        d.update(colour="red")
        st(d, 1, 0, 2).update(options=[])
        tp(d, 0, 0)["roles"] = ["chef"]
    paths = [p for p, _ in errors_of(changed(three))]
    assert sorted(paths) == ["colour", "phases[0].touchpoints[0].roles[0]",
                             "phases[1].touchpoints[0].standards[2].options"]


def test_error_names_the_file_and_the_path():
    with pytest.raises(ConceptFileInvalid) as info:
        parse_concept(changed(lambda d: st(d, 1, 0, 2).pop("options")), "service_concepts/x.yaml")
    assert str(info.value) == ("service_concepts/x.yaml: phases[1].touchpoints[0].standards[2].options: "
                               "a choice needs options")


def test_duplicate_key_names_the_first_place():
    errors = errors_of(changed(lambda d: st(d, 1, 0, 0).update(key="rings")))
    assert "first at phases[0].touchpoints[0].standards[0]" in errors[0][1]


@pytest.mark.parametrize("data, message", [
    (["a", "b"], "must be a mapping, got a list"),
    ("just text", "must be a mapping, got text"),
    (None, "must be a mapping, got nothing"),
])
def test_file_that_is_not_a_mapping(data, message):
    assert errors_of(data) == [("", message)]


# --- YAML-level rules: only visible in the text ----------------------------------------------------------

def test_unquoted_yes_is_read_as_true_and_explained():
    errors = text_errors(BASE_YAML.replace("text: Greeted.", "text: yes"))
    assert errors[0][0] == "phases[1].touchpoints[0].standards[0].text"
    assert "must be text, got true/false" in errors[0][1]
    assert "quotes" in errors[0][1]


def test_duplicate_mapping_key_is_refused_with_its_line():
    errors = text_errors("key: demo\nname: A\nkey: other\n")
    assert errors == [("line 3, column 1", "not valid YAML: duplicate key 'key'")]


def test_duplicate_nested_mapping_key_is_refused():
    text = BASE_YAML.replace("{key: greeted, text: Greeted., type: yesno}",
                             "{key: greeted, text: Greeted., type: yesno, type: scale}")
    # line 26 holds the greeted standard; the second `type` starts at column 57
    assert text_errors(text) == [("line 26, column 57", "not valid YAML: duplicate key 'type'")]


@pytest.mark.parametrize("text", [
    "key: &k demo\nname: *k\n",
    "defaults: &d {weight: 2}\nkey: demo\n",
    "a: {x: 1}\nb:\n  <<: {y: 2}\n",
])
def test_anchors_aliases_and_merge_keys_are_refused(text):
    [(where, message)] = text_errors(text)
    assert where.startswith("line ")
    assert "not allowed" in message


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system", "!!python/object/new:os.system",
                                 "!!python/name:os.system"])
def test_python_tags_are_refused_and_never_run(tag, tmp_path):
    marker = tmp_path / "ran"
    [(where, message)] = text_errors(f"key: {tag} ['touch {marker}']\n")
    assert where == "line 1, column 6"
    assert "could not determine a constructor" in message
    assert not marker.exists()


def test_invalid_yaml_gives_line_and_column():
    [(where, message)] = text_errors("key: demo\nname: [Demo\nphases: []\n")
    assert where == "line 3, column 7"
    assert message.startswith("not valid YAML")


def test_unhashable_key_is_refused():
    [(where, message)] = text_errors("key: demo\n? [a, b]\n: 1\n")
    assert where == "line 2, column 3"
    assert "plain text" in message


def test_deep_nesting_is_refused_not_a_crash():
    [(_, message)] = text_errors("key: " + "[" * 5000 + "]" * 5000 + "\n")
    assert "nested too deeply" in message


def test_non_utf8_file_is_refused(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(BASE_YAML.replace("Demo concept", "Café").encode("latin-1"))
    with pytest.raises(ConceptFileInvalid) as info:
        load_file(path)
    [error] = info.value.errors
    assert (error.file, error.path) == (str(path), "")
    assert "UTF-8" in error.message


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(ConceptFileInvalid) as info:
        load_file(tmp_path / "absent.yaml")
    assert "cannot read" in info.value.errors[0].message


def test_utf8_file_loads(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text(BASE_YAML.replace("Demo concept", "Café Noël"), encoding="utf-8")
    assert load_file(path).concept.name == "Café Noël"


# --- defaults ----------------------------------------------------------------------------------------------

def test_defaults_are_applied():
    concept = load_text(BASE_YAML).concept
    assert (concept.good, concept.poor) == (80.0, 60.0)
    welcome, phone = concept.touchpoint("welcome"), concept.touchpoint("phone")
    assert welcome.channels == ("visit",)
    assert phone.channels == ("call",)
    assert (welcome.weight, welcome.record_staff) == (1.0, False)
    greeted = concept.standard("greeted")
    assert (greeted.weight, greeted.critical, greeted.na, greeted.why) == (1.0, False, False, "")
    assert greeted.photo == "optional"           # a visit touchpoint: photos welcome
    assert concept.standard("rings").photo == "none"  # a call: nothing to photograph
    assert concept.standard("entrance").photo == "required"  # a photo standard needs one


def test_values_are_read_into_the_dataclasses():
    concept = load_text(BASE_YAML.replace("key: demo\n", "key: demo\nthresholds: {good: 85, poor: 65}\n")).concept
    assert (concept.good, concept.poor) == (85.0, 65.0)
    assert concept.standard("hold").target == Target(min=None, max=1.0)
    assert concept.standard("upsell").options == (Option("none", "Nothing", 0.0), Option("fitting", "Fitting", 1.0))
    warmth = concept.standard("warmth")
    assert (warmth.min, warmth.max) == (1.0, 5.0)
    assert concept.touchpoint("welcome").roles == ("host",)
    assert concept.persona("solo").briefing == "You come alone."


def test_photo_default_for_a_touchpoint_on_both_channels_is_optional():
    data = changed(lambda d: tp(d, 0, 0).update(channels=["visit", "call"]))
    assert parse_concept(data).standard("rings").photo == "optional"


def test_keys_of_exactly_the_limit_load():
    def longest(d):
        d["key"] = "c" * MAX_KEY
        d["personas"][0]["key"] = "p" * MAX_KEY
        d["phases"][1]["key"] = "h" * MAX_KEY
        tp(d, 1, 0)["key"] = "t" * MAX_KEY
        st(d, 1, 0, 2)["key"] = "s" * MAX_KEY
        st(d, 1, 0, 2)["options"][1]["key"] = "o" * MAX_KEY
        d["name"] = "N" * 200
    concept = parse_concept(changed(longest))
    assert concept.standard("s" * MAX_KEY).option("o" * MAX_KEY) is not None
    assert concept.touchpoint("t" * MAX_KEY) is not None and concept.persona("p" * MAX_KEY) is not None


# --- required ------------------------------------------------------------------------------------------------

def with_standard(**fields) -> dict:
    """BASE with one more standard at the welcome touchpoint."""
    return changed(lambda d: tp(d, 1, 0)["standards"].append({"key": "extra", "text": "Extra.", **fields}))


def test_required_defaults_to_whether_the_standard_scores():
    concept = load_text(BASE_YAML).concept
    required = {s.key: s.required for _, s in concept.standards()}
    assert required == {"rings": True, "hold": True, "greeted": True, "warmth": True, "upsell": True,
                        "entrance": False}   # a photo standard is answered by its photo
    assert parse_concept(with_standard(type="text")).standard("extra").required is False
    assert parse_concept(with_standard(type="number")).standard("extra").required is False  # no target
    assert parse_concept(with_standard(type="number", target={"min": 1})).standard("extra").required is True
    assert parse_concept(with_standard(type="yesno", weight=0)).standard("extra").required is False
    assert parse_concept(with_standard(type="scale", min=1, max=5, weight=0.5)).standard("extra").required is True


def test_required_can_be_said_either_way():
    assert parse_concept(with_standard(type="text", required=True)).standard("extra").required is True
    assert parse_concept(with_standard(type="yesno", required=False)).standard("extra").required is False
    assert parse_concept(with_standard(type="yesno", weight=0, required=True)).standard("extra").required is True


def test_an_optional_standard_with_a_required_photo_still_demands_the_photo():
    extra = parse_concept(with_standard(type="yesno", required=False, photo="required")).standard("extra")
    assert (extra.required, extra.photo, extra.optional) == (False, "required", False)
    concept = load_text(BASE_YAML).concept
    assert concept.standard("entrance").optional is False  # photo: required by default
    assert parse_concept(with_standard(type="photo", photo="optional")).standard("extra").optional is True
    assert parse_concept(with_standard(type="text")).standard("extra").optional is True
    assert concept.standard("greeted").optional is False


def test_writing_required_out_as_its_default_keeps_the_fingerprint():
    plain = load_text(BASE_YAML)
    spelled = load_text(BASE_YAML.replace("{key: greeted, text: Greeted., type: yesno}",
                                          "{key: greeted, text: Greeted., type: yesno, required: true}"))
    assert spelled.concept == plain.concept and spelled.fingerprint == plain.fingerprint
    optional = load_text(BASE_YAML.replace("{key: greeted, text: Greeted., type: yesno}",
                                           "{key: greeted, text: Greeted., type: yesno, required: false}"))
    assert optional.fingerprint != plain.fingerprint


def test_a_definition_stored_before_required_existed_reads_with_the_defaults():
    concept = parse_concept(with_standard(type="text"))
    stored = to_dict(concept)
    for phase in stored["phases"]:
        for touchpoint in phase["touchpoints"]:
            for standard in touchpoint["standards"]:
                del standard["required"]
    assert from_dict(stored) == concept
    assert from_dict(to_dict(concept)) == concept


def test_a_concept_without_labels_keeps_the_fingerprint_it_had_before_labels_existed():
    # Computed by the loader before scales could have `labels`: re-importing an unchanged file that uses none
    # must not make a new version.
    assert load_text(BASE_YAML).fingerprint == "1eebc1da57d62cc2e6f5f863baa8952ba2405dd0a41160c61d9389c705e6e271"


def test_labels_survive_storing_a_version():
    concept = parse_concept(changed(lambda d: st(d, 1, 0, 1).update(labels={"min": "Cold", "max": "Warm"})))
    assert concept.standard("warmth").labels == ScaleLabels("Cold", "Warm")
    assert from_dict(to_dict(concept)) == concept


def test_comments_and_layout_do_not_change_the_fingerprint():
    plain = load_text(BASE_YAML)
    commented = load_text("# a comment\n" + BASE_YAML.replace("name: Demo concept", "name:   Demo concept  # hi"))
    assert plain.fingerprint == commented.fingerprint
    reworded = load_text(BASE_YAML.replace("Greeted.", "Greeted warmly."))
    assert reworded.fingerprint != plain.fingerprint


def test_expand_paths_takes_yaml_files_of_a_directory(tmp_path):
    (tmp_path / "b.yaml").write_text("x")
    (tmp_path / "a.yml").write_text("x")
    (tmp_path / "notes.txt").write_text("x")
    single = tmp_path / "b.yaml"
    assert expand_paths([tmp_path]) == [tmp_path / "a.yml", tmp_path / "b.yaml"]
    assert expand_paths([str(single)]) == [Path(single)]


# --- robustness: any mangled file is refused with a report, never a crash ------------------------------------

LEAF = hs.none() | hs.booleans() | hs.integers() | hs.floats(allow_nan=True) | hs.text(max_size=5) | hs.dates()
ANY_DATA = hs.recursive(LEAF, lambda inner: hs.lists(inner, max_size=3) | hs.dictionaries(
    hs.text(max_size=5) | hs.integers() | hs.booleans(), inner, max_size=3), max_leaves=8)


def _paths(node, prefix=()):
    if prefix:
        yield prefix
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in children:
        yield from _paths(child, prefix + (key,))


@settings(max_examples=400, deadline=None)
@given(hs.lists(hs.tuples(hs.sampled_from(list(_paths(BASE))), ANY_DATA), min_size=1, max_size=3))
def test_any_mangled_concept_is_refused_or_loaded_never_a_crash(edits):
    data = copy.deepcopy(BASE)
    for path, value in edits:
        node = data
        try:
            for part in path[:-1]:
                node = node[part]
            node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            pass  # an earlier edit replaced the parent
    try:
        parse_concept(data, "c.yaml")
    except ConceptFileInvalid as exc:
        assert exc.errors and all(e.message for e in exc.errors)


@settings(max_examples=400, deadline=None)
@given(hs.integers(0, len(BASE_YAML)), hs.integers(0, 20),
       hs.text(alphabet=hs.sampled_from(list("{}[]:,-&*!|>'\"#?% \n\tab1")), max_size=10))
def test_any_damaged_text_is_refused_or_loaded_never_a_crash(position, cut, insert):
    try:
        load_text(BASE_YAML[:position] + insert + BASE_YAML[position + cut:], "c.yaml")
    except ConceptFileInvalid as exc:
        assert exc.errors


@settings(max_examples=200, deadline=None)
@given(hs.dictionaries(hs.sampled_from(["min", "max", "mid"]), LEAF | hs.text(max_size=80)) | ANY_DATA)
def test_any_labels_are_refused_at_their_path_or_loaded_never_a_crash(labels):
    try:
        loaded = parse_concept(changed(lambda d: st(d, 1, 0, 1).update(labels=labels)), "c.yaml")
    except ConceptFileInvalid as exc:
        assert exc.errors
        assert all(e.path.startswith("phases[1].touchpoints[0].standards[1].labels") for e in exc.errors)
    else:
        ends = loaded.standard("warmth").labels
        assert any(end.strip() for end in (ends.min, ends.max))  # never an empty pair to show
