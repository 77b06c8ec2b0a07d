"""Participant pages of the live workshop: join with a code, play on a phone."""

from flask import Blueprint

bp = Blueprint("workshop", __name__)

from . import views  # noqa: E402,F401
