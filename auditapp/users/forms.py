"""The user administration's forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from ..forms import PostedForm, Storable


class UserForm(PostedForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254), Storable()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120), Storable()])
    role = SelectField(_l("Role"), validators=[DataRequired()])
    branches = SelectMultipleField(_l("Branches (managers)"), coerce=str)
    regions = SelectMultipleField(_l("Whole regions (managers; new branches follow)"), coerce=str)
    save = SubmitField(_l("Save"))


class AccessForm(PostedForm):
    deactivate = SubmitField(_l("Deactivate"))
    reactivate = SubmitField(_l("Reactivate"))
    reset = SubmitField(_l("New password link"))
