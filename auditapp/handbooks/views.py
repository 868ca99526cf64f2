"""Handbook pages and PDFs: the concept's journey and standards as onboarding material, per role or whole."""

from __future__ import annotations

import functools

from flask import Blueprint, Response, abort, render_template
from flask_login import current_user
from markupsafe import Markup

from ..concepts.models import Concept
from ..reports import charts
from ..reports.svg import responsive_svg
from ..reports.content import CurvePoint
from ..scoring import journey_curve
from . import queries
from .content import Handbook, handbook
from .pdf import handbook_pdf, pocket_card_pdf

bp = Blueprint("handbooks", __name__, url_prefix="/handbooks")


def _concept_or_404(key: str) -> Concept:
    concept = queries.readable_concept(current_user, key)
    if concept is None:
        abort(404)
    return concept


def _book(key: str, role: str | None) -> tuple[Concept, Handbook]:
    concept = _concept_or_404(key)
    try:
        return concept, handbook(concept.latest.content, concept.latest.number, role)
    except KeyError:
        abort(404)


def _curve(concept: Concept, book: Handbook):
    """The chain's current touchpoint scores as a journey curve, for readers who may see scores."""
    if not queries.may_see_scores(current_user):
        return None, None
    found = queries.current_scores(current_user, concept)
    if found is None:
        return None, None
    period, scores = found
    content = concept.latest.content
    names = {tp.key: (ph.name, tp.name) for ph, tp in content.touchpoints()}
    points = tuple(CurvePoint(key=p.touchpoint, label=names[p.touchpoint][1], phase=names[p.touchpoint][0],
                              score=p.score, marks=p.marks) for p in journey_curve(content, None, scores))
    if all(p.score is None for p in points):
        return None, None
    return period, points


def _page(key: str, role: str | None):
    concept, book = _book(key, role)
    period, points = _curve(concept, book)
    chart = None
    if points:
        content = concept.latest.content
        chart = Markup(responsive_svg(functools.partial(charts.journey_curve, points, good=content.good,
                                                               poor=content.poor)))
    return render_template("handbooks/book.html", book=book, concept=concept, chart=chart, period=period,
                           may_see_scores=queries.may_see_scores(current_user))


def _pdf(body: bytes, name: str) -> Response:
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "private, no-store"})


@bp.get("/")
def index():
    concepts = queries.readable_concepts(current_user)
    return render_template("handbooks/index.html", concepts=concepts,
                           may_see_scores=queries.may_see_scores(current_user))


@bp.get("/<slug:key>")
def concept(key: str):
    return _page(key, None)


@bp.get("/<slug:key>/<slug:role>")
def role(key: str, role: str):
    return _page(key, role)


@bp.get("/<slug:key>.pdf")
def concept_pdf(key: str):
    concept, book = _book(key, None)
    return _pdf(handbook_pdf(book, _curve(concept, book)[1], concept.latest.content.good,
                             concept.latest.content.poor), f"handbook-{key}.pdf")


@bp.get("/<slug:key>/<slug:role>.pdf")
def role_pdf(key: str, role: str):
    concept, book = _book(key, role)
    return _pdf(handbook_pdf(book, _curve(concept, book)[1], concept.latest.content.good,
                             concept.latest.content.poor), f"handbook-{key}-{role}.pdf")


@bp.get("/<slug:key>/<slug:role>/card.pdf")
def card(key: str, role: str):
    _concept, book = _book(key, role)
    return _pdf(pocket_card_pdf(book), f"card-{key}-{role}.pdf")
