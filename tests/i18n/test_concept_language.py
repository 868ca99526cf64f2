"""A concept names the language it is written in; its text is shown so, marked with that language for screen readers."""

from __future__ import annotations

import pytest
import yaml

from auditapp.concepts.definition import from_dict, to_dict
from auditapp.concepts.loader import ConceptFileInvalid, fingerprint, parse_concept
from auditapp.visits import services

from ..factories import DATA
from ..visits.test_api import COMPLETE


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


def test_the_form_and_the_preview_mark_every_concept_word_on_their_controls(app, client, auth, factory, tmp_path):
    dutch = tmp_path / "mini-nl.yaml"
    dutch.write_text(yaml.safe_dump(mini(key="mini-nl", language="nl")))
    visit = factory.visit(version=factory.concept(dutch))
    services.start_visit(visit, visit.auditor)
    marked = ('<span lang="nl">A drink</span>', '<span lang="nl">minutes</span>',
              '<span lang="nl">Greeted within a minute.</span>', '<span lang="nl">The visit</span>')
    auth.login(visit.auditor)
    form = client.get(f"/visits/{visit.id}/form", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert all(m in form for m in marked)
    auth.logout()
    auth.login(factory.user("admin"))
    preview = client.get("/concepts/mini-nl/preview", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert all(m in preview for m in marked)


def test_the_answers_and_the_review_mark_the_concept_words_too(app, client, auth, factory, tmp_path):
    dutch = tmp_path / "mini-nl.yaml"
    dutch.write_text(yaml.safe_dump(mini(key="mini-nl", language="nl")))
    visit = factory.approved(factory.visit(version=factory.concept(dutch)), COMPLETE)
    marked = ('<span lang="nl">Greeted within a minute.</span>', '<span lang="nl">The visit</span>')
    auth.login(visit.auditor)
    answers = client.get(f"/visits/{visit.id}", headers={"Accept-Language": "en"}, follow_redirects=True)
    assert all(m in answers.get_data(as_text=True) for m in marked)
    auth.logout()
    auth.login(factory.user("admin"))
    review = client.get(f"/review/visits/{visit.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert all(m in review for m in marked)
