"""Attract: a training platform for social selling workshops.

``create_app(config=None)`` only wires things together: configuration, extensions,
content, blueprints, CLI. It does not migrate the database or prompt; ``make run``,
``gunicorn.conf.py`` or ``flask --app app db upgrade`` do that.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click
from flask import Flask, render_template, request, session
from flask_login import user_loaded_from_cookie
from werkzeug.middleware.proxy_fix import ProxyFix

from . import database  # noqa: F401  (registers the SQLite pragmas listener)
from .accounts import renew_sign_in, user_for_sign_in
from .api import bp as api_bp
from .auth import bp as auth_bp
from .cli import register_cli
from .coach.channels import channel
from .cohorts import models as _cohort_models  # noqa: F401  (tables for create_all)
from .config import REPO_ROOT, ConfigError, build_config
from .content import ContentError, ContentStore
from .errors import register_error_handlers, reject_nul_bytes
from .extensions import LazyCookieSessionInterface, csrf, db, login, migrate
from .health import bp as health_bp
from .models import User
from .pagecache import PageCache
from .portal import bp as portal_bp
from .trainer import bp as trainer_bp
from .workshop import bp as workshop_bp
from .workshops import models as _workshop_models  # noqa: F401  (tables for create_all)

__all__ = ["ConfigError", "ContentError", "create_app"]

# Served with every response, static files and errors included: no inline script, no
# framing, no sniffing. A view may set its own value for any of them.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(REPO_ROOT / "templates"),
        static_folder=str(REPO_ROOT / "static"),
        instance_relative_config=True,
    )
    app.config.update(build_config(Path(app.instance_path), config, debug=app.debug))
    app.session_interface = LazyCookieSessionInterface()
    logging.basicConfig(level=app.config["LOG_LEVEL"])
    # basicConfig does nothing once the root logger has handlers (gunicorn's master ran
    # the migrations, whose logging setup leaves the root at WARNING): set our own
    # loggers' level, so the security log and development mail still reach the log
    logging.getLogger("attract").setLevel(app.config["LOG_LEVEL"])
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    _init_content(app)
    _init_extensions(app)
    _register_blueprints(app)
    app.add_template_global(channel, "channel_info")  # scenario cards in every blueprint

    register_error_handlers(app)
    app.before_request(reject_nul_bytes)

    @app.before_request
    def csrf_for_unsafe_methods():
        """Flask-WTF's own hook checks exemptions on every GET before it looks at the
        method; this runs the same check (exemptions included) only where it matters."""
        if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE"):
            csrf.protect(apply_exemptions=True)

    register_cli(app)

    app.wsgi_app = _with_security_headers(app.wsgi_app)
    if app.config["TRUSTED_PROXIES"]:
        # Only as many X-Forwarded-* hops as there are proxies of ours: a client can write
        # those headers too, and the rate limits count by address.
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    return app


def _with_security_headers(wsgi_app):
    """Add SECURITY_HEADERS at the WSGI layer: one list append per response, which costs
    a fraction of werkzeug's Headers.setdefault on the hot path of every page."""
    items = list(SECURITY_HEADERS.items())
    private = ("Cache-Control", "no-store")
    hsts = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")

    def app(environ, start_response):
        # A request that carries credentials (a cookie, a token) or a response that sets
        # one is somebody's: keys after an answer, results, names. No browser or proxy
        # may keep a copy unless the view says otherwise (static files say no-cache).
        # Anonymous pages (the catalog, lessons) stay cacheable.
        credentials = "HTTP_COOKIE" in environ or "HTTP_AUTHORIZATION" in environ
        secure = environ.get("wsgi.url_scheme") == "https"  # after ProxyFix, if trusted

        def start(status, headers, exc_info=None):
            present = {name.lower() for name, _ in headers}
            headers.extend(item for item in items if item[0].lower() not in present)
            if "cache-control" not in present and (credentials or "set-cookie" in present):
                headers.append(private)
            if secure and "strict-transport-security" not in present:
                headers.append(hsts)  # only over HTTPS: a browser ignores it on http
            return start_response(status, headers, exc_info)

        return wsgi_app(environ, start)

    return app


def _init_content(app: Flask) -> None:
    """Load content at start-up; invalid content stops the app, with every problem listed.

    Under the ``flask`` command the app still loads, so ``flask content check`` can report
    the problems and ``flask db upgrade`` can run; pages then answer 503 with the list.
    """
    try:
        store = ContentStore(app.config["CONTENT_DIR"], app.config["CONTENT_RELOAD_SECONDS"])
    except ContentError as exc:
        if click.get_current_context(silent=True) is None:
            raise
        print(f"Warning: the content has {len(exc.problems)} problem(s); the site answers 503 "
              "until they are fixed. `flask --app app content check` lists them.",
              file=sys.stderr)
        problems = exc.problems  # `exc` is unbound once the except block ends
        app.extensions["attract.content_problems"] = problems

        @app.before_request
        def content_unavailable():
            return render_template("errors/content.html", problems=problems), 503

        return
    app.extensions["attract.content"] = store
    if app.config["PAGE_CACHE_SIZE"] > 0:
        app.extensions["attract.page_cache"] = PageCache(app.config["PAGE_CACHE_SIZE"])


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(REPO_ROOT / "migrations"),
                     render_as_batch=app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"))
    csrf.init_app(app)
    login.init_app(app)
    login.session_protection = "strong"
    login.login_view = "auth.sign_in"
    login.login_message = "Please sign in to do that."
    login.login_message_category = "info"

    @login.user_loader
    def load_user(key: str) -> User | None:
        return user_for_sign_in(key)

    @user_loaded_from_cookie.connect_via(app)
    def renew_remembered(_app, user: User) -> None:
        # a remember-me cookie is used once: the next request gets a new one
        session["_user_id"] = renew_sign_in(user)
        session["_remember"] = "set"


def _register_blueprints(app: Flask) -> None:
    app.register_blueprint(portal_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(workshop_bp)
    app.register_blueprint(trainer_bp)
    csrf.exempt(api_bp)  # bearer tokens only, never cookies: CSRF cannot ride on them
    app.register_blueprint(api_bp)
