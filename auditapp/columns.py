"""Column types and constraints the models share: vocabulary terms stored as checked text."""

from __future__ import annotations

from enum import StrEnum

import sqlalchemy as sa


class TermType(sa.types.TypeDecorator):
    """A string column that reads back as a vocabulary member, so templates and PDFs can label what they load."""

    impl = sa.String
    cache_ok = True

    def __init__(self, vocabulary: type[StrEnum], length: int) -> None:
        super().__init__(length)
        self.vocabulary = vocabulary

    def process_bind_param(self, value, dialect):
        # Stored (and compared) as the plain string; the CHECK constraint refuses a word outside the vocabulary.
        return None if value is None else str(value)

    def process_result_value(self, value, dialect):
        return None if value is None else self.vocabulary(value)


def one_of(column: str, vocabulary: type[StrEnum]) -> sa.CheckConstraint:
    """Allow only the vocabulary's words in a column; the text is what migration 0001 wrote, in enum order."""
    words = ", ".join(f"'{term.value}'" for term in vocabulary)
    return sa.CheckConstraint(sa.text(f"{column} IN ({words})"), name=column)
