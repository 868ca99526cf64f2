"""Locale choice for Flask-Babel, and the same language for the PDFs and charts that the pure report modules draw."""

from __future__ import annotations

from babel import Locale
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import get_locale, get_translations, gettext
from flask_login import current_user

from .accounts.auth import bearer_token
from .reports import text

# The choice of someone not logged in (the login page's switch), kept by their browser for a year.
LANGUAGE_COOKIE = "language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600


def languages() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


def language_name(code: str) -> str:
    """A language in its own words ("Nederlands"), as language switches name them."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def select_locale() -> str | None:
    """The user's own choice, else this browser's choice on the login page, else Accept-Language, else English."""
    if not has_request_context():
        return None
    supported = languages()
    # A person's choice; a program with a token says its language in Accept-Language (and looking its token up
    # here could refuse it, in the middle of translating the refusal).
    if bearer_token(request) is None and current_user.is_authenticated and current_user.language in supported:
        return current_user.language
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    if cookie in supported:
        return cookie
    return request.accept_languages.best_match(supported)


def report_ngettext(singular: str, plural: str, n: int) -> str:
    """Flask-Babel's ngettext fills in num itself; the report text fills in all params, so it wants the bare form."""
    return get_translations().ungettext(singular, plural, n)


def init_report_text(app: Flask) -> None:
    """Give each request's reports Flask-Babel's translations and locale; the report modules only see a ContextVar."""

    @app.before_request
    def _use_request_language() -> None:
        g.report_text_token = text.TRANSLATOR.set(text.translator_for(gettext, report_ngettext, get_locale()))

    @app.teardown_request
    def _forget_request_language(_exc: BaseException | None) -> None:
        token = g.pop("report_text_token", None)
        if token is not None:
            text.TRANSLATOR.reset(token)
