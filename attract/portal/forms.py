from flask_wtf import FlaskForm
from wtforms import HiddenField


class ReadForm(FlaskForm):
    """Mark a lesson read or unread; the form exists for its CSRF token."""

    read = HiddenField(default="1")
