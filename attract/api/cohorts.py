"""Cohorts over JSON: a trainer makes one and reads its learners' progress."""

from __future__ import annotations

from flask import g

from ..cohorts import operations
from ..cohorts.operations import invite_url
from ..cohorts.progress import members_progress
from ..current import library
from ..models import Role
from . import bp
from .util import ApiError, json_body, token_required


def _trainer():
    if g.api_user.role not in (Role.TRAINER, Role.ADMIN):
        raise ApiError(403, "forbidden", "Only trainers can have cohorts.")
    return g.api_user


@bp.post("/cohorts")
@token_required
def create_cohort():
    trainer = _trainer()
    body = json_body()
    cohort = operations.create(trainer, library(), name=body.get("name"),
                               course=body.get("course"),
                               expires_in_days=body.get("expires_in_days"))
    return {"id": cohort.id, "name": cohort.name, "course": cohort.course_slug,
            "invite_url": invite_url(cohort)}, 201, {"Cache-Control": "no-store"}


@bp.get("/cohorts/<int:cohort_id>")
@token_required
def cohort_detail(cohort_id: int):
    cohort = operations.owned(cohort_id, _trainer())
    lib = library()
    course = lib.courses.get(cohort.course_slug)
    quizzes = [i.slug for i in course.items if i.kind == "quiz"] if course else []
    return {"id": cohort.id, "name": cohort.name, "course": cohort.course_slug,
            "invite_url": invite_url(cohort),
            "learners": [m.as_json(quizzes) for m in members_progress(cohort, lib)]
            }, 200, {"Cache-Control": "no-store"}
