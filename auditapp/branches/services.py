"""Writes for regions and branches: one at a time (CLI, admin pages) or a whole CSV file, all or nothing.

Every write takes the "branches" lock (on PostgreSQL; SQLite's write transaction is one already), so two admins
adding the same code or region at once wait for each other; the database's unique codes stay the last word.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

import sqlalchemy as sa

from ..accounts.models import User
from ..audit.services import record
from ..database import begin_write, lock_name
from ..domain_error import N_, DomainError, Message
from ..extensions import db
from ..vocabulary import AuditAction, Subject
from .csvfile import read_branches
from .details import COLUMNS, NewBranch, problems
from .models import Branch, Region

__all__ = ["NewBranch", "ImportResult", "add_branch", "change_branch", "set_branch_active", "import_branches"]

log = logging.getLogger(__name__)
NOT_SAVED = N_("The branch was not saved.")


def _begin() -> None:
    begin_write(db.session)
    lock_name(db.session, "branches")


def region_named(name: str) -> Region:
    """Find or create a region by name."""
    region = db.session.scalar(sa.select(Region).where(Region.name == name))
    if region is None:
        region = Region(name=name)
        db.session.add(region)
        db.session.flush()
    return region


def _apply(branch: Branch, data: NewBranch, columns=COLUMNS) -> bool:
    """Set the given columns' values on a branch; whether anything changed."""
    before = {c: getattr(branch, c) for c in ("name", "city", "address", "phone")} | {"region": branch.region_name}
    for column in ("name", "city", "address", "phone"):
        if column in columns:
            setattr(branch, column, getattr(data, column).strip())
    if "region" in columns:
        branch.region = region_named(data.region.strip()) if data.region.strip() else None
    return before != {c: getattr(branch, c) for c in ("name", "city", "address", "phone")} | {
        "region": branch.region_name}


def _code_taken(code: str) -> DomainError:
    return DomainError("invalid", NOT_SAVED, {"code": Message(N_("a branch with code %(code)s exists already"),
                                                              code=code)})


def add_branch(data: NewBranch, by: User | None = None) -> Branch:
    """Create a branch, and its region when that is new; the code is unique by the database."""
    if errors := problems(data):
        raise DomainError("invalid", NOT_SAVED, errors)
    _begin()
    code = data.code.strip()
    if db.session.scalar(sa.select(Branch.id).where(Branch.code == code)) is not None:
        db.session.rollback()
        raise _code_taken(code)
    branch = Branch(code=code)
    _apply(branch, data)
    db.session.add(branch)
    try:
        db.session.flush()
    except sa.exc.IntegrityError:  # a create that got in first, where no lock covers it
        db.session.rollback()
        raise _code_taken(code) from None
    record(by, AuditAction.BRANCH_CREATED, Subject.BRANCH, branch.id, f"{branch.code} {branch.name}")
    db.session.commit()
    log.info("branch %s added", branch.code)
    return branch


def change_branch(branch: Branch, data: NewBranch, by: User) -> Branch:
    """Change a branch's details (its code stays: reports and imports know it by that)."""
    if errors := problems(replace(data, code=branch.code)):
        raise DomainError("invalid", NOT_SAVED, errors)
    _begin()
    if _apply(branch, data):
        record(by, AuditAction.BRANCH_CHANGED, Subject.BRANCH, branch.id, f"{branch.code} {branch.name}")
    db.session.commit()
    return branch


def set_branch_active(branch: Branch, active: bool, by: User) -> Branch:
    """Close a branch (its history stays; no new visits or rounds) or open it again."""
    _begin()
    if branch.active != active:
        branch.active = active
        record(by, AuditAction.BRANCH_CHANGED if active else AuditAction.BRANCH_DEACTIVATED, Subject.BRANCH,
               branch.id, f"{branch.code} {branch.name}", active=active)
    db.session.commit()
    return branch


@dataclass(frozen=True)
class ImportResult:
    created: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...] = ()


def import_branches(raw: bytes, by: User) -> ImportResult:
    """Create or update branches from a CSV file (branches/csvfile.py); a code that exists updates that branch,
    in the columns the file has only. Any bad line refuses the whole file, every bad line named."""
    table = read_branches(raw)
    _begin()
    codes = [data.code.strip() for _line, data in table.rows]
    existing = {b.code: b for b in db.session.scalars(sa.select(Branch).where(Branch.code.in_(codes)))}
    created: list[Branch] = []
    updated: list[Branch] = []
    unchanged: list[str] = []
    for _line, data in table.rows:
        branch = existing.get(data.code.strip())
        if branch is None:
            branch = Branch(code=data.code.strip())
            _apply(branch, data, table.columns)
            db.session.add(branch)
            created.append(branch)
        elif _apply(branch, data, table.columns):
            updated.append(branch)
        else:
            unchanged.append(branch.code)
    try:
        db.session.flush()
    except sa.exc.IntegrityError:  # a create that got in first, where no lock covers it
        db.session.rollback()
        raise DomainError("conflict", N_("Nothing was imported: some of these branches were added at the same "
                                         "time by someone else. Import the file again.")) from None
    for branch in created:
        record(by, AuditAction.BRANCH_CREATED, Subject.BRANCH, branch.id, f"{branch.code} {branch.name}", csv=True)
    for branch in updated:
        record(by, AuditAction.BRANCH_CHANGED, Subject.BRANCH, branch.id, f"{branch.code} {branch.name}", csv=True)
    db.session.commit()
    log.info("branch import: %d added, %d updated", len(created), len(updated))
    return ImportResult(tuple(b.code for b in created), tuple(b.code for b in updated), tuple(unchanged))
