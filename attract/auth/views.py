from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from .. import audit, resets, signup
from ..accounts import (
    AccountError,
    authenticate,
    end_every_sign_in,
    end_sign_in,
    sign_ins_of,
    start_sign_in,
)
from ..ratelimit import RateLimited, sign_in_allowance, sign_in_failed
from . import bp
from .forms import (
    ForgotPasswordForm,
    ResetPasswordForm,
    SignInForm,
    SignOutForm,
    SignUpForm,
)


def _is_safe(target: str | None) -> bool:
    """Only same-site paths: ``?next=https://evil.example`` must not redirect off-site."""
    if not target or len(target) > 500:
        return False
    parts = urlsplit(target)
    return (not parts.scheme and not parts.netloc and target.startswith("/")
            and not target.startswith("//") and "\\" not in target)


def _safe_next(target: str | None) -> str:
    return target if _is_safe(target) else url_for("portal.catalog")


@bp.route("/sign-up", methods=["GET", "POST"])
def sign_up():
    if current_user.is_authenticated:
        return redirect(url_for("portal.catalog"))
    form = SignUpForm()
    if form.validate_on_submit():
        next_url = request.args.get("next")
        try:
            signup.sign_up(form.email.data, form.password.data, form.name.data,
                           request.remote_addr, next_url if _is_safe(next_url) else None)
        except AccountError as exc:  # a password the rules refuse, whoever the address is
            form.password.errors = [*form.password.errors, exc.message]
        else:
            # the same page whether or not the address has an account
            return render_template("auth/check_inbox.html", email=form.email.data), 200, \
                {"Cache-Control": "no-store"}
    status = 422 if request.method == "POST" else 200
    return render_template("auth/sign_up.html", form=form), status


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    """GET shows a button and changes nothing (mail scanners open links before people
    do, and a one-use link must survive that); the button's POST confirms and signs in."""
    form = SignOutForm()  # a CSRF token and nothing else
    if request.method == "GET" or not form.validate_on_submit():
        signup.pending(token)  # 410 with a way on for a used or expired link
        status = 200 if request.method == "GET" else 400
        return render_template("auth/confirm.html", form=form), status, \
            {"Cache-Control": "no-store"}
    user = signup.confirm(token)
    logout_user()
    start_sign_in(user, _device())
    login_user(user)
    # no name or email in a flash: it rides in the session cookie, which anyone holding
    # the browser can decode
    flash("Welcome to Attract. Pick a course to start.", "success")
    return redirect(_safe_next(request.args.get("next")), 303)


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = SignInForm()
    failed = False
    throttled = None
    if form.validate_on_submit():
        try:  # checked before the password is hashed: a flood costs no argon2 time
            sign_in_allowance(form.email.data, request.remote_addr)
        except RateLimited as exc:
            throttled = exc
        else:
            user = authenticate(form.email.data, form.password.data)
            if user is not None:
                start_sign_in(user, _device())
                login_user(user, remember=form.remember.data)
                audit.event("sign_in.success", user=user.id, via="page")
                flash("You are signed in.", "success")
                return redirect(_safe_next(request.args.get("next")), 303)
            sign_in_failed(form.email.data, request.remote_addr)
            failed = True
    if throttled is not None:
        return render_template("auth/sign_in.html", form=form, failed=False,
                               throttled=throttled.message), 429, throttled.headers
    status = 422 if request.method == "POST" else 200
    return render_template("auth/sign_in.html", form=form, failed=failed), status


@bp.post("/sign-out")
def sign_out():
    if SignOutForm().validate_on_submit():
        if current_user.is_authenticated:
            end_sign_in(current_user)  # a copy of this browser's cookies stops working too
        logout_user()
        flash("You are signed out.", "info")
    return redirect(url_for("portal.catalog"), 303)


@bp.get("/account")
@login_required
def account():
    return render_template("auth/account.html", sign_ins=sign_ins_of(current_user),
                           current_key=current_user.sign_in_key, form=SignOutForm())


@bp.post("/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    if not SignOutForm().validate_on_submit():
        flash("That form had expired; try again.", "error")
        return redirect(url_for(".account"), 303)
    ended = end_every_sign_in(current_user)
    audit.event("sign_out.everywhere", user=current_user.id, ended=ended)
    logout_user()
    flash(f"You are signed out on every device ({ended}).", "info")
    return redirect(url_for("auth.sign_in"), 303)


@bp.route("/forgot", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        resets.request_reset(form.email.data, request.remote_addr)
        # the same answer whether or not the address has an account
        return render_template("auth/forgot.html", form=form, sent=form.email.data), 200, \
            {"Cache-Control": "no-store"}
    status = 422 if request.method == "POST" else 200
    return render_template("auth/forgot.html", form=form, sent=None), status


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    resets.pending(token)  # 410 with a way on, before any form is shown
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = resets.reset(token, form.password.data)
        except AccountError as exc:
            form.password.errors = [*form.password.errors, exc.message]
        else:
            logout_user()
            start_sign_in(user, _device())
            login_user(user)
            flash("Your password is changed, and you are signed out everywhere else.",
                  "success")
            return redirect(url_for("portal.catalog"), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("auth/reset.html", form=form), status, {"Cache-Control": "no-store"}


def _device() -> str:
    """A short label for the account page: the browser's own description, trimmed."""
    return " ".join((request.user_agent.string or "an unknown browser").split())[:120]
