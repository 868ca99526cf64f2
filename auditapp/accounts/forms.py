"""The login form, and the account page's: own password and personal API tokens."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, EmailField, HiddenField, PasswordField, RadioField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import PostedForm, Storable


class LoginForm(PostedForm):
    # Storable: an email with NUL would reach the database, which PostgreSQL refuses with an error, not a no.
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254), Storable()],
                       render_kw={"autocomplete": "username", "autocapitalize": "none"})
    password = PasswordField(_l("Password"), validators=[DataRequired()],
                             render_kw={"autocomplete": "current-password"})


class PasswordForm(PostedForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()],
                            render_kw={"autocomplete": "current-password"})
    new = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)],
                        render_kw={"autocomplete": "new-password", "minlength": 10})
    change_password = SubmitField(_l("Change password"))


class TokenForm(PostedForm):
    name = StringField(_l("What is it for?"), validators=[Optional(), Length(max=80), Storable()])
    expires = DateField(_l("Valid until (optional)"), validators=[Optional()])
    create_token = SubmitField(_l("Make a token"))


class RevokeForm(PostedForm):
    token = HiddenField(validators=[DataRequired()])
    revoke = SubmitField(_l("Revoke"))


class SetPasswordForm(PostedForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "new-password", "minlength": 10})
    set_password = SubmitField(_l("Set password"))


BROWSER = "browser"  # the account page's choice "as my browser": no language kept for the user


class LanguageForm(PostedForm):
    """The account page's language; its choices are the app's languages, given when the form is made."""

    language = RadioField(_l("Language"), validators=[DataRequired()])
    save_language = SubmitField(_l("Save language"))

    def __init__(self, *args, names: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = [(BROWSER, _l("As my browser is set")), *names]
