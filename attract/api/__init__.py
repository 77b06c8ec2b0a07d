"""JSON API (DESIGN.md's contract): JSON in, JSON out, bearer tokens, never cookies."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api")

from . import coach, quizzes, views  # noqa: E402,F401
