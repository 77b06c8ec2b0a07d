from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..certificates import find_certificate
from ..cohorts.progress import learner_record
from ..content.progress import course_progress
from ..current import course_or_404, lesson_or_404, library
from ..pagecache import cached_for_anonymous
from ..progress import finished, learner_progress
from ..reading import is_read, mark_read, mark_unread, record_open
from . import bp
from .forms import CsrfForm, ReadForm


def _learner_id() -> int | None:
    return current_user.id if current_user.is_authenticated else None


def item_url(item, course=None) -> str:
    """Where a course step lives: a lesson page or a quiz's start page."""
    endpoint = ".lesson" if item.kind == "lesson" else ".quiz"
    return url_for(endpoint, slug=item.slug, course=course.slug if course else None)


bp.add_app_template_global(item_url)


@bp.get("/")
@cached_for_anonymous
def catalog():
    lib = library()
    done = finished(_learner_id(), lib)
    courses = [(course, course_progress(course, *done)) for course in lib.courses.values()]
    return render_template("portal/catalog.html", courses=courses, library=lib)


@bp.get("/courses/<slug>")
@cached_for_anonymous
def course(slug: str):
    lib = library()
    course = course_or_404(slug)
    progress = learner_progress(_learner_id(), course, lib)
    signed_in = current_user.is_authenticated
    certificate = find_certificate(current_user.id, slug) if signed_in else None
    cohorts = learner_record(current_user.id, slug) if signed_in else []
    return render_template("portal/course.html", course=course, progress=progress,
                           library=lib, cohorts=cohorts,
                           certificate=certificate,
                           form=CsrfForm() if signed_in and progress.complete else None)


def _course_context(slug: str):
    """The course a lesson is being read in: ``?course=`` when it names one, else the first."""
    lib = library()
    courses = lib.courses_with("lesson", slug)
    wanted = request.args.get("course")
    chosen = next((c for c in courses if c.slug == wanted), courses[0] if courses else None)
    if chosen is None:
        return None, None, None
    before, after = lib.neighbours(chosen, "lesson", slug)
    return chosen, before, after


@bp.get("/lessons/<slug>")
@cached_for_anonymous
def lesson(slug: str):
    lesson = lesson_or_404(slug)
    course, before, after = _course_context(slug)
    signed_in = current_user.is_authenticated
    if signed_in:
        record_open(current_user.id, slug)
    # Only signed-in readers get the form: its CSRF token would give anonymous readers a
    # session cookie and make every lesson view uncacheable.
    return render_template("portal/lesson.html", lesson=lesson, course=course, before=before,
                           after=after, read=signed_in and is_read(current_user.id, slug),
                           form=ReadForm() if signed_in else None, library=library())


@bp.post("/lessons/<slug>/read")
@login_required
def mark_lesson(slug: str):
    lesson = lesson_or_404(slug)
    form = ReadForm()
    if not form.validate_on_submit():
        flash("That request could not be checked; reload the page and try again.", "error")
        return redirect(url_for(".lesson", slug=slug)), 303
    if form.read.data == "0":
        mark_unread(current_user.id, slug)
        flash(f"“{lesson.title}” is marked as not read.", "info")
        return redirect(url_for(".lesson", slug=slug, course=request.args.get("course"))), 303
    mark_read(current_user.id, slug)
    flash(f"“{lesson.title}” is marked as read.", "success")
    course, _, after = _course_context(slug)
    if after is not None:
        return redirect(item_url(after, course)), 303
    if course is not None:
        return redirect(url_for(".course", slug=course.slug)), 303
    return redirect(url_for(".lesson", slug=slug)), 303
