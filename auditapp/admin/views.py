"""The admin's overview of users, branches and concepts, a concept's versions and its source; the changes are
made on each part's own pages (users/, branches/, concepts/, schedule/)."""

from __future__ import annotations

from collections import Counter

from flask import Blueprint, Response, abort, render_template
from flask_login import current_user

from ..review.queries import queue
from ..visits.models import Visit
from . import queries

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
def index():
    users = queries.users()
    return render_template("admin/index.html", users=users, roles=Counter(u.role for u in users),
                           branches=queries.branches(current_user), concepts=queries.concepts(current_user),
                           statuses=queries.visit_counts(current_user, Visit.status))


@bp.get("/review")
def review():
    return render_template("review/home.html", queue=queue(current_user), branches=None)


@bp.get("/concepts/<slug:key>")
def concept(key: str):
    row = queries.concept(current_user, key)
    if row is None or not row.versions:
        abort(404)
    latest = row.versions[-1].version
    return render_template("admin/concept.html", row=row, latest=latest, content=latest.content)


@bp.get("/concepts/<slug:key>/versions/<int:number>.yaml")
def version_source(key: str, number: int):
    version = queries.concept_version(key, number)
    if version is None:
        abort(404)
    # Keys are slugs (the loader refuses anything else), so the file name needs no quoting.
    return Response(version.source, mimetype="text/plain",
                    headers={"Content-Disposition": f'attachment; filename="{key}-v{number}.yaml"',
                             "Cache-Control": "private, no-store"})
