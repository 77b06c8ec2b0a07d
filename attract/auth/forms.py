from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from ..accounts import MAX_PASSWORD, MIN_PASSWORD, clean_name


# Fields more than one form asks for, built one way (labels differ, rules never do).
def _new_email() -> EmailField:
    return EmailField("Email", validators=[
        DataRequired("Enter your email address."),
        Email("Enter an email address like name@example.com.", check_deliverability=False),
        Length(max=254)])


def _new_password(label: str) -> PasswordField:
    return PasswordField(label, validators=[
        DataRequired("Choose a password."),
        Length(min=MIN_PASSWORD, max=MAX_PASSWORD,
               message=f"Use {MIN_PASSWORD} to {MAX_PASSWORD} characters.")],
        description=f"At least {MIN_PASSWORD} characters. A short sentence works well.")


def _repeat_password(label: str) -> PasswordField:
    return PasswordField(label, validators=[
        DataRequired("Type the password a second time."),
        Length(max=MAX_PASSWORD, message=f"Passwords are at most {MAX_PASSWORD} characters."),
        EqualTo("password", "The two passwords do not match.")])


class SignUpForm(FlaskForm):
    name = StringField("Your name", validators=[
        DataRequired("Tell us your name: it goes on your certificate."), Length(max=100)],
        description="As it should appear on your certificate.")
    email = _new_email()
    password = _new_password("Password")
    confirm = _repeat_password("Repeat the password")

    def validate_name(self, field):
        if not clean_name(field.data or ""):
            raise ValidationError("Tell us your name: it goes on your certificate.")


class SignInForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired("Enter your email address."),
                                            Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired("Enter your password."),
                                                     Length(max=MAX_PASSWORD)])
    remember = BooleanField("Keep me signed in on this device")


class SignOutForm(FlaskForm):
    """Sign-out is a POST with a CSRF token, so no other site can sign a learner out."""


class ForgotPasswordForm(FlaskForm):
    email = _new_email()


class ResetPasswordForm(FlaskForm):
    password = _new_password("New password")
    confirm = _repeat_password("Repeat the new password")
