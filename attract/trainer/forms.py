from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..cohorts.operations import EXPIRY_DAYS_MAX, NAME_MAX
from ..workshops.operations import TIME_LIMIT_RANGE

SCORING_CHOICES = [SelectChoice("speed", "Speed"), SelectChoice("accuracy", "Accuracy"),
                   SelectChoice("confidence", "Confidence")]


class NewWorkshopForm(FlaskForm):
    source = SelectField("Run", validators=[DataRequired()])
    title = StringField("Title (optional)", validators=[Optional()])
    scoring = RadioField("Scoring", choices=SCORING_CHOICES, default="speed")
    time_limit = IntegerField(
        "Seconds per question", validators=[Optional(), NumberRange(*TIME_LIMIT_RANGE)],
        description="Blank: 30 s, or no clock in accuracy scoring.")
    cohort = SelectField("For a cohort (optional)", validators=[Optional()], default="",
                         description="Its members' live answers then join their record.")


class NewCohortForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=NAME_MAX)],
                       description="For example: “Spring sales team, Leeds”.")
    course = SelectField("Course", validators=[DataRequired()])
    expires_in_days = IntegerField(
        "Invite link lasts (days)", validators=[Optional(), NumberRange(1, EXPIRY_DAYS_MAX)],
        description="Blank: until you revoke it.")


class InviteForm(FlaskForm):
    """Renew (a new link; the old one stops working) or revoke a cohort's invite."""

    action = HiddenField()
    expires_in_days = IntegerField(
        "New link lasts (days)", validators=[Optional(), NumberRange(1, EXPIRY_DAYS_MAX)],
        description="Blank: until you revoke it.")


class CsrfForm(FlaskForm):
    """A button that only needs its CSRF token checked (remove a learner)."""
