from flask_wtf import FlaskForm
from wtforms import HiddenField


class CsrfForm(FlaskForm):
    """A form that carries only its CSRF token: starting, saving and submitting a quiz
    attempt (answers are read per question type), and claiming a certificate."""


class ReadForm(FlaskForm):
    """Mark a lesson read or unread; the form exists for its CSRF token."""

    read = HiddenField(default="1")
