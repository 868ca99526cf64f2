"""Jinja filters every page shares: vocabulary labels, score bands, and dates and numbers in the reader's locale.

Dates and numbers go through the report text functions with Flask-Babel's locale, so a page and its PDF agree.
Machine-readable values (CSV, JSON, ``<time datetime>``, ``<input type=date>``) stay ISO and use ``isoformat``.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from markupsafe import Markup
from flask_babel import get_locale, gettext

from .domain_error import Message
from .reports import text
from .scoring import band
from .vocabulary import Band, Channel, Role, Term, VisitStatus


def label(term: Term) -> str:
    """Name a status, channel, role or band in the reader's language."""
    return gettext(term.label)


def message(value: Message | str | None) -> str:
    """Show a domain message in the reader's language; concept text (a plain string) stays as written."""
    if isinstance(value, Message):
        return value.render(gettext)
    return "" if value is None else value


def written_in(value: str | None, language: str | None) -> Markup | str:
    """Mark concept text with its own language when the page speaks another, so screen readers say it right."""
    if not value or not language or language.split("-")[0] == get_locale().language:
        return value or ""
    return Markup('<span lang="{}">{}</span>').format(language, value)


def format_date(value: date | None) -> str:
    return text.format_date(value, get_locale())


def format_datetime(value: datetime | None) -> str:
    return text.format_datetime(value, get_locale())


def format_score(value: float | None) -> str:
    return text.format_score(value, get_locale())


def format_number(value: float) -> str:
    return text.format_number(value, get_locale())


def init_templating(app: Flask) -> None:
    """Give templates the filters, and the vocabularies to turn a stored string into a term (``Channel(key)``)."""
    app.jinja_env.filters.update(label=label, band=band, message=message, written_in=written_in, format_date=format_date, format_datetime=format_datetime,
                                 format_score=format_score, format_number=format_number)
    app.jinja_env.globals.update(VisitStatus=VisitStatus, Channel=Channel, Role=Role, Band=Band,
                                 get_locale=get_locale)  # <html lang> names the language the page is in
