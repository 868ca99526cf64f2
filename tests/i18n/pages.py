"""What a person reads on a page: its text and the attributes a browser shows or speaks, and the app's JS messages."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Attributes whose words reach the reader: shown (placeholder, value of a button), spoken (aria-*, alt, title), or
# shown by the page's JavaScript (data-msg-*).
READ = re.compile(r"(title|alt|placeholder|aria-label|aria-description|data-msg-[\w-]+|value)$")


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        kind = dict(attrs).get("type")
        for name, value in attrs:
            if value and READ.match(name) and not (name == "value" and (tag != "button" and kind not in ("submit", "button"))):
                self.pieces.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.pieces.append(data)


def read(html: str) -> list[str]:
    """The page's pieces of text, each with its white space folded."""
    reader = _Reader()
    reader.feed(html)
    return [" ".join(p.split()) for p in reader.pieces if p.strip()]


def pattern(message: str) -> re.Pattern:
    """A message as a pattern: its placeholders match any words."""
    parts = re.split(r"%\(\w+\)[sdif]|\{\w*\}", " ".join(message.split()))
    return re.compile(r".+?".join(map(re.escape, parts)))
