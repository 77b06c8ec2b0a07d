"""Trainer pages: the dashboard, running a live workshop (projector and phone remote)."""

from flask import Blueprint

bp = Blueprint("trainer", __name__, url_prefix="/trainer")

from . import analysis_views, cohort_views, export_views, views  # noqa: E402,F401
