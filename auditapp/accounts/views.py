"""Login and logout, and each user's own account: password and personal API tokens."""

from __future__ import annotations

from datetime import datetime, time
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _, refresh
from flask_login import current_user, login_user, logout_user

from ..clock import utcnow
from ..domain_error import DomainError
from ..errors import translate
from ..i18n import LANGUAGE_COOKIE, LANGUAGE_COOKIE_AGE, language_name, languages

from . import throttle
from .forms import BROWSER, LanguageForm, LoginForm, PasswordForm, RevokeForm, SetPasswordForm, TokenForm
from .links import redeem, usable_link
from .services import authenticate, change_password, create_token, end_sessions, revoke_token, set_language

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
    status = 200
    if form.validate_on_submit():
        if throttle.blocked(form.email.data):
            form.password.errors.append(_("Too many failed attempts. Wait a minute, then try again."))
            status = 429
        elif (user := authenticate(form.email.data, form.password.data)) is None:
            throttle.failed(form.email.data)
            form.password.errors.append(_("Email or password is not right."))
        else:
            # The cookie outlives a closed browser: an auditor's phone sends the night's unsent work without a new
            # login. It stays revocable (logout, a password change), and expires after SESSION_LIFETIME unused.
            session.permanent = True
            login_user(user)
            return redirect(safe_next(request.args.get("next")) or url_for("home.index"))
    if form.errors and status == 200:
        status = 422
    return render_template("accounts/login.html", form=form, languages=_language_names()), status


@bp.post("/language")
def language():
    """The login page's switch, for people not logged in: this browser keeps the choice in a cookie."""
    choice = request.form.get("language")
    if choice not in languages():
        abort(400)
    response = redirect(url_for("accounts.login", next=safe_next(request.form.get("next"))))
    _remember_language(response, choice)
    return response


@bp.post("/logout")
def logout():
    end_sessions(current_user)  # a copy of the cookie taken before now no longer works, on any device
    logout_user()
    flash(_("You are logged out."))
    return redirect(url_for("accounts.login"))


@bp.route("/account", methods=["GET", "POST"])
def account():
    """Everyone's own page: change the password (the current one required), make and revoke API tokens."""
    password, token, revoke = PasswordForm(prefix="pw"), TokenForm(prefix="token"), RevokeForm(prefix="revoke")
    language = LanguageForm(prefix="language", names=_language_names(),
                            data={"language": current_user.language or BROWSER})
    status, new_token = 200, None
    if request.method == "POST":
        if language.save_language.data:
            if language.validate():
                chosen = None if language.language.data == BROWSER else language.language.data
                set_language(current_user, chosen, languages())
                response = redirect(url_for("accounts.account"))
                _remember_language(response, chosen)
                refresh()  # say it in the language just chosen
                flash(_("Language saved."))
                return response
            status = 422
        elif password.change_password.data:
            status = _change_password(password)
            if status == 200:
                login_user(current_user._get_current_object())  # this session goes on under the new version
                flash(_("Password changed. Other sessions and your API tokens have stopped."))
                return redirect(url_for("accounts.account"))
        elif token.create_token.data and token.validate():
            expires = datetime.combine(token.expires.data, time.min) if token.expires.data else None
            try:
                new_token = create_token(current_user, token.name.data or "", expires)
            except DomainError as exc:
                token.expires.errors.append(translate(exc.fields.get("expires", exc.message)))
                status = 422
        elif revoke.revoke.data and revoke.validate() and revoke.token.data.isdigit():
            revoke_token(current_user, int(revoke.token.data))
            flash(_("Token revoked."))
            return redirect(url_for("accounts.account"))
        else:
            status = 422
    tokens = sorted(current_user.tokens, key=lambda t: t.created_at, reverse=True)
    return render_template("accounts/account.html", password=password, token=token, tokens=tokens,
                           language=language, new_token=new_token, now=utcnow()), status


def _language_names() -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code in languages()]


def _remember_language(response, code: str | None) -> None:
    """Keep the choice on this browser too, so the login page speaks it after logging out."""
    if code is None:
        response.delete_cookie(LANGUAGE_COOKIE)
    else:
        response.set_cookie(LANGUAGE_COOKIE, code, max_age=LANGUAGE_COOKIE_AGE, httponly=True, samesite="Lax",
                            secure=bool(current_app.config.get("HTTPS")))


def _change_password(form: PasswordForm) -> int:
    if not form.validate():
        return 422
    try:
        change_password(current_user, form.current.data, form.new.data)
    except DomainError as exc:
        for name, message in exc.fields.items():
            getattr(form, name).errors.append(translate(message))
        return 422
    return 200


@bp.route("/password/<secret>", methods=["GET", "POST"])
def set_password(secret: str):
    """The page a one-time link opens: set a password, then log in with it."""
    link = usable_link(secret)
    if link is None:
        return render_template("accounts/set_password.html", form=None, user=None), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            redeem(secret, form.password.data)
        except DomainError as exc:
            if "password" not in exc.fields:
                return render_template("accounts/set_password.html", form=None, user=None), 404
            form.password.errors.append(translate(exc.fields["password"]))
        else:
            logout_user()
            flash(_("Your password is set. Log in with it."))
            return redirect(url_for("accounts.login"))
    return render_template("accounts/set_password.html", form=form, user=link.user), 200 if not form.errors else 422
