"""Every page of every role, read in Dutch, holds none of the catalogue's English: compared with the English read."""

from __future__ import annotations

import re

from auditapp.accounts.models import User
from auditapp.branches.models import Branch
from auditapp.concepts.models import Concept
from auditapp.extensions import db
from auditapp.photos.models import Photo
from auditapp.visits.models import Visit

from ..browser.test_accessibility import seed, urls
from ..conftest import Auth
from .catalogue import PLACEHOLDER, translations
from .pages import pattern, read


def concept_words() -> set[str]:
    """The concepts' own text, which stays as written whatever the reader's language."""
    words: set[str] = set()

    def walk(value):
        if isinstance(value, str):
            words.add(" ".join(value.split()))
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, (list, tuple)):
            for v in value:
                walk(v)
    for concept in db.session.query(Concept):
        for version in concept.versions:
            walk(version.definition)
    return words


def english_only(catalogue) -> list[tuple[str, object]]:
    """(English message, its pattern) for every message whose Dutch differs. A message with placeholders counts
    only when its own words are two or more ("%(n)s minutes" would match any concept's unit)."""
    out = []
    for message in catalogue:
        if not message.id or not message.string:
            continue
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        dutch = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in english:
            words = re.findall(r"[A-Za-z]{2,}", PLACEHOLDER.sub("", text))
            if text in dutch or len(text) < 2 or (PLACEHOLDER.search(text) and len(words) < 2):
                continue
            out.append((text, pattern(text)))
    return out


def leftovers(pieces: list[str], messages, own_words: set[str]) -> set[str]:
    found = set()
    longest_first = sorted((w for w in own_words if len(w) > 3), key=len, reverse=True)
    for piece in pieces:
        for words in longest_first:  # concept text inside an interface sentence ("Foto bij: <standard>")
            if words in piece:
                piece = piece.replace(words, "…")
        for text, regex in messages:
            # A whole piece of the page, or a sentence of three words or more inside one.
            if regex.fullmatch(piece) or (text.count(" ") >= 2 and regex.search(piece)):
                found.add(f"{text} (in {piece!r})")
    return found


def test_every_page_of_every_role_reads_dutch(app, factory, client):
    people, _submitted = seed(factory)
    catalogue = english_only(translations("nl"))
    own_words = concept_words()
    values = {"visit_id": [v.id for v in db.session.query(Visit)], "branch_id": [b.id for b in db.session.query(Branch)],
              "key": [c.key for c in db.session.query(Concept)], "number": [1],
              "photo_id": [p.id for p in db.session.query(Photo)][:1], "role": ["host"]}
    paths = [path for _endpoint, path in urls(app, values)]
    english_seen, problems, pages = set(), {}, 0
    for role, user in [("anonymous", None), *people.items()]:
        for language in ("en", "nl"):
            if user is not None:
                db.session.get(User, user.id).language = language
                db.session.commit()
            session = app.test_client()
            if user is not None:
                with app.app_context():  # a context per request, as on a server: `g` holds the logged-in user
                    Auth(session).login(user)
            for path in paths:
                with app.app_context():
                    response = session.get(path, headers={"Accept-Language": language})
                    html = response.get_data(as_text=True) if response.mimetype == "text/html" else None
                    response.close()  # a streamed export holds a context of its own until closed
                if response.status_code != 200 or html is None:
                    continue
                pieces = read(html)
                if language == "en":
                    english_seen |= leftovers(pieces, catalogue, own_words)
                    continue
                pages += 1
                if found := leftovers(pieces, catalogue, own_words):
                    problems[f"{role} {path}"] = sorted(found)
    assert pages > 40 and len(english_seen) > 200  # the sweep read many pages, and saw the catalogue's English there
    assert not problems, "English left on Dutch pages:\n" + "\n".join(f"{k}: {v}" for k, v in problems.items())
