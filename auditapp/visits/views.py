"""The auditor's pages: my visits, briefing, the form (with a no-JS fallback), submit and thanks.

Routes stay thin: reads through queries, writes through the same services the JSON API calls.
"""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import ValidationError

from ..clock import utcnow
from ..concepts.answers import answer_label
from ..domain_error import DomainError
from ..errors import status_of, translate
from ..fields import refused, whole_number
from ..photos import services as photo_services
from ..photos.schemas import PhotoPatchSchema
from ..vocabulary import VisitStatus
from . import forms, saving, services
from .models import Visit
from .queries import done_visits, open_visits, visible_visit

bp = Blueprint("visits", __name__, url_prefix="/visits")


def _visit(visit_id: int) -> Visit:
    """An auditor's own visit; anyone else's answers 404 (the query scopes auditors to their own)."""
    return visible_visit(current_user, visit_id)


@bp.get("/")
def index():
    raw = request.args.get("page", "1")
    page = whole_number(raw) if len(raw) < 7 else None
    if not page:  # not a page number, or beyond any list: nothing to show
        abort(404)
    done, more = done_visits(current_user, page)
    if page > 1 and not done:
        abort(404)
    # Returned visits first (they wait on the auditor), then by due date, soonest first.
    waiting = sorted(open_visits(current_user),
                     key=lambda v: (v.status != VisitStatus.RETURNED and not forms.return_comment(v), v.due_date, v.id))
    return render_template("visits/index.html", open_visits=waiting, done=done, page=page, more=more,
                           today=utcnow().date(), return_comment=forms.return_comment, entry_url=entry_url,
                           offline_pages=offline_pages)


def entry_url(visit: Visit) -> str:
    """Where a visit opens: its briefing before the start, its form while open, its answers once done.

    A direct address rather than the redirecting /visits/<id>, so the page the phone kept opens offline."""
    if visit.status == VisitStatus.SCHEDULED:
        return url_for(".briefing", visit_id=visit.id)
    if visit.editable:
        return url_for(".form", visit_id=visit.id)
    return url_for(".show", visit_id=visit.id)


def offline_pages(visit: Visit) -> str:
    """The pages of an open visit the phone keeps for offline use (the service worker keeps what the list fetches)."""
    return " ".join(url_for(endpoint, visit_id=visit.id) for endpoint in (".briefing", ".form", ".review"))


@bp.get("/<int:visit_id>")
def show(visit_id: int):
    """Send the auditor where the visit stands: briefing, form, or the read-only answers."""
    visit = _visit(visit_id)
    if visit.status == VisitStatus.SCHEDULED:
        return redirect(url_for(".briefing", visit_id=visit.id))
    if visit.editable:
        anchor = forms.open_at(visit, services.form_of(visit), forms.return_comment(visit))
        return redirect(url_for(".form", visit_id=visit.id, _anchor=anchor))
    return _answers_page(visit)


def _answers_page(visit: Visit):
    form = services.form_of(visit)
    values = visit.answer_values()
    comments = {a.standard_key: a.comment for a in visit.answers}
    return render_template("visits/answers.html", visit=visit, form=form, values=values, comments=comments,
                           label=answer_label, staff={s.touchpoint_key: s.name for s in visit.staff})


@bp.get("/<int:visit_id>/briefing")
def briefing(visit_id: int):
    visit = _visit(visit_id)
    if not visit.editable:
        return redirect(url_for(".show", visit_id=visit.id))
    return _briefing_page(visit, {}, {})


def _briefing_page(visit: Visit, errors: dict, posted: dict, status: int = 200):
    form = services.form_of(visit)
    content = visit.concept_version.content
    photos = [(tp, st) for tp, st in form.standards() if st.photo == "required"]
    return render_template("visits/briefing.html", visit=visit, form=form, persona=content.persona(visit.persona_key),
                           required_photos=photos, errors=errors, posted=posted), status


@bp.post("/<int:visit_id>/start")
def start(visit_id: int):
    visit = _visit(visit_id)
    if not visit.editable:
        return redirect(url_for(".show", visit_id=visit.id))
    update, errors = forms.parse_details(request.form)
    try:
        if update is not None and (update.visited_at or update.duration_minutes is not None):
            saving.save_answers(visit, current_user, update)
        if not errors:
            services.start_visit(visit, current_user)
    except DomainError as exc:
        if status_of(exc.code) != 422:
            raise
        errors = exc.field_texts(_)
    if errors:
        return _briefing_page(visit, errors, request.form, 422)
    return redirect(url_for(".form", visit_id=visit.id))


@bp.route("/<int:visit_id>/form", methods=["GET", "POST"])
def form(visit_id: int):
    visit = _visit(visit_id)
    if not visit.editable:
        return redirect(url_for(".show", visit_id=visit.id))
    concept = services.form_of(visit)
    if request.method == "GET":
        return _form_page(visit, forms.state_of(visit))

    update, state = forms.parse_post(visit, concept, request.form)
    try:
        if update is not None:
            saving.save_answers(visit, current_user, update)
    except DomainError as exc:
        if status_of(exc.code) != 422:
            raise
        state.errors.update(forms.form_errors([n.touchpoint for n in update.staff], exc.field_texts(_)))
    state.errors.update(_apply_photo_changes(visit))
    if state.errors:
        return _form_page(visit, state, 422)
    if request.form.get("action") == "review":
        return redirect(url_for(".review", visit_id=visit.id))
    flash(_("Saved."))
    return redirect(url_for(".form", visit_id=visit.id))


def _apply_photo_changes(visit: Visit) -> dict[str, str]:
    """Store photos, captions and deletions sent with a no-JS post; return errors keyed like the form."""
    errors: dict[str, str] = {}
    store = photo_services.photo_store(current_app.config["UPLOAD_DIR"])
    max_bytes = current_app.config["PHOTO_MAX_BYTES"]
    for name in request.files:
        if not name.startswith("photo-"):
            continue
        target = name[len("photo-"):]
        for file in request.files.getlist(name):
            if not file.filename:
                continue
            upload = photo_services.PhotoUpload(
                data=file.read(max_bytes + 1),
                standard=None if target.startswith("tp-") else target,
                touchpoint=target[3:] if target.startswith("tp-") else None)
            try:
                photo_services.add_photo(visit, current_user, upload, store, max_bytes)
            except DomainError as exc:
                field = target if target.startswith("tp-") else f"{target}-photo"
                texts = exc.field_texts(_)
                errors[field] = texts.get("file") or next(iter(texts.values()), translate(exc.message))
    photos = {p.id: p for p in visit.photos}
    for photo in list(photos.values()):
        caption = request.form.get(f"caption-{photo.id}")
        if caption is not None and caption.strip() != photo.caption:
            try:
                # The API's schema checks the caption here too: a NUL would otherwise reach the database.
                caption = PhotoPatchSchema().load({"caption": caption})["caption"]
                photo_services.update_caption(photo, current_user, caption)
            except ValidationError as exc:
                errors[f"caption-{photo.id}"] = refused(exc).field_texts(_)["caption"]
            except DomainError as exc:
                errors[f"caption-{photo.id}"] = next(iter(exc.field_texts(_).values()), translate(exc.message))
    delete = whole_number(request.form.get("delete_photo", ""))
    if delete in photos:
        photo_services.delete_photo(photos[delete], current_user, store)
    return errors


def _form_page(visit: Visit, state: forms.FormState, status: int = 200):
    concept = services.form_of(visit)
    comment = forms.return_comment(visit)
    photos: dict[str, list] = {}
    for photo in visit.photos:
        photos.setdefault(photo.standard_key or f"tp-{photo.touchpoint_key}", []).append(photo)
    answered = forms.answered_keys(visit, concept)
    total = sum(1 for _ in concept.standards())
    return render_template(
        "visits/form.html", visit=visit, form=concept, state=state, photos=photos,
        answered=len(answered), total=total, return_comment=comment,
        named=forms.named_touchpoints(concept, comment) if comment else [],
        open_at=forms.open_at(visit, concept, comment) if comment else None), status


@bp.get("/<int:visit_id>/submit")
def review(visit_id: int):
    visit = _visit(visit_id)
    if not visit.editable:
        return redirect(url_for(".show", visit_id=visit.id))
    return _review_page(visit, services.missing_for_submit(visit))


def _review_page(visit: Visit, missing: dict[str, str], status: int = 200):
    concept = services.form_of(visit)
    items = []
    for key, problem in missing.items():
        standard = concept.standard(key)
        touchpoint = concept.touchpoint_of(key) if standard else None
        items.append({"key": key, "problem": problem, "text": standard.text if standard else None,
                      "touchpoint": touchpoint.name if touchpoint else None,
                      "anchor": f"st-{key}" if standard else "visit-details"})
    answered = forms.answered_keys(visit, concept)
    total = sum(1 for _ in concept.standards())
    return render_template("visits/submit.html", visit=visit, items=items, answered=len(answered),
                           total=total, operation=uuid.uuid4()), status


@bp.post("/<int:visit_id>/submit")
def submit(visit_id: int):
    visit = _visit(visit_id)
    try:
        services.submit_visit(visit, current_user, _operation(request.form.get("operation")))
    except DomainError as exc:
        if status_of(exc.code) != 422:
            raise
        return _review_page(visit, exc.field_texts(_), 422)
    return redirect(url_for(".thanks", visit_id=visit.id))


@bp.get("/<int:visit_id>/thanks")
def thanks(visit_id: int):
    visit = _visit(visit_id)
    if not visit.status.done:
        return redirect(url_for(".show", visit_id=visit.id))
    return render_template("visits/thanks.html", visit=visit)


def _operation(raw: str | None) -> str | None:
    """The submit page's operation id, if it is one (a form from before ids, or a tampered one, has none)."""
    try:
        return str(uuid.UUID(raw)) if raw else None
    except ValueError:
        return None
