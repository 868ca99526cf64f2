"""Writes for regions and branches."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import sqlalchemy as sa

from ..extensions import db
from .models import Branch, Region

log = logging.getLogger(__name__)
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")


class BranchError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


@dataclass(frozen=True)
class NewBranch:
    code: str
    name: str
    city: str = ""
    region: str = ""
    address: str = ""
    phone: str = ""


def region_named(name: str) -> Region:
    """Find or create a region by name."""
    region = db.session.scalar(sa.select(Region).where(Region.name == name))
    if region is None:
        region = Region(name=name)
        db.session.add(region)
    return region


def add_branch(data: NewBranch) -> Branch:
    """Create a branch, and its region when that is new."""
    if not CODE.match(data.code):
        raise BranchError("code", "code must be 1–32 letters, digits, '-' or '_'")
    if not data.name.strip():
        raise BranchError("name", "name is required")
    if db.session.scalar(sa.select(Branch.id).where(Branch.code == data.code)):
        raise BranchError("code", f"a branch with code {data.code} exists already")
    branch = Branch(code=data.code, name=data.name.strip(), city=data.city.strip(), address=data.address.strip(),
                    phone=data.phone.strip(), region=region_named(data.region.strip()) if data.region.strip() else None)
    db.session.add(branch)
    db.session.commit()
    log.info("branch %s added", data.code)
    return branch
