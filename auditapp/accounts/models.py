"""Users, their role, the branches a manager answers for, and personal API tokens."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from ..clock import utcnow
from ..columns import TermType, one_of
from ..extensions import db
from ..vocabulary import Role

if TYPE_CHECKING:
    from ..branches.models import Branch, Region

ROLES = tuple(Role)  # what `users add` and the account service accept

manager_branches = sa.Table(
    "manager_branches",
    db.metadata,
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("branch_id", sa.ForeignKey("branches.id", ondelete="CASCADE"), primary_key=True),
)

# A manager linked to a whole region answers for every branch in it, including branches added later.
manager_regions = sa.Table(
    "manager_regions",
    db.metadata,
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("region_id", sa.ForeignKey("regions.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    email: so.Mapped[str] = so.mapped_column(sa.String(254), unique=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(120))
    role: so.Mapped[Role] = so.mapped_column(TermType(Role, 16))
    password_hash: so.Mapped[Optional[str]] = so.mapped_column(sa.String(256))
    active: so.Mapped[bool] = so.mapped_column(default=True)
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    # Part of the session cookie (get_id): logging out, a password change or deactivation bumps it, so every
    # cookie issued before stops working — a signed cookie cannot be revoked any other way.
    session_version: so.Mapped[int] = so.mapped_column(default=0, server_default="0")
    # The interface language the user chose (a code of LANGUAGES); None follows the browser.
    language: so.Mapped[Optional[str]] = so.mapped_column(sa.String(8))

    branches: so.Mapped[list[Branch]] = so.relationship(secondary=manager_branches, order_by="Branch.code")
    regions: so.Mapped[list[Region]] = so.relationship(secondary=manager_regions, order_by="Region.name")
    tokens: so.Mapped[list[ApiToken]] = so.relationship(back_populates="user", cascade="all, delete-orphan")

    __table_args__ = (one_of("role", Role),)

    @so.validates("role")
    def _role_term(self, _key: str, value: str) -> Role:
        """Hold the member from the moment a service assigns a string, not only after a reload."""
        return Role(value)

    def set_password(self, password: str) -> None:
        """Store a scrypt hash of the password, never the password."""
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        """Compare a password against the stored hash."""
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active

    def get_id(self) -> str:
        """What the session cookie holds: the id and the session version it was issued under."""
        return f"{self.id}:{self.session_version}"

    @property
    def pseudonym(self) -> str:
        """Name an auditor as branches see them, so a mystery guest stays unknown."""
        return f"Guest {self.id}"

    def __repr__(self) -> str:
        return f"<User {self.email} ({self.role})>"


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    last_used_at: so.Mapped[Optional[datetime]]
    name: so.Mapped[str] = so.mapped_column(sa.String(80), default="", server_default="")
    expires_at: so.Mapped[Optional[datetime]]
    revoked_at: so.Mapped[Optional[datetime]]

    user: so.Mapped[User] = so.relationship(back_populates="tokens")

    def usable(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)


class PasswordLink(db.Model):
    """A one-time link with which a new user sets their first password, or anyone a forgotten one: there is no
    mail server, so an admin copies the link to the person. Only its hash is stored; it expires and is used once."""

    __tablename__ = "password_links"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    expires_at: so.Mapped[datetime]
    used_at: so.Mapped[Optional[datetime]]

    user: so.Mapped[User] = so.relationship()
