"""Reads for the administration overview: users, branches and concepts with the numbers behind them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from ..accounts.models import User
from ..branches.models import Branch
from ..branches.queries import visible_branches_stmt
from ..concepts.models import Concept, ConceptVersion
from ..concepts.queries import all_concepts, concept_by_key
from ..extensions import db
from ..visits.models import Visit
from ..visits.queries import visible_visits_stmt
from ..vocabulary import REPORTED_STATUS, Role


@dataclass(frozen=True)
class BranchRow:
    branch: Branch
    approved: int


@dataclass(frozen=True)
class VersionRow:
    version: ConceptVersion
    visits: int


@dataclass(frozen=True)
class ConceptRow:
    concept: Concept
    versions: tuple[VersionRow, ...]  # oldest first, like Concept.versions

    @property
    def visits(self) -> int:
        return sum(v.visits for v in self.versions)


def visit_counts(user: User, column: sa.ColumnElement, *where: sa.ColumnElement) -> dict[Any, int]:
    """Count the visits in the user's scope per value of one of their columns."""
    stmt = (visible_visits_stmt(user).where(*where)
            .with_only_columns(column, sa.func.count(Visit.id)).group_by(column))
    return {value: count for value, count in db.session.execute(stmt)}


def users() -> list[User]:
    """List every user, admins first as the Role vocabulary orders them, with a manager's branches loaded alongside."""
    order = sa.case({role: i for i, role in enumerate(Role)}, value=User.role)
    stmt = sa.select(User).options(so.selectinload(User.branches)).order_by(order, User.name, User.id)
    return list(db.session.scalars(stmt))


def branches(user: User) -> list[BranchRow]:
    """List the branches in the user's scope by code, each with its number of approved visits."""
    approved = visit_counts(user, Visit.branch_id, Visit.status == REPORTED_STATUS)
    stmt = visible_branches_stmt(user).options(so.selectinload(Branch.region))
    return [BranchRow(branch, approved.get(branch.id, 0)) for branch in db.session.scalars(stmt)]


def _concept_row(concept: Concept, per_version: dict[int, int]) -> ConceptRow:
    return ConceptRow(concept, tuple(VersionRow(v, per_version.get(v.id, 0)) for v in concept.versions))


def concepts(user: User) -> list[ConceptRow]:
    """List every concept by name with its versions and the visits (any status) made against each."""
    per_version = visit_counts(user, Visit.concept_version_id)
    return [_concept_row(concept, per_version) for concept in all_concepts()]


def concept(user: User, key: str) -> ConceptRow | None:
    """One concept with its versions and their visit counts, or None for an unknown key."""
    found = concept_by_key(key)
    if found is None:
        return None
    per_version = visit_counts(user, Visit.concept_version_id,
                               Visit.concept_version_id.in_([v.id for v in found.versions]))
    return _concept_row(found, per_version)


def concept_version(key: str, number: int) -> ConceptVersion | None:
    """One stored version of a concept, or None."""
    return db.session.scalar(sa.select(ConceptVersion).join(Concept)
                             .where(Concept.key == key, ConceptVersion.number == number))
