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
from .checker import ConceptError
from .diff import diff
from .loader import ConceptFileInvalid, expand_paths, load_file, load_text
from .queries import concept_by_key
from .services import import_concept

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


MAX_YAML = 1024 * 1024


@bp.route("/upload", methods=["GET", "POST"])
def upload():
    """Upload a concept file, or re-import the concepts folder; mistakes listed as `concepts check` prints them."""
    form = UploadForm()
    errors: list[str] = []
    results: list[str] = []
    status = 200
    if request.method == "POST":
        if request.form.get("reimport"):
            folder = Path(current_app.root_path).parent / current_app.config["CONCEPTS_DIR"]
            for path in expand_paths([str(folder)]):
                try:
                    results.append(str(import_concept(load_file(path), current_user)))
                except ConceptFileInvalid as exc:
                    errors += [str(e) for e in exc.errors]
        elif form.validate():
            name = secure_filename(form.file.data.filename or "") or "concept.yaml"
            raw = form.file.data.read(MAX_YAML + 1)
            try:
                if len(raw) > MAX_YAML:
                    raise ConceptFileInvalid([ConceptError(name, "", "larger than 1 MB")])
                try:
                    text = raw.decode("utf-8-sig")
                except UnicodeDecodeError:
                    raise ConceptFileInvalid([ConceptError(name, "", "not UTF-8 text")]) from None
                results.append(str(import_concept(load_text(text, name), current_user)))
            except ConceptFileInvalid as exc:
                errors += [str(e) for e in exc.errors]
        else:
            status = 422
        if errors:
            status = 422
    return render_template("concepts/upload.html", form=form, errors=errors, results=results), status


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
