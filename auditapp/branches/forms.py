"""The branch administration's forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from ..forms import PostedForm, Storable


class BranchForm(PostedForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32), Storable()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120), Storable()])
    city = StringField(_l("City"), validators=[Length(max=120), Storable()])
    region = StringField(_l("Region"), validators=[Length(max=120), Storable()])
    address = StringField(_l("Address"), validators=[Length(max=255), Storable()])
    phone = StringField(_l("Phone"), validators=[Length(max=40), Storable()])
    save = SubmitField(_l("Save"))


class ImportForm(PostedForm):
    file = FileField(_l("CSV file"), validators=[FileRequired()])
    upload = SubmitField(_l("Import"))


class CloseForm(PostedForm):
    close = SubmitField(_l("Close the branch"))
    reopen = SubmitField(_l("Reopen the branch"))
