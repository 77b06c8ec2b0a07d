"""The message coach page: paste a draft, see its score, the marked phrases and the fixes."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from ..coach import CHANNELS, MAX_RECIPIENT, MAX_TEXT, CoachInputError, analyse
from ..coach.highlight import segments
from ..ratelimit import RateLimited, coach_allowance
from . import bp


class CoachForm(FlaskForm):
    """The coach's own ``check_input`` (run by ``analyse``) decides what a draft may be, for
    the API and the CLI too; the form adds only what a browser shows: required, maxlength,
    the menu."""

    text = TextAreaField("Your draft", validators=[
        DataRequired("Paste the message you want to send.")],
        render_kw={"maxlength": MAX_TEXT},
        description="The message exactly as you would send it.")
    recipient = StringField("Recipient's name", render_kw={"maxlength": MAX_RECIPIENT},
                            description="Optional. Lets the coach check you greet them.")
    channel = SelectField("Channel", default="linkedin",
                          choices=[SelectChoice(c.name, c.label,
                                                render_kw={"data-limit": c.limit} if c.limit
                                                else None)
                                   for c in CHANNELS.values()])


@bp.route("/coach", methods=["GET", "POST"])
def coach():
    form = CoachForm()
    analysis, marked, status, limited = None, None, 200, None
    if request.method == "POST":
        try:
            coach_allowance(current_user.id if current_user.is_authenticated else None,
                            request.remote_addr)
        except RateLimited as exc:
            limited, status = exc.message, 429
        else:
            if form.validate_on_submit():
                try:  # analyse runs check_input: its refusal names the field at fault
                    analysis = analyse(form.text.data, form.recipient.data or None,
                                       form.channel.data)
                    marked = segments(form.text.data, analysis)
                except CoachInputError as exc:
                    field = getattr(form, exc.field or "text")
                    field.errors = [*field.errors, exc.message]
            if analysis is None:
                status = 422
    chosen = CHANNELS.get(form.channel.data or "linkedin") or CHANNELS["linkedin"]
    return render_template("portal/coach.html", form=form, analysis=analysis, marked=marked,
                           limited=limited, max_text=MAX_TEXT, channel=chosen,
                           analysis_text=form.text.data or ""), status
