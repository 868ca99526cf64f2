"""Concepts in the browser: upload or re-import (admins), preview a version as the auditor sees it, and what
changed between two versions (linked from the version marks in the trends)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from werkzeug.utils import secure_filename
from wtforms import SubmitField

from ..fields import whole_number
from ..forms import PostedForm
from .diff import diff
from .loader import MAX_FILE_BYTES, ConceptFileInvalid
from .queries import concept_by_key
from .services import import_folder, import_upload

bp = Blueprint("concepts", __name__, url_prefix="/concepts")


class UploadForm(PostedForm):
    file = FileField(_l("Concept file (YAML)"), validators=[FileRequired()])
    upload = SubmitField(_l("Check and import"))


@bp.get("/<slug:key>/diff")
def changes(key: str):
    concept = concept_by_key(key)
    if concept is None or not concept.versions:
        abort(404)
    numbers = {v.number: v for v in concept.versions}
    latest = concept.versions[-1].number
    to = whole_number(request.args.get("to", "")) or latest
    start = whole_number(request.args.get("from", "")) or max(to - 1, 1)
    if to not in numbers or start not in numbers:
        abort(404)
    old, new = numbers[start], numbers[to]
    return render_template("concepts/diff.html", concept=concept, old=old, new=new,
                           changes=diff(old.content, new.content), numbers=sorted(numbers))


@bp.route("/upload", methods=["GET", "POST"])
def upload():
    """Upload a concept file, or re-import the concepts folder; mistakes listed as `concepts check` prints them."""
    form = UploadForm()
    results, errors, status = [], [], 200
    if request.method == "POST":
        if request.form.get("reimport"):
            results, errors = import_folder(Path(current_app.root_path).parent / current_app.config["CONCEPTS_DIR"],
                                            current_user)
        elif form.validate():
            name = secure_filename(form.file.data.filename or "") or "concept.yaml"
            try:
                results = [import_upload(form.file.data.read(MAX_FILE_BYTES + 1), name, current_user)]
            except ConceptFileInvalid as exc:
                errors = exc.errors
        else:
            status = 422
        if errors:
            status = 422
    return render_template("concepts/upload.html", form=form, errors=[str(e) for e in errors],
                           results=[str(r) for r in results]), status


@bp.get("/<slug:key>/preview")
def preview(key: str):
    """A version as the auditor will see it on a phone, for one channel and persona."""
    concept = concept_by_key(key)
    if concept is None or not concept.versions:
        abort(404)
    numbers = {v.number: v for v in concept.versions}
    number = whole_number(request.args.get("version", "")) or concept.versions[-1].number
    if number not in numbers:
        abort(404)
    content = numbers[number].content
    channels = content.channels()
    channel = request.args.get("channel") if request.args.get("channel") in channels else channels[0]
    persona = content.persona(request.args.get("persona")) or (content.personas[0] if content.personas else None)
    return render_template("concepts/preview.html", concept=concept, number=number, numbers=sorted(numbers),
                           form=content.for_channel(channel), channel=channel, channels=channels,
                           persona=persona, personas=content.personas)
