from flask import g, request

from .. import audit
from ..accounts import authenticate, issue_token
from ..content import Course, Library
from ..content.progress import Step
from ..current import course_or_404, external_url, lesson_or_404, library
from ..progress import learner_progress
from ..ratelimit import sign_in_allowance, sign_in_failed
from ..reading import mark_read, mark_unread, record_open
from . import bp
from .util import ApiError, bearer_user, json_body, text_field, token_required


@bp.post("/tokens")
def create_token():
    body = json_body()
    email = text_field(body, "email", 254)
    password = text_field(body, "password", 200)
    sign_in_allowance(email, request.remote_addr)  # before hashing: a flood costs no argon2
    user = authenticate(email, password)
    if user is None:
        sign_in_failed(email, request.remote_addr)
        raise ApiError(401, "invalid_credentials", "The email or password is not right.",
                       {"WWW-Authenticate": "Bearer"})
    audit.event("sign_in.success", user=user.id, via="api_token")
    return {"token": issue_token(user), "user": {"email": user.email, "role": user.role}}, 201


def _course_summary(course: Course) -> dict:
    lib = library()
    return {
        "slug": course.slug, "title": course.title, "summary": course.summary,
        "audience": course.audience, "pass_mark": course.pass_mark,
        "minutes": course.minutes(lib), "lessons": len(course.lesson_slugs()),
        "url": external_url("portal.course", slug=course.slug),
    }


@bp.get("/courses")
def list_courses():
    return {"courses": [_course_summary(c) for c in library().courses.values()]}


def _step(step: Step, lib: Library, signed_in: bool) -> dict:
    item = step.item
    answer = {"kind": item.kind, "slug": item.slug, "title": lib.title_of(item)}
    if signed_in:
        answer["done"] = step.done
        if item.kind == "lesson":
            answer["read"] = step.done
    return answer


@bp.get("/courses/<slug>")
def get_course(slug: str):
    lib = library()
    course = course_or_404(slug)
    user = bearer_user()
    progress = learner_progress(user.id if user else None, course, lib)
    answer = _course_summary(course)
    answer["modules"] = [
        {"title": module.module.title,
         "items": [_step(step, lib, signed_in=user is not None) for step in module.steps]}
        for module in progress.modules]
    if user:
        answer["progress"] = {"done": progress.done, "total": progress.total,
                              "percent": progress.percent}
    return answer


@bp.get("/lessons/<slug>")
def get_lesson(slug: str):
    """The lesson; with a token, it counts as opened, so it can then be marked read."""
    lesson = lesson_or_404(slug)
    user = bearer_user()
    if user is not None:
        record_open(user.id, lesson.slug)
    return {
        "slug": lesson.slug, "title": lesson.title, "summary": lesson.summary,
        "minutes": lesson.minutes, "objectives": list(lesson.objectives),
        "sources": [{"title": s.title, "author": s.author, "year": s.year}
                    for s in lesson.sources],
        "html": lesson.html,
        "slides": [{"index": s.index, "title": s.title, "html": s.html} for s in lesson.slides],
    }


@bp.put("/lessons/<slug>/read")
@token_required
def put_read(slug: str):
    mark_read(g.api_user.id, lesson_or_404(slug).slug)
    return {"lesson": slug, "read": True}


@bp.delete("/lessons/<slug>/read")
@token_required
def delete_read(slug: str):
    mark_unread(g.api_user.id, lesson_or_404(slug).slug)
    return {"lesson": slug, "read": False}
