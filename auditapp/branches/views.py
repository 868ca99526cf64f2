"""The admin's branch pages: by region, add, change, close or reopen, and a CSV import that is all or nothing."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..domain_error import DomainError
from ..errors import status_of
from ..extensions import db
from ..forms import refuse_on
from . import services
from .csvfile import MAX_BYTES
from .forms import BranchForm, CloseForm, ImportForm
from .models import Branch
from .queries import branches_by_region

bp = Blueprint("branches", __name__, url_prefix="/admin/branches")


def _details(form: BranchForm, code: str | None = None) -> services.NewBranch:
    return services.NewBranch(code or form.code.data or "", form.name.data or "", form.city.data or "",
                              form.region.data or "", form.address.data or "", form.phone.data or "")


def _page(form: BranchForm, upload: ImportForm, status: int = 200, result=None, refused=None):
    return render_template("branches/index.html", form=form, upload=upload, groups=branches_by_region(),
                           result=result, refused=refused), status


@bp.get("/")
def index():
    return _page(BranchForm(prefix="new"), ImportForm(prefix="csv"))


@bp.post("/")
def add():
    form, upload = BranchForm(prefix="new"), ImportForm(prefix="csv")
    if not form.validate():
        return _page(form, upload, 422)
    try:
        branch = services.add_branch(_details(form), current_user)
    except DomainError as exc:
        return _page(form, upload, refuse_on(form, exc))
    flash(_("Branch %(code)s added.", code=branch.code))
    return redirect(url_for("branches.index"))


@bp.post("/import")
def import_csv():
    """Import a CSV file; a refusal lists every bad line (or what is wrong with the file) above the form."""
    form, upload = BranchForm(prefix="new"), ImportForm(prefix="csv")
    if not upload.validate():
        return _page(form, upload, 422)
    try:
        result = services.import_branches(upload.file.data.read(MAX_BYTES + 1), current_user)
    except DomainError as exc:
        return _page(form, upload, status_of(exc.code), refused=exc)
    return _page(form, upload, result=result)


@bp.route("/<int:branch_id>", methods=["GET", "POST"])
def edit(branch_id: int):
    branch = db.session.get(Branch, branch_id)
    if branch is None:
        abort(404)
    # Plain values, not obj=branch: a field missing from a post would take the Region object itself.
    current = {c: getattr(branch, c) for c in ("code", "name", "city", "address", "phone")}
    form, close = BranchForm(data=current | {"region": branch.region_name}), CloseForm(prefix="state")
    if request.method == "GET":
        return render_template("branches/edit.html", form=form, close=close, branch=branch)
    status = 422
    try:
        if (close.close.data or close.reopen.data) and close.validate():
            services.set_branch_active(branch, bool(close.reopen.data), current_user)
            flash(_("Branch reopened.") if branch.active else _("Branch closed: no new visits are planned there."))
            return redirect(url_for("branches.edit", branch_id=branch.id))
        if form.validate():
            services.change_branch(branch, _details(form, branch.code), current_user)
            flash(_("Branch saved."))
            return redirect(url_for("branches.edit", branch_id=branch.id))
    except DomainError as exc:
        status = refuse_on(form, exc)
    return render_template("branches/edit.html", form=form, close=close, branch=branch), status
