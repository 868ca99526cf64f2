"""Which handbooks a user may read, and the chain's current touchpoint scores shown beside them."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from ..accounts.models import User
from ..concepts.models import Concept, ConceptVersion
from ..extensions import db
from ..reports import queries as report_queries
from ..reports.periods import Period, period_of
from ..visits.models import Visit
from ..vocabulary import REPORT_READERS, Role


def readable_concepts(user: User) -> list[Concept]:
    """Every imported concept for admins, managers and HR; an auditor's, those of their own visits (docs/architecture.md, Roles)."""
    stmt = sa.select(Concept).where(Concept.versions.any()).order_by(Concept.name)
    if user.role == Role.AUDITOR:
        theirs = (sa.select(ConceptVersion.concept_id).join(Visit, Visit.concept_version_id == ConceptVersion.id)
                  .where(Visit.auditor_id == user.id))
        stmt = stmt.where(Concept.id.in_(theirs))
    return list(db.session.scalars(stmt))


def readable_concept(user: User, key: str) -> Concept | None:
    return next((c for c in readable_concepts(user) if c.key == key), None)


def may_see_scores(user: User) -> bool:
    return user.role in REPORT_READERS


def current_scores(user: User, concept: Concept) -> tuple[Period, dict[str, float | None]] | None:
    """The mean score per touchpoint over the viewer's branches in the latest quarter with approved visits."""
    latest: date | None = report_queries.latest_visit_day(user, concept.id)
    if latest is None:
        return None
    quarter = period_of(latest, "quarter")
    cells = report_queries.touchpoint_cells(user, concept.id, "quarter", quarter.start, quarter.end)
    return quarter, {key: c.score for (key, label), c in cells.items() if label == quarter.label}
