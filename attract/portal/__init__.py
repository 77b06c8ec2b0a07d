"""Self-paced learner pages: catalog, courses, lessons, progress."""

from flask import Blueprint

bp = Blueprint("portal", __name__)

from . import quiz_views, views  # noqa: E402,F401
