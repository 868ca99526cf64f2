"""The planning forms: they build the API's commands, so a page and a program are planned and refused alike."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ..forms import PostedForm, Storable


class PlanVisitForm(PostedForm):
    concept = SelectField(_l("Concept"), validators=[InputRequired()])
    branch = SelectField(_l("Branch"), validators=[InputRequired()])
    auditor = SelectField(_l("Auditor"), validators=[InputRequired()])
    channel = SelectField(_l("Channel"), validators=[InputRequired()])
    persona = SelectField(_l("Persona"), validators=[Optional()])
    due = DateField(_l("Due date"), validators=[InputRequired()])
    plan_visit = SubmitField(_l("Plan the visit"))


class PlanRoundForm(PostedForm):
    concept = SelectField(_l("Concept"), validators=[InputRequired()])
    region = SelectField(_l("Region"), validators=[Optional()])
    branches = SelectMultipleField(_l("Or these branches"), validators=[Optional()])
    month = StringField(_l("Month"), validators=[InputRequired(), Length(max=7)], render_kw={"type": "month"})
    channel = SelectField(_l("Channel"), validators=[InputRequired()])
    persona = SelectField(_l("Persona"), validators=[Optional()])
    plan_round = SubmitField(_l("Plan the round"))


class ChangeForm(PostedForm):
    auditor = SelectField(_l("Auditor"), validators=[InputRequired()])
    due = DateField(_l("Due date"), validators=[InputRequired()])
    change = SubmitField(_l("Save the change"))


class CancelForm(PostedForm):
    reason = TextAreaField(_l("Why is the visit cancelled?"), validators=[InputRequired(), Length(max=2000),
                                                                         Storable()], render_kw={"rows": 3})
    cancel = SubmitField(_l("Cancel the visit"))
