"""What an admin asks for when creating or changing a user."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class UserDetails:
    email: str
    name: str
    role: str
    branches: tuple[int, ...] = field(default_factory=tuple)
    regions: tuple[int, ...] = field(default_factory=tuple)
