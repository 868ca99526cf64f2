"""One entry per answer type: how a value is checked, scored and shown (concept-format.md; docs/architecture.md, Scoring).

The API, the HTML form and scoring all go through this registry, so a new type is one class.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from typing import Any

from ..domain_error import N_, Message
from .definition import Standard

NA = "na"
MAX_TEXT = 4000

Value = str | float | int


class AnswerError(ValueError):
    """A value the standard cannot take; the message is shown next to the field."""

    def __init__(self, message: Message):
        super().__init__(str(message))
        self.message = message


def _fmt(number: float | None) -> str:
    if number is None:
        return ""
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


def _number(raw: Any) -> float:
    if isinstance(raw, bool):
        raise AnswerError(Message(N_("must be a number")))
    if isinstance(raw, str):
        try:
            raw = float(raw.strip().replace(",", "."))
        except ValueError:
            raise AnswerError(Message(N_("must be a number"))) from None
    if not isinstance(raw, (int, float)) or not math.isfinite(raw):
        raise AnswerError(Message(N_("must be a number")))
    return float(raw)


class AnswerType(ABC):
    """Base of the answer types; `scored` types can score, the others are recorded only."""

    name = ""
    scored = True

    @abstractmethod
    def parse(self, standard: Standard, raw: Any) -> Value:
        """Check a submitted value and return it in the stored form, or raise AnswerError."""

    def score(self, standard: Standard, value: Value) -> float | None:
        """Score a stored, non-n/a value in [0, 1]."""
        return None

    def label(self, standard: Standard, value: Value) -> Message | str:
        """Show a stored value to a reader."""
        return str(value)

    def best(self, standard: Standard) -> Message | str | None:
        """What good looks like: the answer that scores best (for the handbook); None when nothing scores."""
        return None


class YesNo(AnswerType):
    name = "yesno"

    def parse(self, standard, raw):
        if raw in ("yes", "no"):
            return raw
        if isinstance(raw, bool):
            return "yes" if raw else "no"
        raise AnswerError(Message(N_("must be yes, no or na") if standard.na else N_("must be yes or no")))

    def score(self, standard, value):
        return 1.0 if value == "yes" else 0.0

    def label(self, standard, value):
        return Message(N_("Yes")) if value == "yes" else Message(N_("No"))

    def best(self, standard):
        return Message(N_("Yes"))


class Scale(AnswerType):
    name = "scale"

    def parse(self, standard, raw):
        low, high = standard.min or 0, standard.max or 0
        message = Message(N_("must be a whole number from %(low)s to %(high)s"), low=_fmt(low), high=_fmt(high))
        try:
            value = _number(raw)
        except AnswerError:
            raise AnswerError(message) from None
        if not value.is_integer() or not low <= value <= high:
            raise AnswerError(message)
        return int(value)

    def score(self, standard, value):
        low, high = standard.min or 0, standard.max or 0
        return (float(value) - low) / (high - low)

    def label(self, standard, value):
        return f"{_fmt(float(value))} / {_fmt(standard.max)}"

    def best(self, standard):
        if standard.labels and standard.labels.max:  # the concept says what the top means: say it too
            return Message(N_("%(top)s (%(meaning)s), the top of the scale from %(bottom)s"), top=_fmt(standard.max),
                           meaning=standard.labels.max, bottom=_fmt(standard.min))
        return Message(N_("%(top)s, the top of the scale from %(bottom)s"), top=_fmt(standard.max),
                       bottom=_fmt(standard.min))


class Choice(AnswerType):
    name = "choice"

    def parse(self, standard, raw):
        if isinstance(raw, str) and standard.option(raw):
            return raw
        keys = ", ".join(o.key for o in standard.options)
        raise AnswerError(Message(N_("must be one of %(keys)s"), keys=keys))

    def score(self, standard, value):
        option = standard.option(str(value))
        return option.score if option else None

    def label(self, standard, value):
        option = standard.option(str(value))
        return option.label if option else str(value)

    def best(self, standard):
        top = max(standard.options, key=lambda o: o.score, default=None)
        return top.label if top else None  # the concept's own words


class Number(AnswerType):
    name = "number"

    def parse(self, standard, raw):
        value = _number(raw)
        if value < 0:
            raise AnswerError(Message(N_("must not be negative")))
        return int(value) if value.is_integer() else value

    def score(self, standard, value):
        if standard.target is None:
            return None
        return 1.0 if standard.target.met(float(value)) else 0.0

    def label(self, standard, value):
        return f"{_fmt(float(value))} {standard.unit}".strip()

    def best(self, standard):
        target, unit = standard.target, standard.unit
        if target is None:
            return None
        if target.min is not None and target.max is not None:
            return Message(N_("between %(min)s and %(max)s %(unit)s"), min=_fmt(target.min), max=_fmt(target.max),
                           unit=unit)
        if target.max is not None:
            return Message(N_("at most %(max)s %(unit)s"), max=_fmt(target.max), unit=unit)
        return Message(N_("at least %(min)s %(unit)s"), min=_fmt(target.min), unit=unit)


class Text(AnswerType):
    name = "text"
    scored = False

    def parse(self, standard, raw):
        if not isinstance(raw, str):
            raise AnswerError(Message(N_("must be text")))
        if len(raw) > MAX_TEXT:
            raise AnswerError(Message(N_("must be at most %(max)d characters"), max=MAX_TEXT))
        return raw


class Photo(AnswerType):
    """Answered by attaching photos; the value itself only records n/a or a note."""

    name = "photo"
    scored = False

    def parse(self, standard, raw):
        if isinstance(raw, str) and len(raw) <= MAX_TEXT:
            return raw
        raise AnswerError(Message(N_("is answered with a photo")))


ANSWER_TYPES: dict[str, AnswerType] = {t.name: t for t in (YesNo(), Scale(), Choice(), Number(), Text(), Photo())}


def parse_value(standard: Standard, raw: Any) -> Value:
    """Check one submitted value for a standard; n/a only where the standard allows it."""
    if raw == NA and standard.type not in ("text",):
        if not standard.na:
            raise AnswerError(Message(N_("n/a is not allowed for this standard")))
        return NA
    if raw == NA and standard.na:
        return NA
    return ANSWER_TYPES[standard.type].parse(standard, raw)


def answer_label(standard: Standard, value: Value | None) -> Message | str:
    """Show an answer as a reader expects it; '—' when unanswered."""
    if value is None or value == "":
        return "—"
    if value == NA:
        return Message(N_("n/a"))
    return ANSWER_TYPES[standard.type].label(standard, value)


def best_answer(standard: Standard) -> Message | str | None:
    """What good looks like for a standard, or None when it does not score (text, photo, weight 0)."""
    if standard.weight == 0:
        return None
    return ANSWER_TYPES[standard.type].best(standard)


def is_answered(standard: Standard, value: Value | None) -> bool:
    """Tell whether a value counts as an answer for the submit check."""
    return value is not None and value != ""
