"""Photos attached to a visit as evidence; the files themselves live in the photo store."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
import sqlalchemy.orm as so

from ..clock import utcnow
from ..concepts.definition import MAX_KEY
from ..extensions import db

if TYPE_CHECKING:
    from ..visits.models import Visit


class Photo(db.Model):
    __tablename__ = "photos"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    visit_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    client_id: so.Mapped[Optional[str]] = so.mapped_column(sa.String(36))
    standard_key: so.Mapped[Optional[str]] = so.mapped_column(sa.String(MAX_KEY))
    touchpoint_key: so.Mapped[Optional[str]] = so.mapped_column(sa.String(MAX_KEY))
    caption: so.Mapped[str] = so.mapped_column(sa.String(500), default="")
    file_key: so.Mapped[str] = so.mapped_column(sa.String(64))
    # The hash of the bytes as uploaded: a retry under the same client_id must carry the same picture.
    source_sha256: so.Mapped[Optional[str]] = so.mapped_column(sa.String(64))
    width: so.Mapped[int] = so.mapped_column(default=0)
    height: so.Mapped[int] = so.mapped_column(default=0)
    size_bytes: so.Mapped[int] = so.mapped_column(default=0)
    taken_at: so.Mapped[Optional[datetime]]
    uploaded_by_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("users.id"))
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    visit: so.Mapped[Visit] = so.relationship(back_populates="photos")

    __table_args__ = (sa.UniqueConstraint("visit_id", "client_id", name="uq_photos_visit_client"),)
