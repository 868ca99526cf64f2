"""Locale choice for Flask-Babel, and the same language for the PDFs and charts that the pure report modules draw."""

from flask import Flask, current_app, g, request
from flask_babel import get_locale, get_translations, gettext

from .reports import text


def select_locale() -> str | None:
    return request.accept_languages.best_match(current_app.config["LANGUAGES"])


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
