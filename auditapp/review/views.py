"""The visit review page: everything the auditor recorded, and approve or return (docs/architecture.md, Roles)."""

from __future__ import annotations

import functools

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from ..domain_error import DomainError
from ..errors import status_of, translate
from ..reports import charts
from ..reports.svg import responsive_svg
from ..reports.build import visit_report
from ..visits.commands import Decision, Review
from ..visits.models import Visit
from ..visits.queries import may_review, visible_visit
from ..visits.services import review_visit
from ..vocabulary import MANAGER_STATUSES, Role, VisitStatus
from .forms import ReviewForm

bp = Blueprint("review", __name__, url_prefix="/review")

REVIEWER_HOMES = {Role.MANAGER: "home.manager", Role.ADMIN: "admin.review"}


def reviewable_visit(visit_id: int) -> Visit:
    """Load a visit the reviewer may read, once it has been submitted; 404 otherwise.

    :raises NotFound: outside the reviewer's branches, or while it is still the auditor's draft.
    """
    visit = visible_visit(current_user, visit_id)
    if visit.status not in MANAGER_STATUSES or not may_review(current_user, visit):
        abort(404)
    return visit


def _photos_by_place(visit: Visit) -> tuple[dict, dict, list]:
    """Group photos under their standard, else their touchpoint, else the visit as a whole."""
    by_standard: dict[str, list] = {}
    by_touchpoint: dict[str, list] = {}
    general = []
    for photo in visit.photos:
        if photo.standard_key:
            by_standard.setdefault(photo.standard_key, []).append(photo)
        elif photo.touchpoint_key:
            by_touchpoint.setdefault(photo.touchpoint_key, []).append(photo)
        else:
            general.append(photo)
    return by_standard, by_touchpoint, general


def _decide(visit: Visit, form: ReviewForm) -> int | None:
    """Apply the reviewer's decision through the service; None when done, else the status to re-show the form."""
    if visit.status != VisitStatus.SUBMITTED:
        form.form_errors.append(_("This visit has already been reviewed."))
        return 409
    if not form.validate():
        return 422
    if form.decision is None:
        form.form_errors.append(_("Choose approve or return."))
        return 422
    if form.decision == "return" and not (form.comment.data or "").strip():
        form.comment.errors.append(_("Say what the auditor should change."))
        return 422
    try:
        review_visit(visit, current_user, Review(Decision(form.decision), form.comment.data or ""))
    except DomainError as exc:  # the service has the last word, e.g. a race with another reviewer
        if "comment" in exc.fields:
            form.comment.errors.append(translate(exc.fields["comment"]))
        else:
            form.form_errors.append(translate(exc.message))
        return status_of(exc.code)
    return None


@bp.route("/visits/<int:visit_id>", methods=["GET", "POST"])
def visit(visit_id: int):
    visit = reviewable_visit(visit_id)
    form = ReviewForm()
    status = 200
    if form.is_submitted():
        decision = form.decision
        status = _decide(visit, form)
        if status is None:
            flash(_("Visit approved.") if decision == "approve" else _("Visit returned to the auditor."), "success")
            return redirect(url_for(REVIEWER_HOMES[current_user.role], _anchor="queue"))
    report = visit_report(visit, current_user, current_app.config["UPLOAD_DIR"])
    curve = Markup(responsive_svg(
        functools.partial(charts.journey_curve, report.curve, good=report.good, poor=report.poor)))
    by_standard, by_touchpoint, general = _photos_by_place(visit)
    failures = [(tp, st) for phase in report.phases for tp in phase.touchpoints for st in tp.standards
                if st.failed_critical]
    return render_template("review/visit.html", visit=visit, report=report, curve=curve, form=form,
                           failures=failures,
                           by_standard=by_standard, by_touchpoint=by_touchpoint, general_photos=general), status
