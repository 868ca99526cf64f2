"""What changed between two versions of a concept: linked from the version marks in the trends."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from ..fields import whole_number
from .diff import diff
from .queries import concept_by_key

bp = Blueprint("concepts", __name__, url_prefix="/concepts")


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
