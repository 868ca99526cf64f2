"""Login and logout."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from .forms import LoginForm
from .services import authenticate

bp = Blueprint("accounts", __name__)


def safe_next(target: str | None) -> str | None:
    """Accept only a local path, so a crafted link cannot send users to another host."""
    if not target or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return None  # browsers drop tabs and newlines, which could turn "/\t/host" into "//host"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("Email or password is not right."))
        else:
            login_user(user)
            return redirect(safe_next(request.args.get("next")) or url_for("home.index"))
    return render_template("accounts/login.html", form=form), 200 if not form.errors else 422


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash(_("You are logged out."))
    return redirect(url_for("accounts.login"))
