"""Liveness: ``/healthz`` answers 200 when the database is reachable, 503 otherwise."""

from flask import Blueprint, jsonify

from .database import ping

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    if ping():
        return jsonify(status="ok", database="ok")
    return jsonify(status="unavailable", database="unreachable"), 503
