"""A concept names the language it is written in; its text is shown so, marked with that language for screen readers."""

from __future__ import annotations

import pytest
import yaml

from auditapp.concepts.definition import from_dict, to_dict
from auditapp.concepts.loader import ConceptFileInvalid, fingerprint, parse_concept

from ..factories import DATA


def mini(**extra) -> dict:
    return {**yaml.safe_load((DATA / "mini.yaml").read_text()), **extra}


@pytest.mark.parametrize("code", ["nl", "nl-BE", "en", "de"])
def test_a_language_code_is_kept_and_stored(code):
    concept = parse_concept(mini(language=code))
    assert concept.language == code and from_dict(to_dict(concept)).language == code
    assert concept.for_channel("visit").language == code


def test_without_a_language_a_concept_is_english_and_keeps_its_fingerprint():
    plain, english = parse_concept(mini()), parse_concept(mini(language="en"))
    assert plain.language == "en" and fingerprint(plain) == fingerprint(english)
    assert fingerprint(parse_concept(mini(language="nl"))) != fingerprint(plain)


@pytest.mark.parametrize("value", ["xx", "NL", "dutch", "nl_NL", "", 5, ["nl"]])
def test_a_bad_language_is_refused_at_its_path(value):
    with pytest.raises(ConceptFileInvalid) as refused:
        parse_concept(mini(language=value))
    assert [e.path for e in refused.value.errors] == ["language"]


def test_concept_text_is_marked_with_its_language_where_the_page_speaks_another(app, client, auth, factory, tmp_path):
    dutch = tmp_path / "mini-nl.yaml"
    dutch.write_text(yaml.safe_dump(mini(key="mini-nl", language="nl")))
    factory.concept(dutch)
    user = factory.user("hr")
    auth.login(user)
    english = client.get("/handbooks/mini-nl", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<span lang="nl">Greeted within a minute.</span>' in english
    user.language = "nl"
    from auditapp.extensions import db
    db.session.commit()
    same = client.get("/handbooks/mini-nl").get_data(as_text=True)
    assert "Greeted within a minute." in same and '<span lang="nl">' not in same
