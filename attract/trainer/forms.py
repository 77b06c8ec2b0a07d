from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, NumberRange, Optional

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
