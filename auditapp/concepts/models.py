"""Concepts and their immutable imported versions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from ..clock import utcnow
from ..extensions import db
from .definition import MAX_CONCEPT_NAME, MAX_KEY, from_dict
from .definition import Concept as ConceptDefinition


class Concept(db.Model):
    __tablename__ = "concepts"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    key: so.Mapped[str] = so.mapped_column(sa.String(MAX_KEY), unique=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(MAX_CONCEPT_NAME))

    versions: so.Mapped[list[ConceptVersion]] = so.relationship(
        back_populates="concept", order_by="ConceptVersion.number")

    @property
    def latest(self) -> ConceptVersion:
        return self.versions[-1]


class ConceptVersion(db.Model):
    """One imported copy of a concept file; never changed, so old visits keep their form."""

    __tablename__ = "concept_versions"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    concept_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("concepts.id"), index=True)
    number: so.Mapped[int]
    fingerprint: so.Mapped[str] = so.mapped_column(sa.String(64))
    definition: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON)
    source: so.Mapped[str] = so.mapped_column(sa.Text)
    imported_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    concept: so.Mapped[Concept] = so.relationship(back_populates="versions")

    __table_args__ = (sa.UniqueConstraint("concept_id", "number", name="uq_concept_versions_number"),)

    @property
    def content(self) -> ConceptDefinition:
        """The version as immutable domain objects, built once per content fingerprint."""
        cached = _BUILT.get(self.fingerprint)
        if cached is None:
            cached = _BUILT[self.fingerprint] = from_dict(self.definition)
        return cached


# Keyed by the content hash, so a cached entry can never be stale.
_BUILT: dict[str, ConceptDefinition] = {}
