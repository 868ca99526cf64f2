"""Schema fields that keep what no database can store out of the domain: lone surrogates, NUL, 1e309.

Every text and number that comes in through the API or a form passes one of these (docs/architecture.md,
"Limits"); the services then only see values they can store.
"""

from __future__ import annotations

import math
import re
from typing import Any

from marshmallow import Schema, ValidationError, fields, pre_load

from .domain_error import N_, DomainError, Message

# Control characters other than tab and line breaks, and UTF-16 surrogates, which UTF-8 cannot encode.
UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# The largest number an answer can hold; well beyond any scale, count or minutes an auditor records.
MAX_NUMBER = 1e12


def check_text(value: str) -> str:
    """Refuse characters that cannot be stored or shown; the message names the problem, not the byte."""
    if UNSTORABLE.search(value):
        raise ValidationError(Message(N_("contains a control character or an unpaired surrogate; remove it")))
    return value


class Text(fields.String):
    """A string of at most `max_length` characters, free of unstorable characters."""

    def __init__(self, max_length: int, **kwargs: Any):
        self.max_length = max_length
        metadata = {"maxLength": max_length, **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = check_text(super()._deserialize(value, attr, data, **kwargs))
        if len(text) > self.max_length:
            raise ValidationError(Message(N_("must be at most %(max)d characters"), max=self.max_length))
        return text


class Minutes(fields.String):
    """A stored wall-clock time as the API shows it, to the minute and without an offset: 2026-04-14T19:30."""

    def __init__(self, **kwargs: Any):
        metadata = {"pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$",
                    "description": "Local time, YYYY-MM-DDTHH:MM.", **kwargs.pop("metadata", {})}
        super().__init__(dump_only=True, metadata=metadata, **kwargs)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return value.isoformat(timespec="minutes") if value is not None else None


def whole_number(raw: str) -> int | None:
    """A number typed in ASCII digits (an id in a query string or a form), or None.

    `"²".isdigit()` and `"١٢".isdigit()` are true, yet int("²") fails: str.isdigit alone is no check.
    """
    raw = raw.strip()
    return int(raw) if raw.isascii() and raw.isdigit() else None


def check_number(value: Any) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValidationError(Message(N_("must be a number")))
    if not math.isfinite(value) or abs(value) > MAX_NUMBER:
        raise ValidationError(Message(N_("must be a number between -10^12 and 10^12")))
    return value


class AnswerValue(fields.Field):
    """An answer as docs/architecture.md, Interfaces sends it: "yes", "no", "na", a number, an option key, text — or null to clear."""

    def __init__(self, max_length: int, **kwargs: Any):
        self.max_length = max_length
        metadata = {"oneOf": [{"type": "string", "maxLength": max_length}, {"type": "number"},
                              {"type": "boolean"}, {"type": "null"}], **kwargs.pop("metadata", {})}
        super().__init__(allow_none=True, metadata=metadata, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, (int, float)):
            return check_number(value)
        if isinstance(value, str):
            if len(value) > self.max_length:
                raise ValidationError(Message(N_("must be at most %(max)d characters"), max=self.max_length))
            return check_text(value)
        raise ValidationError(Message(N_("must be text, a number or null")))


def flat_messages(messages: Any, prefix: str = "") -> dict[str, Any]:
    """Marshmallow's nested messages as one level keyed like `answers[0].value`, the first message of each."""
    if isinstance(messages, dict):
        flat: dict[str, Any] = {}
        for key, value in messages.items():
            name = f"{prefix}[{key}]" if isinstance(key, int) else (f"{prefix}.{key}" if prefix else str(key))
            if key == "_schema":
                name = prefix or "body"
            flat.update(flat_messages(value, name))
        return flat
    if isinstance(messages, list):
        return flat_messages(messages[0], prefix) if messages else {}
    return {prefix or "body": messages}


def refused(exc: ValidationError, message: str = N_("Some values are not valid.")) -> DomainError:
    """A schema's refusal as the one domain error, each field's message under its path."""
    return DomainError("invalid", message, flat_messages(exc.messages))


_ONCE = N_("give this parameter only once")


class QuerySchema(Schema):
    """A query string's schema: an empty parameter (`?status=`) means the same as none, as it always has."""

    @pre_load
    def _drop_empty(self, data: Any, **_kwargs: Any) -> Any:
        raw = getattr(data, "data", data)  # webargs' proxy keeps the request's MultiDict
        if hasattr(raw, "getlist"):
            # ?branch=1&branch=2 would silently mean the first; a parameter that takes one value says so.
            repeated = {key: [_ONCE] for key in raw.keys()
                        if len(raw.getlist(key)) > 1 and not isinstance(self.fields.get(key), fields.List)}
            if repeated:
                raise ValidationError(repeated)
        if hasattr(data, "items"):
            return {key: value for key, value in data.items() if value != ""}
        return data


# Marshmallow's own messages for the fields our schemas use, listed so `make messages` extracts them: a
# refusal reaches people through errors.translate, which looks each message up in the catalogue.
MARSHMALLOW_MESSAGES = (
    N_("Field may not be null."), N_("Missing data for required field."), N_("Unknown field."),
    N_("Invalid input type."), N_("Invalid value."), N_("Invalid type."), N_("Not a valid string."),
    N_("Not a valid integer."), N_("Not a valid number."), N_("Not a valid boolean."), N_("Not a valid list."),
    N_("Not a valid mapping type."), N_("Not a valid date."), N_("Not a valid datetime."),
    N_("Not a valid UUID."), N_("Number too large."),
    N_("Special numeric values (nan or infinity) are not permitted."),
)
