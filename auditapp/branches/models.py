"""Regions and the branches (locations) that are audited."""

from __future__ import annotations

from typing import Optional

import sqlalchemy as sa
import sqlalchemy.orm as so

from ..extensions import db


class Region(db.Model):
    __tablename__ = "regions"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(120), unique=True)

    branches: so.Mapped[list[Branch]] = so.relationship(back_populates="region")


class Branch(db.Model):
    __tablename__ = "branches"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    code: so.Mapped[str] = so.mapped_column(sa.String(32), unique=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(120))
    city: so.Mapped[str] = so.mapped_column(sa.String(120), default="")
    address: so.Mapped[str] = so.mapped_column(sa.String(255), default="")
    phone: so.Mapped[str] = so.mapped_column(sa.String(40), default="")
    region_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("regions.id"), index=True)
    # A closed branch keeps its history and reports; it gets no new visits and drops out of rounds.
    active: so.Mapped[bool] = so.mapped_column(default=True, server_default=sa.true())

    region: so.Mapped[Optional[Region]] = so.relationship(back_populates="branches")

    @property
    def region_name(self) -> str:
        return self.region.name if self.region else ""

    def __repr__(self) -> str:
        return f"<Branch {self.code}>"
