"""Hostile values, and how to put them on the wire: form and query text may carry bytes no client should send."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any
from urllib.parse import quote

MB = 1 << 20


class Raw:
    """A JSON number written as given (1e309, 10^39 digits): `json.dumps` cannot produce these itself."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text


# Text for query strings, path segments and form fields, most hostile first.
TEXT = (
    "\x00", "\ud800", "²", "a\x00b", "\x1b[31m", " ", "x" * MB, "-1", "2147483648", "9223372036854775808",
    "1" + "0" * 30, "1e309", "Infinity", "0001-01-01", "9999-12-31", "2026-02-30",
)
# Query parameters also name periods and filter values.
QUERY = TEXT + ("0001-01", "9999-12", "9999-Q4", "decade", "<unknown>")
# Form fields also take the datetime-local values a phone would never send.
FORM = TEXT + ("0001-01-01T00:00", "9999-12-31T23:59", "2026-02-30T10:00", "1" + "0" * 39)
# JSON leaves: wrong types, unstorable text and numbers no column can hold.
JSON = (
    "\ud800", "a\x00b", "\x1b", "x" * MB, Raw("1e309"), Raw("-1e309"), Raw("Infinity"), Raw("NaN"),
    Raw("1" + "0" * 39), -1, 2**31, 2**63, 1e12 + 1, True, [], {}, None, "",
    "0001-01-01T00:00:00", "9999-12-31T23:59:59", "2026-02-30T10:00:00", "2026-04-01T10:00:00+99:00",
)
# What an answer's value is tried with, for every standard of the form (each type parses values its own way).
VALUES = ("\ud800", "a\x00b", "x" * MB, Raw("1e309"), Raw("1" + "0" * 39), -1, 2**63, True, "")
# Whole JSON bodies of the wrong shape, as bytes on the wire.
DEEP = 50_000
BODIES = {
    "list": b"[]", "string": b'"abc"', "number": b"1", "null": b"null", "true": b"true",
    "deep list": b"[" * DEEP + b"]" * DEEP,
    "deep object": b'{"a":' * DEEP + b"1" + b"}" * DEEP,
    "1 MB string": json.dumps("x" * MB).encode(),
    "not UTF-8": b'{"comment": "\xff\xfe"}', "surrogate bytes": b'{"comment": "\xed\xa0\x80"}',
    "truncated": b'{"answers": [', "empty": b"",
}


def dumps(value: Any) -> bytes:
    """JSON with `Raw` numbers spliced in and lone surrogates kept as escapes."""
    raws: list[str] = []

    def mark(obj: Any) -> Any:
        if isinstance(obj, Raw):
            raws.append(obj.text)
            return f"\x00raw{len(raws) - 1}\x00"
        if isinstance(obj, dict):
            return {k: mark(v) for k, v in obj.items()}
        if isinstance(obj, list):
            return [mark(v) for v in obj]
        return obj

    text = json.dumps(mark(value))
    for i, raw in enumerate(raws):
        text = text.replace(json.dumps(f"\x00raw{i}\x00"), raw)
    return text.encode("utf-8")


@lru_cache(maxsize=512)  # the 1 MB value is sent many times; quoting it once is enough
def wire(text: str) -> str:
    """Percent-encode text as its UTF-8 bytes, lone surrogates included (as a broken client would)."""
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def urlencode(pairs: list[tuple[str, str]]) -> str:
    return "&".join(f"{wire(k)}={wire(v)}" for k, v in pairs)


def short(value: Any) -> str:
    """A readable label for a value in a failure list."""
    text = value.text if isinstance(value, Raw) else repr(value)
    return text if len(text) <= 40 else f"{text[:20]}…({len(text)} chars)"
