"""Walk parsed YAML and collect every mistake with its path, so one run of the loader reports all of them.

Pure domain code, used by loader.py only.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from babel import Locale, UnknownLocaleError

from .definition import MAX_KEY, SLUG

LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[A-Z]{2})?")


@dataclass(frozen=True)
class ConceptError:
    file: str
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return f"{where}: {self.message}"



def join_path(parent: str, part: str | int) -> str:
    if isinstance(part, int):
        return f"{parent}[{part}]"
    return f"{parent}.{part}" if parent else part


class Checker:
    """Collects errors while walking the parsed YAML, so one run reports all of them."""

    def __init__(self, file: str):
        self.file = file
        self.errors: list[ConceptError] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(ConceptError(self.file, path, message))

    def mapping(self, value: Any, path: str, required: set[str], optional: set[str]) -> dict | None:
        if not isinstance(value, dict):
            self.error(path, f"must be a mapping, got {kind_of(value)}")
            return None
        for name in sorted((k for k in value if k not in required | optional), key=str):
            allowed = ", ".join(sorted(required | optional))
            self.error(join_path(path, str(name)), f"unknown field (allowed: {allowed})")
        for name in sorted(required - value.keys()):
            self.error(join_path(path, name), "is required")
        return value

    def text(self, data: dict, name: str, path: str, default: str = "", *, limit: int | None = None) -> str:
        if name not in data:  # a missing required field is reported by mapping()
            return default
        value = data[name]
        if not isinstance(value, str):
            self.error(join_path(path, name), f"must be text, got {kind_of(value)}" + quote_hint(value))
            return default
        if name in ("name", "text") and not value.strip():
            self.error(join_path(path, name), "must not be empty")
        if limit is not None and len(value) > limit:
            self.error(join_path(path, name), f"must be at most {limit} characters, got {len(value)}")
        return value

    def slug(self, data: dict, path: str) -> str:
        if "key" not in data:  # already reported as required
            return ""
        value = data.get("key")
        if not isinstance(value, str) or not SLUG.match(value):
            self.error(join_path(path, "key"),
                       f"must be a lowercase slug like 'check-in' ([a-z0-9][a-z0-9-]*), got {value!r}")
            return str(value)
        if len(value) > MAX_KEY:
            self.error(join_path(path, "key"), f"must be at most {MAX_KEY} characters, got {len(value)}")
        return value

    def number(self, data: dict, name: str, path: str, default: float | None = None, *,
               low: float | None = None, high: float | None = None) -> float | None:
        if name not in data:
            return default
        value = data[name]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.error(join_path(path, name), f"must be a number, got {kind_of(value)}" + quote_hint(value))
            return default
        if not math.isfinite(value):
            self.error(join_path(path, name), f"must be a finite number, got {value}")
            return default
        if low is not None and value < low or high is not None and value > high:
            self.error(join_path(path, name), f"must be between {fmt_number(low)} and {fmt_number(high)}, got {fmt_number(value)}")
            return default
        return float(value)

    def flag(self, data: dict, name: str, path: str, default: bool = False) -> bool:
        value = data.get(name, default)
        if not isinstance(value, bool):
            self.error(join_path(path, name), f"must be true or false, got {kind_of(value)}")
            return default
        return value

    def choice(self, data: dict, name: str, path: str, allowed: tuple[str, ...], default: str) -> str:
        value = data.get(name, default)
        if value not in allowed:
            self.error(join_path(path, name), f"must be one of {', '.join(allowed)}, got {value!r}")
            return default
        return value

    def language(self, data: dict, name: str, path: str, default: str) -> str:
        """A language code as BCP 47 writes it (en, nl, nl-BE) that Babel knows, in its usual spelling."""
        value = self.text(data, name, path, default)
        if value == default:
            return value
        try:
            locale = Locale.parse(value.replace("-", "_")) if LANGUAGE_CODE.fullmatch(value) else None
        except (ValueError, UnknownLocaleError):
            locale = None
        if locale is None:
            self.error(join_path(path, name), f"must be a language code such as en or nl, got {value!r}")
            return default
        return value

    def items(self, data: dict, name: str, path: str, *, required: bool) -> list:
        if name not in data:  # a missing required list is reported by mapping()
            return []
        value = data[name]
        if not isinstance(value, list):
            self.error(join_path(path, name), f"must be a list, got {kind_of(value)}")
            return []
        if required and not value:
            self.error(join_path(path, name), "must not be empty")
        return value

    def unique(self, seen: dict[str, str], key: str, path: str, what: str) -> None:
        if key in seen:
            self.error(join_path(path, "key"), f"duplicate {what} key {key!r} (first at {seen[key]})")
        else:
            seen[key] = path


def kind_of(value: Any) -> str:
    if value is None:
        return "nothing"
    return {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list",
            dict: "a mapping"}.get(type(value), type(value).__name__)


def quote_hint(value: Any) -> str:
    return " (YAML reads yes/no/on/off as true/false: put it in quotes)" if isinstance(value, bool) else ""


def fmt_number(value: float | None) -> str:
    if value is None:
        return "…"
    return str(int(value)) if float(value).is_integer() else str(value)
