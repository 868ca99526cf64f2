"""The planner's pages: open visits by what needs doing, planning a visit or a round, and one visit's changes."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..clock import utcnow
from ..domain_error import DomainError
from ..forms import refuse_on
from ..reports import queries as report_queries
from ..visits.commands import Cancel
from ..visits.queries import auditor_label
from ..vocabulary import CANCELLABLE_STATUSES, MANAGER_STATUSES, Channel
from . import queries, services
from .commands import ChangeVisit, PlanRound, PlanVisit
from .forms import CancelForm, ChangeForm, PlanRoundForm, PlanVisitForm
from .schemas import parse_month

bp = Blueprint("schedule", __name__, url_prefix="/schedule")


def _auditor_choices() -> list[tuple[str, str]]:
    return [(str(a.id), a.name if current_user.role == "admin" else a.pseudonym) for a in queries.active_auditors()]


def _fill(form) -> None:
    """Give a form the choices the planner may pick from."""
    concepts = report_queries.reported_concepts()
    personas = [("", _("No persona"))] + [(p.key, f"{c.name}: {p.name}") for c in concepts
                                         for p in c.latest.content.personas]
    for name, choices in (
            ("concept", [(c.key, c.name) for c in concepts]),
            ("branch", [(str(b.id), f"{b.name} ({b.code})") for b in queries.plannable_branches(current_user)]),
            ("branches", [(str(b.id), f"{b.name} ({b.code})") for b in queries.plannable_branches(current_user)]),
            ("region", [("", _("Choose branches below"))] + [(r.name, r.name) for r in
                                                              report_queries.visible_regions(current_user)]),
            ("auditor", _auditor_choices()),
            ("channel", [(c.value, _(c.label)) for c in Channel]),
            ("persona", personas)):
        if hasattr(form, name):
            getattr(form, name).choices = choices




def _planned(form, plan) -> int | None:
    try:
        plan()
    except DomainError as exc:
        return refuse_on(form, exc)
    return None


@bp.route("/", methods=["GET", "POST"])
def index():
    one, many = PlanVisitForm(prefix="one"), PlanRoundForm(prefix="round")
    _fill(one)
    _fill(many)
    status = 200
    if request.method == "POST":
        if one.plan_visit.data:
            if not one.validate():
                status = 422
            else:
                status = _planned(one, lambda: services.plan_visit(PlanVisit(
                    one.concept.data, int(one.branch.data), int(one.auditor.data), one.channel.data, one.due.data,
                    one.persona.data or None), current_user)) or 200
                if status == 200:
                    flash(_("Visit planned."))
                    return redirect(url_for("schedule.index"))
        elif many.plan_round.data:
            if not many.validate():
                status = 422
            elif (month := parse_month(many.month.data or "")) is None:
                many.month.errors.append(_("Give a month like 2026-04."))
                status = 422
            else:
                result: list = []
                status = _planned(many, lambda: result.append(services.plan_round(PlanRound(
                    many.concept.data, month, many.channel.data, tuple(int(b) for b in many.branches.data or ()),
                    many.region.data or None, many.persona.data or None), current_user))) or 200
                if status == 200:
                    visits, created = result[0]
                    flash(_("Round planned: %(n)d visits.", n=len(visits)) if created
                          else _("This round was planned already."))
                    return redirect(url_for("schedule.index"))
        else:
            status = 400
    lists = queries.planner_lists(current_user, utcnow().date())
    return render_template("schedule/index.html", lists=lists, one=one, many=many,
                           label=lambda v: auditor_label(v, current_user)), status


@bp.route("/visits/<int:visit_id>", methods=["GET", "POST"])
def visit(visit_id: int):
    visit = queries.plannable_visit(current_user, visit_id)
    change, cancel = ChangeForm(prefix="change"), CancelForm(prefix="cancel")
    _fill(change)
    if request.method == "GET":
        change.auditor.data, change.due.data = str(visit.auditor_id), visit.due_date
    status = 200
    if request.method == "POST":
        if change.change.data:
            if not change.validate():
                status = 422
            else:
                status = _planned(change, lambda: services.change_visit(
                    visit, ChangeVisit(int(change.auditor.data), change.due.data), current_user)) or 200
        elif cancel.cancel.data:
            if not cancel.validate():
                status = 422
            else:
                status = _planned(cancel, lambda: services.cancel_planned(visit, Cancel(cancel.reason.data),
                                                                          current_user)) or 200
        else:
            status = 400
        if status == 200:
            flash(_("Visit changed."))
            return redirect(url_for("schedule.visit", visit_id=visit.id))
    return render_template("schedule/visit.html", visit=visit, change=change, cancel=cancel,
                           auditor=auditor_label(visit, current_user), open=visit.status in CANCELLABLE_STATUSES,
                           reviewable=visit.status in MANAGER_STATUSES), status
