from flask import g, url_for

from ..attempts import passed_quizzes
from ..auth.operations import authenticate, issue_token
from ..content import Course, Lesson
from ..content.progress import course_progress, is_done
from ..current import library
from ..portal.operations import mark_read, mark_unread, read_lessons
from . import bp
from .util import ApiError, bearer_user, json_body, text_field, token_required


@bp.post("/tokens")
def create_token():
    body = json_body()
    email = text_field(body, "email", 254)
    password = text_field(body, "password", 200)
    user = authenticate(email, password)
    if user is None:
        raise ApiError(401, "invalid_credentials", "The email or password is not right.",
                       {"WWW-Authenticate": "Bearer"})
    return {"token": issue_token(user), "user": {"email": user.email, "role": user.role}}, 201


def _course_summary(course: Course) -> dict:
    lib = library()
    return {
        "slug": course.slug, "title": course.title, "summary": course.summary,
        "audience": course.audience, "pass_mark": course.pass_mark,
        "minutes": course.minutes(lib), "lessons": len(course.lesson_slugs()),
        "url": url_for("portal.course", slug=course.slug, _external=True),
    }


def _not_found(kind: str, slug: str) -> ApiError:
    return ApiError(404, "not_found", f"There is no {kind} called '{slug}'.")


@bp.get("/courses")
def list_courses():
    return {"courses": [_course_summary(c) for c in library().courses.values()]}


@bp.get("/courses/<slug>")
def get_course(slug: str):
    lib = library()
    course = lib.courses.get(slug)
    if course is None:
        raise _not_found("course", slug)
    user = bearer_user()
    read = read_lessons(user.id) if user else set()
    passed = passed_quizzes(user.id, lib.quizzes) if user else set()
    answer = _course_summary(course)
    answer["modules"] = [
        {"title": module.title, "items": [
            {"kind": item.kind, "slug": item.slug, "title": lib.title_of(item),
             **({"done": is_done(item, read, passed)} if user else {}),
             **({"read": item.slug in read} if user and item.kind == "lesson" else {})}
            for item in module.items]}
        for module in course.modules
    ]
    if user:
        progress = course_progress(course, read, passed)
        answer["progress"] = {"done": progress.done, "total": progress.total,
                              "percent": progress.percent}
    return answer


def _lesson(slug: str) -> Lesson:
    lesson = library().lessons.get(slug)
    if lesson is None:
        raise _not_found("lesson", slug)
    return lesson


@bp.get("/lessons/<slug>")
def get_lesson(slug: str):
    lesson = _lesson(slug)
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
    mark_read(g.api_user.id, _lesson(slug).slug)
    return {"lesson": slug, "read": True}


@bp.delete("/lessons/<slug>/read")
@token_required
def delete_read(slug: str):
    mark_unread(g.api_user.id, _lesson(slug).slug)
    return {"lesson": slug, "read": False}
