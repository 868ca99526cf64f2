"""A round: one visit per branch of a set, in one month, for one concept, channel and persona."""

from __future__ import annotations

from datetime import date, datetime
from typing import Optional

import sqlalchemy as sa
import sqlalchemy.orm as so

from ..clock import utcnow
from ..columns import TermType, one_of
from ..concepts.definition import MAX_KEY
from ..extensions import db
from ..vocabulary import Channel


class Round(db.Model):
    __tablename__ = "rounds"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    concept_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("concepts.id"), index=True)
    month: so.Mapped[date]  # the first day of the month the visits are due in
    channel: so.Mapped[Channel] = so.mapped_column(TermType(Channel, 8))
    persona_key: so.Mapped[Optional[str]] = so.mapped_column(sa.String(MAX_KEY))
    region_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("regions.id", ondelete="SET NULL"))
    created_by_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    # What the round asked for (concept, month, channel, persona, branches) as a hash: the same round twice is
    # one round, decided by this unique key rather than by looking first.
    signature: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)

    __table_args__ = (one_of("channel", Channel),)
