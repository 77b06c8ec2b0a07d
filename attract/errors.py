"""Error pages for people and JSON errors for the API: a clear message, never a traceback."""

from __future__ import annotations

import contextlib
import logging

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.http import HTTP_STATUS_CODES

from . import audit
from .exceptions import DomainError
from .extensions import db

log = logging.getLogger(__name__)

# What a person can do about each error, in their words rather than HTTP's.
MESSAGES = {
    400: "The request could not be understood. Check what you sent and try again.",
    401: "Please sign in first.",
    403: "You do not have access to this page.",
    404: "We could not find that page. It may have moved, or the address may be mistyped.",
    405: "That action is not allowed here.",
    409: "That conflicts with what is already saved.",
    413: "That is more than we accept in one request.",
    415: "Send the body as JSON with Content-Type: application/json.",
    422: "Some of what you sent is not valid.",
    429: "Too many requests. Wait a moment and try again.",
    500: "Something went wrong on our side. Nothing you saved was lost; please try again.",
    503: "The service is not available right now. Please try again shortly.",
}
CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 409: "conflict", 413: "too_large",
         415: "unsupported_media_type", 422: "invalid", 429: "rate_limited",
         500: "server_error", 503: "unavailable"}


def wants_json() -> bool:
    """The API, the health check, and the pages' own scripts (which send JSON or ask
    for it: the live room's controls and join form) get JSON errors."""
    if request.path.startswith("/api/") or request.path == "/healthz":
        return True
    return request.is_json or request.accept_mimetypes.best == "application/json"


def json_error(status: int, code: str | None = None, message: str | None = None):
    body = {"error": code or CODES.get(status, "error"),
            "message": message or MESSAGES.get(status, "Request failed.")}
    response = jsonify(body)
    response.status_code = status
    return response


def reject_nul_bytes():
    """Refuse NUL characters anywhere in a request, once, for every view.

    No text we keep can contain one, and PostgreSQL refuses them outright (SQLite stores
    them silently), so without this a stray ``%00`` in a form, a query string or a JSON
    body became a database error instead of a clear 400. It reads the raw request (no
    form parsing), so the hot path of every page pays almost nothing.
    """
    query = request.query_string
    found = "\x00" in request.path or b"%00" in query or b"\x00" in query
    if not found and (request.content_length or request.method not in ("GET", "HEAD")):
        form = request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data")
        raw = request.get_data(cache=True)  # kept, so the view can still parse it
        found = (b"\x00" in raw or (request.is_json and b"\\u0000" in raw)
                 or (form and b"%00" in raw))
        if not found and form and not raw:
            # CSRF protection parsed the form first, which consumed the body: read that
            found = any("\x00" in value for _, values in request.form.lists()
                        for value in values)
    if not found:
        return None
    message = "The request contains a NUL character, which no field accepts."
    if wants_json():
        return json_error(400, "invalid_characters", message)
    return render_template("errors/error.html", status=400, title="Bad request",
                           message=message), 400


def _title(status: int) -> str:
    name = HTTP_STATUS_CODES.get(status, "Error")
    return name[:1] + name[1:].lower()  # "Not found", as the site writes


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        """The one translation of a refused action: JSON under /api/, a page elsewhere."""
        if error.status in (401, 403) and error.code != "invalid_credentials":
            audit.event("access.refused", status=error.status, code=error.code)
        if wants_json():
            response = json_error(error.status, error.code, error.message)
        else:
            response = app.make_response((render_template(
                "errors/error.html", status=error.status, title=_title(error.status),
                message=error.message), error.status))
        response.headers.update(error.headers)
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        audit.event("csrf.refused")
        message = ("This form has expired or was sent from another site. "
                   "Go back, reload the page and try again; nothing was changed.")
        if wants_json():
            return json_error(400, "csrf_failed", message)
        return render_template("errors/error.html", status=400, title="Form expired",
                               message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.response is not None:  # abort(response): already a finished answer
            return error.response
        status = error.code or 500
        if status in (401, 403):
            audit.event("access.refused", status=status)
        # Our own abort(status, description=...) says something specific; werkzeug's
        # stock descriptions are replaced by ours, which say what a person can do.
        custom = error.description and error.description != type(error).description
        message = error.description if custom else MESSAGES.get(status, error.description)
        if wants_json():
            response = json_error(status, message=message)
        else:
            response = app.make_response((render_template(
                "errors/error.html", status=status, title=_title(status), message=message),
                status))
        for header in ("Allow", "WWW-Authenticate", "Retry-After"):
            if header in error.get_response().headers:
                response.headers[header] = error.get_response().headers[header]
        return response

    @app.errorhandler(OperationalError)
    def database_unavailable(error: OperationalError):
        """The database is down, restarting, read-only or out of disk: a 503 that says
        nothing was saved, at once, instead of a 500. The session is rolled back, so
        nothing half-written is acknowledged; pool_pre_ping (PostgreSQL) replaces dead
        connections on the next request, so the site recovers without a restart."""
        with contextlib.suppress(Exception):  # the connection may be gone too
            db.session.rollback()
        log.warning("database unavailable on %s %s: %s", request.method,
                    request.url_rule.rule if request.url_rule else "-",
                    str(error.orig).splitlines()[0] if error.orig else error)
        message = ("The database is not available right now, so nothing was saved. "
                   "Try again in a moment.")
        if wants_json():
            response = json_error(503, "database_unavailable", message)
        else:
            response = app.make_response((render_template(
                "errors/error.html", status=503, title="Not available", message=message),
                503))
        response.headers["Retry-After"] = "5"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(InternalServerError)
    def server_error(error: InternalServerError):
        log.exception("unhandled error on %s %s", request.method, request.path,
                      exc_info=error.original_exception)
        if wants_json():
            return json_error(500)
        return render_template("errors/error.html", status=500, title="Something went wrong",
                               message=MESSAGES[500]), 500
