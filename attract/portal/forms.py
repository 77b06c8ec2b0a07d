from flask_wtf import FlaskForm
from wtforms import HiddenField


class QuizForm(FlaskForm):
    """Start, save and submit forms carry only a CSRF token; answers are read per type."""


class ReadForm(FlaskForm):
    """Mark a lesson read or unread; the form exists for its CSRF token."""

    read = HiddenField(default="1")
