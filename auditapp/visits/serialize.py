"""A visit as the API documents it (DESIGN §5); the auditor is a pseudonym for managers."""

from __future__ import annotations

from typing import Any

from flask import url_for

from ..accounts.models import User
from ..concepts.definition import Concept, Standard
from .models import Visit
from .queries import may_see_auditor, may_see_staff
from .services import form_of, missing_for_submit, scores_of


def standard_json(st: Standard) -> dict[str, Any]:
    data: dict[str, Any] = {"key": st.key, "text": st.text, "type": st.type, "weight": st.weight,
                            "critical": st.critical, "na": st.na, "photo": st.photo, "required": st.required,
                            "guidance": st.guidance}
    if st.type == "scale":
        data.update(min=st.min, max=st.max)
    elif st.type == "choice":
        data["options"] = [{"key": o.key, "label": o.label} for o in st.options]
    elif st.type == "number":
        data["unit"] = st.unit
        data["target"] = {"min": st.target.min, "max": st.target.max} if st.target else None
    return data


def form_json(form: Concept) -> dict[str, Any]:
    return {"phases": [
        {"key": ph.key, "name": ph.name, "touchpoints": [
            {"key": tp.key, "name": tp.name, "description": tp.description, "record_staff": tp.record_staff,
             "standards": [standard_json(st) for st in tp.standards]}
            for tp in ph.touchpoints]}
        for ph in form.phases]}


def auditor_label(visit: Visit, viewer: User) -> str:
    """Show the auditor's name only to admins and the auditor; everyone else sees a pseudonym."""
    if may_see_auditor(viewer, visit):
        return visit.auditor.name
    return visit.auditor.pseudonym


def visit_summary_json(visit: Visit) -> dict[str, Any]:
    version = visit.concept_version
    persona = version.content.persona(visit.persona_key)
    return {
        "id": visit.id, "status": visit.status, "channel": visit.channel,
        "branch": {"id": visit.branch.id, "code": visit.branch.code, "name": visit.branch.name},
        "concept": {"key": version.concept.key, "name": version.concept.name, "version": version.number},
        "persona": {"key": persona.key, "name": persona.name} if persona else None,
        "due": visit.due_date.isoformat(),
        "visited_at": visit.visited_at.isoformat(timespec="minutes") if visit.visited_at else None,
        "score": visit.score,
    }


def visit_json(visit: Visit, viewer: User) -> dict[str, Any]:
    """Everything a client needs to show or fill in a visit."""
    content = visit.concept_version.content
    persona = content.persona(visit.persona_key)
    data = visit_summary_json(visit)
    data["persona"] = ({"key": persona.key, "name": persona.name, "briefing": persona.briefing}
                       if persona else None)
    data.update({
        "remarks": visit.remarks,
        "duration_minutes": visit.duration_minutes,
        "started_at": visit.started_at.isoformat(timespec="minutes") if visit.started_at else None,
        "submitted_at": visit.submitted_at.isoformat(timespec="minutes") if visit.submitted_at else None,
        "editable": visit.editable,
        "auditor": auditor_label(visit, viewer),
        "thresholds": {"good": content.good, "poor": content.poor},
        "form": form_json(form_of(visit)),
        "answers": [{"standard": a.standard_key, "value": a.value, "comment": a.comment} for a in visit.answers],
        "photos": [photo_json(p) for p in visit.photos],
        "scores": scores_of(visit).as_json(),
        "missing": missing_for_submit(visit) if visit.editable else {},
        "history": [{"at": h.at.isoformat(timespec="minutes"), "from": h.from_status, "to": h.to_status,
                     "comment": h.comment} for h in visit.history],
    })
    if may_see_staff(viewer, visit):
        data["staff"] = [{"touchpoint": s.touchpoint_key, "name": s.name} for s in visit.staff]
    return data


def photo_json(photo) -> dict[str, Any]:
    return {"id": photo.id, "client_id": photo.client_id, "standard": photo.standard_key,
            "touchpoint": photo.touchpoint_key, "caption": photo.caption,
            "width": photo.width, "height": photo.height,
            "taken_at": photo.taken_at.isoformat(timespec="minutes") if photo.taken_at else None,
            "url": url_for("photos_api.photo_file", photo_id=photo.id),
            "thumbnail_url": url_for("photos_api.photo_file", photo_id=photo.id, size="thumbnail")}
