"""The admin's user pages: list and search, create (with a one-time password link), change, deactivate, reset."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..domain_error import DomainError
from ..forms import refuse_on
from ..fields import UNSTORABLE, whole_number
from ..vocabulary import Role
from . import queries, services
from .commands import UserDetails
from .forms import AccessForm, UserForm

bp = Blueprint("users", __name__, url_prefix="/admin/users")


def _form(obj=None) -> UserForm:
    form = UserForm(obj=obj)
    form.role.choices = [(r.value, _(r.label)) for r in Role]
    form.branches.choices = queries.branch_choices()
    form.regions.choices = queries.region_choices()
    if obj is not None and request.method == "GET":
        form.role.data = str(obj.role)
        form.branches.data = [str(b.id) for b in obj.branches]
        form.regions.data = [str(r.id) for r in obj.regions]
    return form


def _details(form: UserForm) -> UserDetails:
    return UserDetails(form.email.data, form.name.data, form.role.data,
                       tuple(int(b) for b in form.branches.data or () if b.isdigit()),
                       tuple(int(r) for r in form.regions.data or () if r.isdigit()))




def _link(secret: str) -> str:
    return url_for("accounts.set_password", secret=secret, _external=True)


@bp.get("/")
def index():
    # Control characters and lone surrogates cannot be compared in PostgreSQL; nobody's name holds them.
    search = UNSTORABLE.sub("", request.args.get("q") or "").strip()[:100]
    role = request.args.get("role") if request.args.get("role") in tuple(Role) else None
    page = min(whole_number(request.args.get("page", "1")) or 1, 100_000)
    rows, more = queries.users(search, role, page)
    return render_template("users/index.html", rows=rows, more=more, search=search, role=role, page=page)


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = _form()
    status, link = 200, None
    if request.method == "POST":
        if not form.validate():
            status = 422
        else:
            try:
                user, secret = services.create_user(_details(form), current_user)
            except DomainError as exc:
                status = refuse_on(form, exc)
            else:
                return render_template("users/link.html", user=user, link=_link(secret), created=True)
    return render_template("users/edit.html", form=form, user=None, link=link), status


@bp.route("/<int:user_id>", methods=["GET", "POST"])
def edit(user_id: int):
    user = queries.user(user_id)
    if user is None:
        abort(404)
    form, access = _form(user), AccessForm(prefix="access")
    status = 200
    if request.method == "POST":
        try:
            if access.reset.data and access.validate():
                return render_template("users/link.html", user=user, created=False,
                                       link=_link(services.reset_password(user, current_user)))
            if (access.deactivate.data or access.reactivate.data) and access.validate():
                services.set_active(user, bool(access.reactivate.data), current_user)
                flash(_("User reactivated.") if user.active else _("User deactivated: their sessions and tokens "
                                                                   "have stopped."))
                return redirect(url_for("users.edit", user_id=user.id))
            if form.save.data and form.validate():
                services.change_user(user, _details(form), current_user)
                flash(_("User saved."))
                return redirect(url_for("users.edit", user_id=user.id))
            status = 422
        except DomainError as exc:
            status = refuse_on(form, exc)
    return render_template("users/edit.html", form=form, user=user, access=access), status
