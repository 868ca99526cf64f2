"""Read a CSV file of branches: every bad line named with its number and reasons, or rows ready to import (no Flask).

The file is what a spreadsheet saves: UTF-8 with or without a BOM, comma or semicolon (whichever the first line
uses more), a first line naming its columns. Line numbers are the file's own lines, as an editor shows them, also
when a quoted value spans lines.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from ..domain_error import N_, DomainError, Message
from .details import COLUMNS, NewBranch, problems

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
REQUIRED = ("code", "name")


@dataclass(frozen=True)
class BranchFile:
    columns: frozenset[str]               # the columns the file has: an update leaves the others as they are
    rows: tuple[tuple[int, NewBranch], ...]


def _refuse(message: Message) -> DomainError:
    return DomainError("invalid", N_("Nothing was imported."), {"file": message})


def _joined(parts: list[Message]) -> Message:
    message = parts[0]
    for part in parts[1:]:
        message = Message(N_("%(first)s; %(then)s"), first=message, then=part)
    return message


def _table(raw: bytes) -> list[tuple[int, list[str]]]:
    """The file's records, each with the line it starts on; blank lines left out."""
    if len(raw) > MAX_BYTES:
        raise DomainError("too_large", N_("Nothing was imported."), {"file": Message(
            N_("is larger than %(mb)d MB; split it"), mb=MAX_BYTES // (1024 * 1024))})
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse(Message(N_("is not UTF-8 text; save it as CSV UTF-8"))) from None
    first = text.splitlines()[0] if text.strip() else ""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";" if first.count(";") > first.count(",") else ",")
    records, end = [], 0
    try:
        for values in reader:
            if any(v.strip() for v in values):
                records.append((end + 1, values))
            end = reader.line_num
    except csv.Error as exc:
        raise _refuse(Message(N_("is not a readable CSV file (line %(line)d: %(reason)s)"), line=reader.line_num,
                              reason=str(exc))) from None
    return records


def _header(values: list[str]) -> list[str]:
    header = [h.strip().lower() for h in values]
    while header and not header[-1]:
        header.pop()  # spreadsheets save trailing separators
    unknown = [h or '""' for h in header if h not in COLUMNS]
    missing = [c for c in REQUIRED if c not in header]
    doubled = sorted({h for h in header if header.count(h) > 1})
    if unknown or missing or doubled:
        raise _refuse(Message(N_("needs a first line naming its columns, each once, from: %(columns)s "
                                 "(code and name are required; found %(found)s)"),
                              columns=", ".join(COLUMNS), found=", ".join(h or '""' for h in header) or "nothing"))
    return header


def read_branches(raw: bytes) -> BranchFile:
    """Read the file; any bad line refuses it, with every bad line and all its reasons in the error's fields."""
    records = _table(raw)
    if not records:
        raise _refuse(Message(N_("is empty")))
    header = _header(records[0][1])
    if len(records) - 1 > MAX_ROWS:
        raise _refuse(Message(N_("has more than %(n)d rows; split it"), n=MAX_ROWS))
    errors: dict[str, Message] = {}
    rows: list[tuple[int, NewBranch]] = []
    seen: dict[str, int] = {}
    for line, values in records[1:]:
        data = NewBranch(**{c: v for c, v in zip(header, values)})
        found = [Message(N_("%(field)s %(problem)s"), field=field, problem=problem)
                 for field, problem in problems(data).items()]
        if any(v.strip() for v in values[len(header):]):
            found.append(Message(N_("has %(n)d values but the first line names %(m)d columns (a value with a "
                                    "separator in it needs quotes)"), n=len(values), m=len(header)))
        code = data.code.strip()
        if code in seen:
            found.append(Message(N_("repeats the code of line %(line)d"), line=seen[code]))
        seen.setdefault(code, line)
        if found:
            errors[f"line {line}"] = _joined(found)
        rows.append((line, data))
    if errors:
        raise DomainError("invalid", N_("Nothing was imported: correct these lines and try again."), errors)
    return BranchFile(frozenset(header), tuple(rows))
