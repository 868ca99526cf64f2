"""The strings the code marks for translation, read fresh from the source, and the catalogue of each language."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

REPO = Path(__file__).resolve().parents[2]
TRANSLATIONS = REPO / "auditapp" / "translations"
# The same map and keywords as `make messages` (babel.cfg, -k _l -k N_).
METHODS = [("auditapp/**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None, "N_": None}
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")


def marked() -> Catalog:
    catalog = Catalog()
    for filename, lineno, message, _comments, context in extract_from_dir(
            str(REPO), METHODS, keywords=KEYWORDS, options_map={"templates/**.html": {}}):
        catalog.add(message, None, [(filename, lineno)], context=context)
    return catalog


def translations(language: str) -> Catalog:
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=language)


def placeholders(text: str) -> list[str]:
    return sorted(set(PLACEHOLDER.findall(text)))
