"""The visit form as HTML sees it: field names, what a no-JS post means, progress and where to open.

The JavaScript client and this module agree on one naming scheme, so a page works with and without it:
`v-<standard>` value, `na-<standard>` n/a checkbox, `c-<standard>` comment, `staff-<touchpoint>`,
`visited_at`, `duration_minutes`, `remarks`, `photo-<standard>` / `photo-tp-<touchpoint>` files,
`caption-<photo id>` and `delete_photo`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from flask_babel import gettext
from marshmallow import ValidationError

from ..concepts.answers import NA
from ..concepts.definition import Concept, Standard, Touchpoint
from ..domain_error import DomainError
from ..fields import refused
from ..scoring import standard_score
from ..vocabulary import VisitStatus
from .models import Visit
from .commands import SaveAnswers
from .schemas import SaveAnswersSchema, load_answers


@dataclass
class FormState:
    """What the form shows: stored answers, or what was just posted when it has to be shown again."""

    values: dict[str, Any] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    staff: dict[str, str] = field(default_factory=dict)
    visited_at: str = ""
    duration_minutes: str = ""
    remarks: str = ""
    captions: dict[int, str] = field(default_factory=dict)  # by photo id; only what was just typed
    errors: dict[str, str] = field(default_factory=dict)

    def shown(self, standard: Standard) -> str:
        """The value as the control shows it: text for inputs, the key for radio buttons."""
        value = self.values.get(standard.key)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value)


def state_of(visit: Visit) -> FormState:
    """Show the stored answers of a visit."""
    return FormState(
        values={a.standard_key: a.value for a in visit.answers},
        comments={a.standard_key: a.comment for a in visit.answers if a.comment},
        staff={s.touchpoint_key: s.name for s in visit.staff},
        visited_at=visit.visited_at.isoformat(timespec="minutes") if visit.visited_at else "",  # datetime-local
        duration_minutes=str(visit.duration_minutes) if visit.duration_minutes is not None else "",
        remarks=visit.remarks or "")


def parse_post(visit: Visit, form: Concept, data: Mapping[str, str]) -> tuple[SaveAnswers | None, FormState]:
    """Turn a posted form into the service's command through the API's schema, and the state to show again.

    When the schema refuses a value, the command is None and the state carries the errors keyed like the form.
    """
    stored = state_of(visit)
    state = FormState(staff=dict(stored.staff))
    answers: list[dict[str, Any]] = []
    for _tp, st in form.standards():
        raw = NA if data.get(f"na-{st.key}") == NA else (data.get(f"v-{st.key}") or "").strip()
        comment = data.get(f"c-{st.key}")
        if raw:
            state.values[st.key] = raw
        if comment:
            state.comments[st.key] = comment
        known = st.key in stored.values or st.key in stored.comments
        if raw or comment or known:
            item: dict[str, Any] = {"standard": st.key, "value": raw or None}
            if comment is not None:
                item["comment"] = comment
            answers.append(item)
    staff = []
    for _ph, tp in form.touchpoints():
        name = data.get(f"staff-{tp.key}")
        if tp.record_staff and name is not None:
            state.staff[tp.key] = name
            staff.append({"touchpoint": tp.key, "name": name})
    state.visited_at = data.get("visited_at", stored.visited_at) or ""
    state.duration_minutes = data.get("duration_minutes", stored.duration_minutes) or ""
    state.remarks = data.get("remarks", stored.remarks) or ""
    state.captions = {p.id: data[f"caption-{p.id}"] for p in visit.photos if f"caption-{p.id}" in data}
    body: dict[str, Any] = {"answers": answers, "staff": staff, "visited_at": state.visited_at or None,
                            "duration_minutes": _whole(state.duration_minutes)}
    if data.get("remarks") is not None:
        body["remarks"] = data["remarks"]
    try:
        return load_answers(body), state
    except DomainError as exc:
        state.errors.update(form_errors([n["touchpoint"] for n in staff], exc.field_texts(gettext)))
        return None, state


def parse_details(data: Mapping[str, str]) -> tuple[SaveAnswers | None, dict[str, str]]:
    """The briefing's time and duration as a command, or the errors keyed by field."""
    body = {"visited_at": (data.get("visited_at") or "").strip() or None,
            "duration_minutes": _whole(data.get("duration_minutes") or "")}
    try:
        return SaveAnswersSchema().load(body), {}
    except ValidationError as exc:
        return None, refused(exc).field_texts(gettext)


def _whole(raw: str) -> int | str | None:
    """A typed number of minutes as the schema's integer; anything else goes on to be refused there."""
    raw = raw.strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else (raw or None)


def form_errors(staff: list[str], fields: Mapping[str, str]) -> dict[str, str]:
    """Key errors like the form's fields: `staff[0]` becomes `staff-<touchpoint>`; standards keep their key.

    `staff` lists the touchpoints of the staff notes sent, in the order they were sent.
    """
    errors = {}
    for key, message in fields.items():
        match = re.fullmatch(r"staff\[(\d+)\]", key)
        if match and int(match.group(1)) < len(staff):
            key = f"staff-{staff[int(match.group(1))]}"
        errors[key] = message
    return errors


def answered_keys(visit: Visit, form: Concept) -> set[str]:
    """Standards that count as answered for the progress indicator (a photo standard by its photo)."""
    values = visit.answer_values()
    photographed = {p.standard_key for p in visit.photos}
    done = set()
    for _tp, st in form.standards():
        value = values.get(st.key)
        if (value is not None and value != "") or (st.type == "photo" and st.key in photographed):
            done.add(st.key)
    return done


def named_touchpoints(form: Concept, comment: str) -> list[Touchpoint]:
    """Touchpoints a reviewer's comment names, by name or key, in journey order."""
    text = comment.casefold()
    found = []
    for _ph, tp in form.touchpoints():
        if re.search(rf"\b{re.escape(tp.name.casefold())}\b", text) or re.search(rf"\b{re.escape(tp.key)}\b", text):
            found.append(tp)
    return found


def open_at(visit: Visit, form: Concept, comment: str = "") -> str | None:
    """Where a returned visit opens: the touchpoint its comment names, else the first missing or failed standard."""
    named = named_touchpoints(form, comment) if comment else []
    if named:
        return f"tp-{named[0].key}"
    values = visit.answer_values()
    for _tp, st in form.standards():
        value = values.get(st.key)
        if st.required and (value is None or value == ""):
            return f"st-{st.key}"
        if standard_score(st, value) == 0:
            return f"st-{st.key}"
    return None


def return_comment(visit: Visit) -> str:
    """The reviewer's comment of the last time the visit was returned."""
    for change in reversed(visit.history):
        if change.to_status == VisitStatus.RETURNED:
            return change.comment
    return ""
