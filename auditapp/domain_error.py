"""The one error that services and pure domain code raise: a code, a message and per-field messages.

It carries no HTTP status and no translation: `errors.py` maps the code to a status for programs and to the
error page or the field for people, and translates the messages there (docs/architecture.md, "Errors").
"""

from __future__ import annotations

from typing import Any, Mapping


def N_(text: str) -> str:
    """Mark a message for extraction (`make messages`); it is translated where it is shown, not here."""
    return text


class Message:
    """A translatable text and the values for its placeholders, e.g. `Message(N_("at most %(n)d characters"), n=9)`."""

    __slots__ = ("text", "params")

    def __init__(self, text: str, **params: Any):
        self.text, self.params = text, params

    def render(self, gettext=None) -> str:
        """The text in the language `gettext` translates to (English without one), placeholders filled in;
        a placeholder that is itself a Message (a status label, say) is translated too."""
        text = gettext(self.text) if gettext else self.text
        if not self.params:
            return text
        return text % {k: v.render(gettext) if isinstance(v, Message) else v for k, v in self.params.items()}

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"Message({self.text!r}, **{self.params!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Message):
            return (self.text, self.params) == (other.text, other.params)
        return isinstance(other, str) and str(self) == other

    def __hash__(self) -> int:
        return hash(str(self))


Text = str | Message


class DomainError(Exception):
    """Something the domain refuses: `code` says what kind (errors.STATUS maps it), `fields` where."""

    def __init__(self, code: str, message: Text, fields: Mapping[str, Text] | None = None):
        super().__init__(str(message))
        self.code = code
        self.message = message if isinstance(message, Message) else Message(message)
        self.fields: dict[str, Message] = {
            key: value if isinstance(value, Message) else Message(value) for key, value in (fields or {}).items()}

    def field_texts(self, gettext=None) -> dict[str, str]:
        """The field messages as text, translated when given a gettext."""
        return {key: message.render(gettext) for key, message in self.fields.items()}


def not_found(what: str = N_("No such visit.")) -> DomainError:
    """The answer for anything the user may not see: the same as for what does not exist (docs/architecture.md, Roles)."""
    return DomainError("not_found", what)
