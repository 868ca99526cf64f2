"""Each role's home page; later features fill them in."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..accounts.permissions import role_required

bp = Blueprint("home", __name__)

HOMES = {"auditor": "home.auditor", "manager": "home.manager", "hr": "home.hr", "admin": "home.admin"}


@bp.route("/")
@login_required
def index():
    return redirect(url_for(HOMES[current_user.role]))


@bp.route("/auditor")
@role_required("auditor")
def auditor():
    return render_template("home/auditor.html")


@bp.route("/manager")
@role_required("manager")
def manager():
    return render_template("home/manager.html")


@bp.route("/hr")
@role_required("hr")
def hr():
    return render_template("home/hr.html")


@bp.route("/admin")
@role_required("admin")
def admin():
    return render_template("home/admin.html")
