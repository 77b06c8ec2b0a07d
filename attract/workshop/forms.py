from flask_wtf import FlaskForm
from wtforms import StringField


class JoinForm(FlaskForm):
    """A nickname for the room; blank gets one made up. The rules live in
    ``workshops.nicknames`` (the API applies the same)."""

    nickname = StringField("Nickname")
