"""Reads of concepts and their versions."""

from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from .definition import SLUG
from .models import Concept, ConceptVersion


def concept_by_key(key: str) -> Concept | None:
    """The concept with this key; None for anything that is no key, such as a NUL PostgreSQL would refuse."""
    if not SLUG.fullmatch(key):
        return None
    return db.session.scalar(sa.select(Concept).where(Concept.key == key))


def latest_version(key: str) -> ConceptVersion | None:
    """The newest version of a concept, the one new visits are scheduled against."""
    return db.session.scalar(
        sa.select(ConceptVersion).join(Concept).where(Concept.key == key)
        .order_by(ConceptVersion.number.desc()).limit(1))


def all_concepts() -> list[Concept]:
    return list(db.session.scalars(sa.select(Concept).order_by(Concept.name)))
