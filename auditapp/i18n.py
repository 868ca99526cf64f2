"""Locale choice for Flask-Babel: the browser's preference among the languages we ship."""

from flask import current_app, request


def select_locale() -> str | None:
    return request.accept_languages.best_match(current_app.config["LANGUAGES"])
