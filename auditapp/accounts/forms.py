"""Login form."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from ..forms import PostedForm, Storable


class LoginForm(PostedForm):
    # Storable: an email with NUL would reach the database, which PostgreSQL refuses with an error, not a no.
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254), Storable()],
                       render_kw={"autocomplete": "username", "autocapitalize": "none"})
    password = PasswordField(_l("Password"), validators=[DataRequired()],
                             render_kw={"autocomplete": "current-password"})
