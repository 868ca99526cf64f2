"""Writes for regions and branches: one at a time (CLI, admin pages) or a whole CSV file, all or nothing."""

from __future__ import annotations

import csv
import io
import logging
import re
from dataclasses import dataclass, replace

import sqlalchemy as sa

from ..accounts.models import User
from ..audit.services import record
from ..database import begin_write
from ..domain_error import N_, DomainError, Message
from ..extensions import db
from ..fields import UNSTORABLE
from ..vocabulary import AuditAction, Subject
from .models import Branch, Region

log = logging.getLogger(__name__)
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")
LIMITS = {"code": 32, "name": 120, "city": 120, "region": 120, "address": 255, "phone": 40}
COLUMNS = tuple(LIMITS)
MAX_ROWS = 5000


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
        db.session.flush()
    return region


def problems(data: NewBranch) -> dict[str, Message]:
    """What is wrong with a branch's details, per field (the same for a form, the CLI and a CSV row)."""
    errors: dict[str, Message] = {}
    if not CODE.match(data.code.strip()):
        errors["code"] = Message(N_("must be 1–32 letters, digits, '-' or '_'"))
    if not data.name.strip():
        errors["name"] = Message(N_("is required"))
    for name, limit in LIMITS.items():
        value = getattr(data, name)
        if len(value) > limit:
            errors.setdefault(name, Message(N_("must be at most %(max)d characters"), max=limit))
        elif UNSTORABLE.search(value):
            errors.setdefault(name, Message(N_("contains characters that cannot be stored")))
    return errors


def _apply(branch: Branch, data: NewBranch) -> None:
    branch.name, branch.city = data.name.strip(), data.city.strip()
    branch.address, branch.phone = data.address.strip(), data.phone.strip()
    branch.region = region_named(data.region.strip()) if data.region.strip() else None


def add_branch(data: NewBranch, by: User | None = None) -> Branch:
    """Create a branch, and its region when that is new; the code is unique by the database."""
    if errors := problems(data):
        raise DomainError("invalid", N_("The branch was not saved."), errors)
    begin_write(db.session)
    branch = Branch(code=data.code.strip())
    _apply(branch, data)
    db.session.add(branch)
    try:
        db.session.flush()
    except sa.exc.IntegrityError:
        db.session.rollback()
        raise DomainError("invalid", N_("The branch was not saved."), {"code": Message(
            N_("a branch with code %(code)s exists already"), code=data.code.strip())}) from None
    record(by, AuditAction.BRANCH_CREATED, Subject.BRANCH, branch.id, f"{branch.code} {branch.name}")
    db.session.commit()
    log.info("branch %s added", branch.code)
    return branch


def change_branch(branch: Branch, data: NewBranch, by: User) -> Branch:
    """Change a branch's details (its code stays: reports and imports know it by that)."""
    if errors := problems(replace(data, code=branch.code)):
        raise DomainError("invalid", N_("The branch was not saved."), errors)
    begin_write(db.session)
    _apply(branch, data)
    record(by, AuditAction.BRANCH_CHANGED, Subject.BRANCH, branch.id, f"{branch.code} {branch.name}")
    db.session.commit()
    return branch


def set_branch_active(branch: Branch, active: bool, by: User) -> Branch:
    """Close a branch (its history stays; no new visits or rounds) or open it again."""
    begin_write(db.session)
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


def import_branches(raw: bytes, by: User) -> ImportResult:
    """Create or update branches from a CSV file (code, name, city, region, address, phone); a code that exists
    updates that branch. Any bad row refuses the whole file, every bad row named by its line number."""
    rows = _rows(raw)
    errors: dict[str, Message] = {}
    seen: dict[str, int] = {}
    for line, data in rows:
        found = problems(data)
        if data.code.strip() in seen:
            found["code"] = Message(N_("repeats the code of line %(line)d"), line=seen[data.code.strip()])
        seen.setdefault(data.code.strip(), line)
        for field, message in found.items():
            errors[f"line {line}"] = Message(N_("%(field)s %(problem)s"), field=field, problem=message)
            break
    if errors:
        raise DomainError("invalid", N_("Nothing was imported: correct these lines and try again."), errors)
    begin_write(db.session)
    existing = {b.code: b for b in db.session.scalars(sa.select(Branch).where(Branch.code.in_(list(seen))))}
    created, updated = [], []
    for _line, data in rows:
        branch = existing.get(data.code.strip())
        if branch is None:
            branch = Branch(code=data.code.strip())
            db.session.add(branch)
            created.append(branch.code)
        else:
            updated.append(branch.code)
        _apply(branch, data)
    db.session.flush()
    record(by, AuditAction.BRANCH_CREATED, Subject.BRANCH, None, "CSV import", created=len(created),
           updated=len(updated))
    db.session.commit()
    return ImportResult(tuple(created), tuple(updated))


def _rows(raw: bytes) -> list[tuple[int, NewBranch]]:
    """The file's rows as branches with their line numbers; a file that is not a CSV of branches is refused."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError("invalid", N_("Nothing was imported."),
                          {"file": Message(N_("is not UTF-8 text; save it as CSV UTF-8"))}) from None
    first = text.splitlines()[0] if text.strip() else ""
    reader = csv.reader(io.StringIO(text), delimiter=";" if first.count(";") > first.count(",") else ",")
    try:
        table = [row for row in reader]
    except csv.Error as exc:
        raise DomainError("invalid", N_("Nothing was imported."),
                          {"file": Message(N_("is not a readable CSV file (%(reason)s)"), reason=str(exc))}) from None
    header = [h.strip().lower() for h in table[0]] if table else []
    if not {"code", "name"} <= set(header) or set(header) - set(COLUMNS):
        raise DomainError("invalid", N_("Nothing was imported."), {"file": Message(
            N_("needs a first line naming its columns: %(columns)s"), columns=", ".join(COLUMNS))})
    if len(table) - 1 > MAX_ROWS:
        raise DomainError("invalid", N_("Nothing was imported."), {"file": Message(
            N_("has more than %(n)d rows; split it"), n=MAX_ROWS)})
    rows = []
    for line, values in enumerate(table[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        cells = dict(zip(header, values))
        rows.append((line, NewBranch(**{c: cells.get(c, "") for c in COLUMNS})))
    return rows
