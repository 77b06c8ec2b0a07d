"""The message coach page: paste a draft, see its score, the marked phrases and the fixes."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from ..coach import API_MAX_TEXT, CHANNELS, CoachInputError, analyse
from ..coach.highlight import segments
from ..ratelimit import hit
from . import bp

CHANNEL_LABELS = {
    "linkedin": "LinkedIn message", "linkedin-invite": "LinkedIn invitation note",
    "x": "X (Twitter) direct message", "facebook": "Facebook message", "email": "Email",
    "other": "Other",
}


class CoachForm(FlaskForm):
    text = TextAreaField("Your draft", validators=[
        DataRequired("Paste the message you want to send."),
        Length(max=API_MAX_TEXT, message=f"The coach reads at most {API_MAX_TEXT:,} "
                                         "characters.")],
        description="The message exactly as you would send it.")
    recipient = StringField("Recipient's name", validators=[Optional(), Length(max=100)],
                            description="Optional. Lets the coach check you greet them.")
    channel = SelectField("Channel", default="linkedin",
                          choices=[SelectChoice(c, CHANNEL_LABELS[c]) for c in CHANNELS])


@bp.route("/coach", methods=["GET", "POST"])
def coach():
    form = CoachForm()
    analysis, marked, status, limited = None, None, 200, None
    if request.method == "POST":
        limit = current_app.config["COACH_RATE_LIMIT"]
        wait = hit(f"coach:ip:{request.remote_addr}", limit, 60)
        if wait is not None:
            limited = f"That is {limit} analyses this minute; wait {wait} seconds and try again."
            status = 429
        elif form.validate_on_submit():
            try:
                analysis = analyse(form.text.data, form.recipient.data, form.channel.data)
                marked = segments(form.text.data, analysis)
            except CoachInputError as exc:
                form.text.errors = [*form.text.errors, str(exc)]
        if analysis is None and status == 200:
            status = 422
    return render_template("portal/coach.html", form=form, analysis=analysis, marked=marked,
                           limited=limited, max_text=API_MAX_TEXT), status

