"""Each role's home page, the first thing a user sees after logging in."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from ..branches.queries import visible_branches
from ..clock import utcnow
from ..reports.queries import reported_concepts
from ..review.queries import queue
from ..schedule.queries import planner_counts
from ..vocabulary import Role

bp = Blueprint("home", __name__)

HOMES = {Role.AUDITOR: "home.auditor", Role.MANAGER: "home.manager", Role.HR: "home.hr", Role.ADMIN: "home.admin"}


@bp.route("/")
def index():
    return redirect(url_for(HOMES[current_user.role]))


@bp.route("/auditor")
def auditor():
    return redirect(url_for("visits.index"))


@bp.route("/manager")
def manager():
    return render_template("review/home.html", queue=queue(current_user), branches=visible_branches(current_user),
                           planning=planner_counts(current_user, utcnow().date()))


@bp.route("/hr")
def hr():
    return render_template("reports/hr_home.html", concepts=reported_concepts())


@bp.route("/admin")
def admin():
    return redirect(url_for("admin.index"))
