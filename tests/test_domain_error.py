"""The one domain error: messages stay msgids until shown, and marshmallow's refusals are in the catalogue."""

from __future__ import annotations

import marshmallow
import pytest
from marshmallow import fields

from auditapp.domain_error import DomainError, Message
from auditapp.errors import STATUS, status_of
from auditapp.fields import MARSHMALLOW_MESSAGES, UNSTORABLE, Text, flat_messages


def test_a_message_is_translated_with_its_placeholders_and_nested_labels():
    message = Message("This visit is %(status)s.", status=Message("Approved"))
    dutch = {"This visit is %(status)s.": "Dit bezoek is %(status)s.", "Approved": "goedgekeurd"}
    assert message.render() == "This visit is Approved."
    assert message.render(lambda text: dutch.get(text, text)) == "Dit bezoek is goedgekeurd."


def test_field_messages_become_messages_and_unknown_codes_are_refusals_of_input():
    error = DomainError("invalid", "Some answers could not be saved.", {"greeted": "must be yes or no"})
    assert error.field_texts() == {"greeted": "must be yes or no"}
    assert status_of("invalid") == 422 and status_of("not_an_image") == 422
    assert STATUS["not_found"] == 404 and STATUS["conflict"] == 409


@pytest.mark.parametrize("field, value", [
    (fields.String(), 5), (fields.Integer(strict=True), "x"), (fields.List(fields.String()), "x"),
    (fields.Date(), "x"), (fields.DateTime(), "x"), (fields.UUID(), "x"), (fields.Boolean(), "x"),
    (fields.Float(allow_nan=False), float("nan")), (fields.String(), None),
])
def test_marshmallow_refusals_are_listed_for_translation(field, value):
    schema = marshmallow.Schema.from_dict({"f": field})()
    with pytest.raises(marshmallow.ValidationError) as caught:
        schema.load({"f": value})
    assert set(flat_messages(caught.value.messages).values()) <= set(MARSHMALLOW_MESSAGES)


def test_unknown_and_missing_fields_are_listed_for_translation():
    schema = marshmallow.Schema.from_dict({"f": fields.String(required=True)})()
    with pytest.raises(marshmallow.ValidationError) as caught:
        schema.load({"g": "x"})
    assert set(flat_messages(caught.value.messages).values()) <= set(MARSHMALLOW_MESSAGES)


@pytest.mark.parametrize("text", ["a\x00b", "\ud800", "bell\x07", "\x7f"])
def test_text_that_cannot_be_stored_is_refused(text):
    assert UNSTORABLE.search(text)
    with pytest.raises(marshmallow.ValidationError):
        marshmallow.Schema.from_dict({"t": Text(10)})().load({"t": text})


def test_tabs_and_line_breaks_are_text():
    assert marshmallow.Schema.from_dict({"t": Text(10)})().load({"t": "a\tb\r\nc"}) == {"t": "a\tb\r\nc"}
