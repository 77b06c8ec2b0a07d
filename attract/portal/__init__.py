"""Self-paced learner pages: catalog, courses, lessons, progress."""

from flask import Blueprint

bp = Blueprint("portal", __name__)

from . import certificate_views, coach_views, cohort_views, quiz_views, views  # noqa: E402,F401
