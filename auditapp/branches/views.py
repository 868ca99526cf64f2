"""The admin's branch pages: by region, add, change, close or reopen, and a CSV import that is all or nothing."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..domain_error import DomainError
from ..errors import translate
from ..forms import refuse_on
from ..extensions import db
from . import services
from .forms import BranchForm, CloseForm, ImportForm
from .models import Branch, Region

bp = Blueprint("branches", __name__, url_prefix="/admin/branches")
MAX_CSV = 2 * 1024 * 1024


def _details(form: BranchForm, code: str | None = None) -> services.NewBranch:
    return services.NewBranch(code or form.code.data or "", form.name.data or "", form.city.data or "",
                              form.region.data or "", form.address.data or "", form.phone.data or "")




@bp.route("/", methods=["GET", "POST"])
def index():
    form, upload = BranchForm(prefix="new"), ImportForm(prefix="csv")
    status, result, import_errors = 200, None, {}
    if request.method == "POST":
        if form.save.data:
            if form.validate():
                try:
                    branch = services.add_branch(_details(form), current_user)
                except DomainError as exc:
                    status = refuse_on(form, exc)
                else:
                    flash(_("Branch %(code)s added.", code=branch.code))
                    return redirect(url_for("branches.index"))
            else:
                status = 422
        elif upload.upload.data:
            if upload.validate():
                raw = upload.file.data.read(MAX_CSV + 1)
                try:
                    if len(raw) > MAX_CSV:
                        raise DomainError("too_large", _("The file is larger than 2 MB."))
                    result = services.import_branches(raw, current_user)
                except DomainError as exc:
                    import_errors = {k: translate(v) for k, v in exc.fields.items()} or {"file": translate(
                        exc.message)}
                    upload.form_errors.append(translate(exc.message))
                    status = 422
            else:
                status = 422
        else:
            status = 400
    regions = list(db.session.scalars(sa.select(Region).order_by(Region.name)))
    loose = list(db.session.scalars(sa.select(Branch).where(Branch.region_id.is_(None)).order_by(Branch.code)))
    return render_template("branches/index.html", form=form, upload=upload, regions=regions, loose=loose,
                           result=result, import_errors=import_errors), status


@bp.route("/<int:branch_id>", methods=["GET", "POST"])
def edit(branch_id: int):
    branch = db.session.get(Branch, branch_id)
    if branch is None:
        abort(404)
    form, close = BranchForm(obj=branch), CloseForm(prefix="state")
    if request.method == "GET":
        form.region.data = branch.region_name
    status = 200
    if request.method == "POST":
        try:
            if (close.close.data or close.reopen.data) and close.validate():
                services.set_branch_active(branch, bool(close.reopen.data), current_user)
                flash(_("Branch reopened.") if branch.active else _("Branch closed: no new visits are planned there."))
                return redirect(url_for("branches.edit", branch_id=branch.id))
            if form.save.data and form.validate():
                services.change_branch(branch, _details(form, branch.code), current_user)
                flash(_("Branch saved."))
                return redirect(url_for("branches.edit", branch_id=branch.id))
            status = 422
        except DomainError as exc:
            status = refuse_on(form, exc)
    return render_template("branches/edit.html", form=form, close=close, branch=branch), status
