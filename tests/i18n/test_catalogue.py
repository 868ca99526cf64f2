"""Every marked string has a Dutch translation that keeps its placeholders, and the catalogue holds no leftovers."""

from __future__ import annotations

import pytest

from auditapp.config import Defaults

from .catalogue import marked, placeholders, translations

LANGUAGES = [code for code in Defaults.LANGUAGES if code != "en"]


@pytest.fixture(scope="module")
def source():
    return marked()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_string_is_translated(source, language):
    catalogue = translations(language)
    missing = []
    for message in source:
        if not message.id:
            continue
        found = catalogue.get(message.id)
        strings = () if found is None else found.string if isinstance(found.string, tuple) else (found.string,)
        if found is None or found.fuzzy or not all(strings):
            where = ", ".join(f"{f}:{n}" for f, n in message.locations[:2])
            missing.append(f"{message.id!r} ({where})")
    assert not missing, f"{len(missing)} strings have no {language} translation (run `make messages`):\n" + "\n".join(missing[:40])


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(language):
    wrong = []
    for message in translations(language):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            # A plural's forms may leave out the count (Dutch "één" for one), never name another placeholder.
            if not set(placeholders(text)) <= set(placeholders(ids[-1])) or (
                    len(ids) == 1 and placeholders(text) != placeholders(ids[0])):
                wrong.append(f"{ids[0]!r} -> {text!r}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_the_checks_see_a_missing_translation_and_a_changed_placeholder(source):
    """The two checks above can fail: a string the catalogue lacks, and a renamed placeholder, are found."""
    from babel.messages.catalog import Catalog

    assert len(source) > 500  # the extraction found the app's strings at all
    empty = Catalog(locale="nl")
    assert empty.get(next(m.id for m in source if m.id)) is None
    assert placeholders("%(count)s bezoeken") != placeholders("%(n)s visits")
    assert placeholders("{n} op deze telefoon") == placeholders("{n} on this phone")
