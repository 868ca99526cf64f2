"""Import concept files as versions: one transaction per file, a new version only when content changed."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import sqlalchemy as sa

from ..accounts.models import User
from ..audit.services import record
from ..extensions import db
from ..vocabulary import AuditAction, Subject
from .definition import to_dict
from .loader import LoadedConcept
from .models import Concept, ConceptVersion

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportResult:
    key: str
    version: int
    created: bool

    def __str__(self) -> str:
        if self.created:
            return f"{self.key}: version {self.version} imported"
        return f"{self.key}: unchanged (version {self.version})"


def import_concept(loaded: LoadedConcept, by: User | None = None) -> ImportResult:
    """Store a validated concept as version n+1, unless it equals the latest version; `by` None is the CLI."""
    concept_def = loaded.concept
    concept = db.session.scalar(sa.select(Concept).where(Concept.key == concept_def.key))
    if concept is None:
        concept = Concept(key=concept_def.key, name=concept_def.name)
        db.session.add(concept)
    elif concept.versions and concept.latest.fingerprint == loaded.fingerprint:
        return ImportResult(concept.key, concept.latest.number, False)
    number = concept.versions[-1].number + 1 if concept.versions else 1
    concept.name = concept_def.name
    version = ConceptVersion(concept=concept, number=number, fingerprint=loaded.fingerprint,
                             definition=to_dict(concept_def), source=loaded.source)
    db.session.add(version)
    db.session.flush()
    record(by, AuditAction.CONCEPT_IMPORTED, Subject.CONCEPT, concept.id, concept.key, version=number)
    db.session.commit()
    log.info("concept %s version %d imported", concept.key, number)
    return ImportResult(concept.key, number, True)
