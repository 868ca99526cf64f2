"""Import concept files as versions: one transaction per file, a new version only when content changed."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import sqlalchemy as sa

from pathlib import Path

from ..accounts.models import User
from ..audit.services import record
from ..database import begin_write, lock_name
from ..extensions import db
from ..vocabulary import AuditAction, Subject
from .checker import ConceptError
from .definition import to_dict
from .loader import ConceptFileInvalid, LoadedConcept, expand_paths, load_bytes, load_file
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
    # Two imports of one concept at once would both make version n+1: the second waits and then compares.
    begin_write(db.session)
    lock_name(db.session, f"concept {concept_def.key}")
    concept = db.session.scalar(sa.select(Concept).where(Concept.key == concept_def.key))
    if concept is None:
        concept = Concept(key=concept_def.key, name=concept_def.name)
        db.session.add(concept)
    elif concept.versions and concept.latest.fingerprint == loaded.fingerprint:
        result = ImportResult(concept.key, concept.latest.number, False)
        db.session.rollback()  # ends the write transaction and its lock: nothing to write
        return result
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


def import_upload(raw: bytes, filename: str, by: User) -> ImportResult:
    """Check and import an uploaded file; :raises ConceptFileInvalid: with every mistake, as `concepts check`."""
    return import_concept(load_bytes(raw, filename), by)


def import_folder(folder: Path, by: User) -> tuple[list[ImportResult], list[ConceptError]]:
    """Import every concept file of a folder, each on its own: a bad file is reported and the others go in."""
    files = expand_paths([folder])
    if not files:
        return [], [ConceptError(str(folder), "", "no concept files (*.yaml, *.yml)")]
    results: list[ImportResult] = []
    errors: list[ConceptError] = []
    for path in files:
        try:
            results.append(import_concept(load_file(path), by))
        except ConceptFileInvalid as exc:
            errors += exc.errors
    return results, errors
