"""JSON API: JSON in, JSON out, bearer tokens, never cookies (the contract is in the README)."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api")

from . import coach, cohorts, openapi, quizzes, views, workshops  # noqa: E402,F401
