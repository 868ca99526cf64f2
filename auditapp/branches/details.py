"""What a branch's details must be, checked the same way for a form, the CLI and every CSV row (no Flask)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..domain_error import N_, Message
from ..fields import UNSTORABLE

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")
# The columns' sizes (branches/models.py); also the CSV's columns, in this order.
LIMITS = {"code": 32, "name": 120, "city": 120, "region": 120, "address": 255, "phone": 40}
COLUMNS = tuple(LIMITS)


@dataclass(frozen=True)
class NewBranch:
    code: str
    name: str
    city: str = ""
    region: str = ""
    address: str = ""
    phone: str = ""


def problems(data: NewBranch) -> dict[str, Message]:
    """What is wrong with a branch's details, per field."""
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
