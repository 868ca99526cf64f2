"""Words for the pure report modules (PDF, charts): whoever renders supplies the translator, so they need no Flask.

The PDF and chart code calls ``_`` and ``ngettext`` at render time; a request sets Flask-Babel's functions here
(see ``auditapp.i18n``), and anything else — tests, benchmarks, the CLI — gets the English source text.
A translator returns the translated message only; the ``%(name)s`` params are filled in here, as Flask-Babel does.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar
from typing import Callable, Iterator, NamedTuple

__all__ = ["_", "ngettext", "use_translator", "translator_for", "TRANSLATOR", "ENGLISH"]

Gettext = Callable[[str], str]
Ngettext = Callable[[str, str, int], str]


def _same(message: str) -> str:
    """Without a translator the English source text is the text."""
    return message


def _english_plural(singular: str, plural: str, n: int) -> str:
    """English has one form for 1 and another for every other count."""
    return singular if n == 1 else plural


class Translator(NamedTuple):
    """A gettext and its ngettext, kept in one ContextVar so they are set and reset together."""

    gettext: Gettext
    ngettext: Ngettext


ENGLISH = Translator(_same, _english_plural)
TRANSLATOR: ContextVar[Translator] = ContextVar("report_translator", default=ENGLISH)


def _(message: str, /, **params: object) -> str:
    """Translate, then fill in %(name)s params like Flask-Babel's gettext (without params, % is left alone)."""
    text = TRANSLATOR.get().gettext(message)
    return text % params if params else text


def ngettext(singular: str, plural: str, n: int, /, **params: object) -> str:
    """Pick the form for n, then fill in %(num)d and the other params like Flask-Babel's ngettext."""
    return TRANSLATOR.get().ngettext(singular, plural, n) % {"num": n, **params}


def translator_for(gettext_fn: Gettext, ngettext_fn: Ngettext | None = None) -> Translator:
    """Pair a gettext with an ngettext; without one, plurals follow the English rule and then translate."""
    if ngettext_fn is None:
        def ngettext_fn(singular: str, plural: str, n: int) -> str:
            return gettext_fn(singular if n == 1 else plural)
    return Translator(gettext_fn, ngettext_fn)


@contextlib.contextmanager
def use_translator(gettext_fn: Gettext, ngettext_fn: Ngettext | None = None) -> Iterator[None]:
    """Render the reports built inside the block in another language, and restore the previous one after."""
    token = TRANSLATOR.set(translator_for(gettext_fn, ngettext_fn))
    try:
        yield
    finally:
        TRANSLATOR.reset(token)
