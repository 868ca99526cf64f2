"""Visits, their answers, status history, recorded staff and the score rows reports read."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Optional

import sqlalchemy as sa
import sqlalchemy.orm as so

from ..clock import utcnow
from ..columns import TermType, one_of
from ..concepts.definition import MAX_KEY
from ..extensions import db
from ..schedule.models import Round
from ..vocabulary import Channel, VisitStatus

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..branches.models import Branch
    from ..concepts.models import ConceptVersion
    from ..photos.models import Photo

STATUSES = tuple(VisitStatus)  # what the API's status filter accepts


class Visit(db.Model):
    __tablename__ = "visits"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    concept_version_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("concept_versions.id"), index=True)
    branch_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("branches.id"), index=True)
    auditor_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"), index=True)
    # The round a visit was planned in, if any: the next round avoids sending the same auditor back.
    round_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("rounds.id", ondelete="SET NULL"), index=True)
    channel: so.Mapped[Channel] = so.mapped_column(TermType(Channel, 8))
    persona_key: so.Mapped[Optional[str]] = so.mapped_column(sa.String(MAX_KEY))
    status: so.Mapped[VisitStatus] = so.mapped_column(TermType(VisitStatus, 16), default=VisitStatus.SCHEDULED,
                                                      index=True)
    due_date: so.Mapped[date]
    started_at: so.Mapped[Optional[datetime]]
    visited_at: so.Mapped[Optional[datetime]]
    duration_minutes: so.Mapped[Optional[int]]
    remarks: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    score: so.Mapped[Optional[float]]
    submitted_at: so.Mapped[Optional[datetime]]
    reviewed_at: so.Mapped[Optional[datetime]]
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    updated_at: so.Mapped[datetime] = so.mapped_column(default=utcnow, onupdate=utcnow)
    # When the phone changed visited_at, remarks or duration: an older retry of them never overwrites a newer one.
    details_changed_at: so.Mapped[Optional[datetime]]

    concept_version: so.Mapped[ConceptVersion] = so.relationship()
    branch: so.Mapped[Branch] = so.relationship()
    auditor: so.Mapped[User] = so.relationship()
    round: so.Mapped[Optional[Round]] = so.relationship()
    answers: so.Mapped[list[Answer]] = so.relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="Answer.id")
    staff: so.Mapped[list[StaffRecord]] = so.relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="StaffRecord.id")
    history: so.Mapped[list[StatusChange]] = so.relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="StatusChange.id")
    photos: so.Mapped[list[Photo]] = so.relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="Photo.id")
    touchpoint_scores: so.Mapped[list[TouchpointScore]] = so.relationship(
        back_populates="visit", cascade="all, delete-orphan")
    standard_scores: so.Mapped[list[StandardScore]] = so.relationship(
        back_populates="visit", cascade="all, delete-orphan")

    __table_args__ = (one_of("channel", Channel), one_of("status", VisitStatus),
                      sa.UniqueConstraint("round_id", "branch_id", name="uq_visits_round_branch"))

    @so.validates("status")
    def _status_term(self, _key: str, value: str) -> VisitStatus:
        """Hold the member from the moment a service assigns a string, not only after a reload."""
        return VisitStatus(value)

    @so.validates("channel")
    def _channel_term(self, _key: str, value: str) -> Channel:
        return Channel(value)

    @property
    def editable(self) -> bool:
        return self.status.editable

    def answer_values(self) -> dict[str, Any]:
        """Map standard key to stored value, the shape scoring takes."""
        return {a.standard_key: a.value for a in self.answers}


class Answer(db.Model):
    __tablename__ = "answers"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    visit_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("visits.id", ondelete="CASCADE"))
    standard_key: so.Mapped[str] = so.mapped_column(sa.String(MAX_KEY))
    value: so.Mapped[Optional[Any]] = so.mapped_column(sa.JSON)
    comment: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    updated_at: so.Mapped[datetime] = so.mapped_column(default=utcnow, onupdate=utcnow)
    # When the auditor made the change (the phone's clock, bounded by the server's): the newest change wins.
    changed_at: so.Mapped[Optional[datetime]]

    visit: so.Mapped[Visit] = so.relationship(back_populates="answers")

    __table_args__ = (sa.UniqueConstraint("visit_id", "standard_key", name="uq_answers_visit_standard"),)


class StaffRecord(db.Model):
    """Who served the guest at a touchpoint, recorded only where the concept asks for it (HR only)."""

    __tablename__ = "staff_records"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    visit_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("visits.id", ondelete="CASCADE"))
    touchpoint_key: so.Mapped[str] = so.mapped_column(sa.String(MAX_KEY))
    name: so.Mapped[str] = so.mapped_column(sa.String(120))
    # The retention period (AUDITAPP_STAFF_RETENTION_DAYS) runs from when the note was first written.
    recorded_at: so.Mapped[datetime] = so.mapped_column(default=utcnow, index=True)
    changed_at: so.Mapped[Optional[datetime]]

    visit: so.Mapped[Visit] = so.relationship(back_populates="staff")

    __table_args__ = (sa.UniqueConstraint("visit_id", "touchpoint_key", name="uq_staff_records_visit_touchpoint"),)


class VisitOperation(db.Model):
    """A start or submit the phone sent under its own id: a retry of it is recognised and changes nothing."""

    __tablename__ = "visit_operations"

    operation_id: so.Mapped[str] = so.mapped_column(sa.String(36), primary_key=True)
    visit_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    kind: so.Mapped[str] = so.mapped_column(sa.String(16))
    at: so.Mapped[datetime] = so.mapped_column(default=utcnow)


class StatusChange(db.Model):
    __tablename__ = "status_changes"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    visit_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    user_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("users.id"))
    from_status: so.Mapped[Optional[VisitStatus]] = so.mapped_column(TermType(VisitStatus, 16))
    to_status: so.Mapped[VisitStatus] = so.mapped_column(TermType(VisitStatus, 16))
    comment: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    visit: so.Mapped[Visit] = so.relationship(back_populates="history")
    user: so.Mapped[Optional[User]] = so.relationship()

    @so.validates("from_status", "to_status")
    def _status_term(self, _key: str, value: str | None) -> VisitStatus | None:
        return None if value is None else VisitStatus(value)


class TouchpointScore(db.Model):
    """One approved visit's score at one touchpoint, denormalised so reports aggregate one table."""

    __tablename__ = "touchpoint_scores"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    visit_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("visits.id", ondelete="CASCADE"))
    branch_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("branches.id"))
    concept_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("concepts.id"))
    phase_key: so.Mapped[str] = so.mapped_column(sa.String(MAX_KEY))
    touchpoint_key: so.Mapped[str] = so.mapped_column(sa.String(MAX_KEY))
    visited_on: so.Mapped[date]
    score: so.Mapped[Optional[float]]
    weight: so.Mapped[float] = so.mapped_column(default=1.0)

    visit: so.Mapped[Visit] = so.relationship(back_populates="touchpoint_scores")

    __table_args__ = (
        sa.UniqueConstraint("visit_id", "touchpoint_key", name="uq_touchpoint_scores_visit_touchpoint"),
        sa.Index("ix_touchpoint_scores_report", "concept_id", "branch_id", "visited_on"),
    )


class StandardScore(db.Model):
    """One approved visit's score on one scored standard, with the roles that own it: role scores and the
    standards failed most often are sums over these rows, written with the touchpoint rows at approval."""

    __tablename__ = "standard_scores"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    visit_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("visits.id", ondelete="CASCADE"))
    branch_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("branches.id"))
    concept_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("concepts.id"))
    phase_key: so.Mapped[str] = so.mapped_column(sa.String(MAX_KEY))
    touchpoint_key: so.Mapped[str] = so.mapped_column(sa.String(MAX_KEY))
    standard_key: so.Mapped[str] = so.mapped_column(sa.String(MAX_KEY))
    visited_on: so.Mapped[date]
    score: so.Mapped[float]
    weight: so.Mapped[float]
    critical: so.Mapped[bool] = so.mapped_column(default=False)

    visit: so.Mapped[Visit] = so.relationship(back_populates="standard_scores")
    roles: so.Mapped[list[StandardScoreRole]] = so.relationship(
        back_populates="standard_score", cascade="all, delete-orphan", passive_deletes=True)

    __table_args__ = (
        sa.UniqueConstraint("visit_id", "standard_key", name="uq_standard_scores_visit_standard"),
        sa.Index("ix_standard_scores_report", "concept_id", "branch_id", "visited_on"),
    )


class StandardScoreRole(db.Model):
    """A role that owns a scored standard (its own `roles`, else its touchpoint's)."""

    __tablename__ = "standard_score_roles"

    standard_score_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("standard_scores.id", ondelete="CASCADE"), primary_key=True)
    role_key: so.Mapped[str] = so.mapped_column(sa.String(MAX_KEY), primary_key=True)

    standard_score: so.Mapped[StandardScore] = so.relationship(back_populates="roles")

    __table_args__ = (sa.Index("ix_standard_score_roles_role", "role_key", "standard_score_id"),)
