"""Words, dates and numbers for the pure report modules (PDF, charts): whoever renders supplies the language.

The PDF and chart code calls ``_``, ``ngettext``, ``term_label`` and the ``format_*`` functions at render time; a
request sets Flask-Babel's functions and its locale here (see ``auditapp.i18n``), and anything else — tests,
benchmarks, the CLI — gets the English source text and English formats. The pages' Jinja filters format through
the same functions, so a page and its PDF print a date or a score alike.
A translator returns the translated message only; the ``%(name)s`` params are filled in here, as Flask-Babel does.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar
from datetime import date, datetime
from typing import Callable, Iterator, NamedTuple

from babel import Locale
from babel.dates import format_date as babel_date
from babel.dates import format_time as babel_time
from babel.dates import get_datetime_format
from babel.numbers import format_decimal

from ..vocabulary import Term
from .periods import parse_period

__all__ = ["_", "ngettext", "term_label", "language_tag", "format_date", "format_datetime", "format_period", "format_score", "format_number",
           "use_translator", "translator_for", "TRANSLATOR", "ENGLISH"]

Gettext = Callable[[str], str]
Ngettext = Callable[[str, str, int], str]


def _same(message: str) -> str:
    """Without a translator the English source text is the text."""
    return message


def _english_plural(singular: str, plural: str, n: int) -> str:
    """English has one form for 1 and another for every other count."""
    return singular if n == 1 else plural


class Translator(NamedTuple):
    """A gettext, its ngettext and the locale that formats dates and numbers, set and reset together."""

    gettext: Gettext
    ngettext: Ngettext
    locale: str | Locale = "en"


ENGLISH = Translator(_same, _english_plural)
TRANSLATOR: ContextVar[Translator] = ContextVar("report_translator", default=ENGLISH)


def _(message: str, /, **params: object) -> str:
    """Translate, then fill in %(name)s params like Flask-Babel's gettext (without params, % is left alone)."""
    text = TRANSLATOR.get().gettext(message)
    return text % params if params else text


def language_tag() -> str:
    """The report's language as a BCP 47 tag ("nl", "en-GB"), for the PDF's /Lang that screen readers follow."""
    return str(TRANSLATOR.get().locale).replace("_", "-")


def ngettext(singular: str, plural: str, n: int, /, **params: object) -> str:
    """Pick the form for n, then fill in %(num)d and the other params like Flask-Babel's ngettext."""
    return TRANSLATOR.get().ngettext(singular, plural, n) % {"num": n, **params}


def term_label(term: Term) -> str:
    """Name a vocabulary term (status, channel, role, band) in the reader's language."""
    return TRANSLATOR.get().gettext(term.label)


def _locale(locale: str | Locale | None) -> str | Locale:
    return TRANSLATOR.get().locale if locale is None else locale


# CLDR puts a narrow no-break space before "PM" and some dates' era marks; the PDFs' fallback font (Helvetica,
# Latin-1) has no glyph for it, so dates use the plain no-break space that every font has.
_NARROW_NBSP = str.maketrans({"\u202f": "\u00a0"})


def format_date(value: date | None, locale: str | Locale | None = None) -> str:
    """Write a date with the month as a word, in the reader's order: Apr 12, 2026 or 12 apr 2026."""
    if value is None:  # Babel would print today
        return "—"
    return babel_date(value, "medium", locale=_locale(locale)).translate(_NARROW_NBSP)


def format_period(label: str, locale: str | Locale | None = None) -> str:
    """Write a month period (2026-04) as words, "April 2026" or "april 2026"; quarters and years stay as labelled."""
    try:
        month = parse_period(label, "month")  # periods.py owns the labels' spelling
    except ValueError:
        return label
    return babel_date(month.start, "LLLL y", locale=_locale(locale))


def format_datetime(value: datetime | None, locale: str | Locale | None = None) -> str:
    """Write a date and a time to the minute, as the reader's locale joins them; the time is shown as stored."""
    if value is None:
        return "—"
    locale = _locale(locale)
    # Babel's "medium" date-time adds seconds nobody recorded; join the medium date and the short time instead.
    pattern = get_datetime_format("medium", locale=locale).replace("'", "")
    return (pattern.replace("{0}", babel_time(value, "short", locale=locale))
            .replace("{1}", babel_date(value, "medium", locale=locale))).translate(_NARROW_NBSP)


def format_score(value: float | None, locale: str | Locale | None = None, *, signed: bool = False) -> str:
    """Show a 0–100 score, or signed a change, with one decimal (docs/architecture.md, Scoring) in the reader's notation; — if none."""
    if value is None:
        return "—"
    return format_decimal(value, "+0.0;-0.0" if signed else "0.0", locale=_locale(locale))


def format_number(value: float, locale: str | Locale | None = None) -> str:
    """Show a threshold or weight as written: 80 rather than 80.0, but 82.5 (82,5 in Dutch) when it has decimals."""
    return format_decimal(value, "0.###", locale=_locale(locale))


def translator_for(gettext_fn: Gettext, ngettext_fn: Ngettext | None = None,
                   locale: str | Locale = "en") -> Translator:
    """Pair a gettext with an ngettext; without one, plurals follow the English rule and then translate."""
    if ngettext_fn is None:
        def ngettext_fn(singular: str, plural: str, n: int) -> str:
            return gettext_fn(singular if n == 1 else plural)
    return Translator(gettext_fn, ngettext_fn, locale)


@contextlib.contextmanager
def use_translator(gettext_fn: Gettext, ngettext_fn: Ngettext | None = None,
                   locale: str | Locale = "en") -> Iterator[None]:
    """Render the reports built inside the block in another language, and restore the previous one after."""
    token = TRANSLATOR.set(translator_for(gettext_fn, ngettext_fn, locale))
    try:
        yield
    finally:
        TRANSLATOR.reset(token)
