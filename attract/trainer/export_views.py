"""Downloads: ``/trainer/.../results.<format>`` and ``/trainer/xapi.jsonl``.

Each answers as an attachment, never cached, and streams: CSV, JSON and xAPI are
generators run inside the request's context; XLSX is sent from a temporary file that the
response closes (and so deletes) when it is done.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Response, request, stream_with_context
from flask_login import current_user

from .. import audit
from ..cohorts import operations as cohorts
from ..current import library, quiz_or_404, site_url
from ..exceptions import DomainError, NotFound
from ..exports import service
from ..exports.queries import Scope
from ..numbers import small_int
from ..workshops import operations as workshops
from . import bp
from .guard import trainer_required

PAGE_FORMATS = ("csv", "xlsx", "json")


def _id_arg(name: str, what: str) -> int | None:
    """The id in query argument ``name``, or None when it is absent or empty; 404 ("There
    is no such <what>.") when it is not a number."""
    raw = request.args.get(name, "")
    if raw == "":
        return None
    number = small_int(raw)
    if number is None:
        raise NotFound(f"There is no such {what}.")
    return number


def _cohort_arg():
    cohort_id = _id_arg("cohort", "cohort")
    return None if cohort_id is None else cohorts.owned(cohort_id, current_user)


def _download(scope: Scope, fmt: str) -> Response:
    if fmt not in service.FORMATS:
        raise DomainError(404, "unknown_format",
                          "Results download as .csv, .xlsx, .json or (xAPI) .jsonl.")
    lib = library()
    now = datetime.now(UTC)
    audit.event("export", user=current_user.id, scope=scope.kind, format=fmt,
                quiz=scope.quiz, workshop=scope.workshop.id if scope.workshop else None,
                cohort=scope.cohort.id if scope.cohort else None)
    headers = {"Content-Disposition":
               f'attachment; filename="{service.filename(scope, fmt, now)}"',
               "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
    if fmt == "xlsx":
        spool = service.workbook_file(scope, lib, site_url=site_url())
        response = Response(_file_chunks(spool), mimetype=service.MEDIA_TYPES[fmt],
                            headers=headers)
        response.call_on_close(spool.close)  # a response dropped before it was read
        return response
    chunks = service.text_chunks(scope, fmt, lib, site_url=site_url(), now=now)
    return Response(stream_with_context(chunk.encode("utf-8") for chunk in chunks),
                    content_type=service.MEDIA_TYPES[fmt], headers=headers)


def _file_chunks(spool, size: int = 64 * 1024):
    try:
        while chunk := spool.read(size):
            yield chunk
    finally:  # sent, or the client went away: the temporary file goes either way
        spool.close()


def _format(fmt: str) -> str:
    if fmt not in PAGE_FORMATS:
        raise DomainError(404, "unknown_format", "Results download as .csv, .xlsx or .json; "
                                                 "xAPI statements are at /trainer/xapi.jsonl.")
    return fmt


@bp.get("/quizzes/<slug>/results.<fmt>")
@trainer_required
def quiz_results(slug: str, fmt: str):
    quiz_or_404(slug)
    return _download(Scope(current_user, quiz=slug, cohort=_cohort_arg()), _format(fmt))


@bp.get("/cohorts/<int:cohort_id>/results.<fmt>")
@trainer_required
def cohort_results(cohort_id: int, fmt: str):
    cohort = cohorts.owned(cohort_id, current_user)
    return _download(Scope(current_user, cohort=cohort), _format(fmt))


@bp.get("/workshops/<int:workshop_id>/results.<fmt>")
@trainer_required
def workshop_results(workshop_id: int, fmt: str):
    workshop = workshops.owned(workshop_id, current_user)
    return _download(Scope(current_user, workshop=workshop), _format(fmt))


@bp.get("/xapi.jsonl")
@trainer_required
def xapi_statements():
    """Everything the trainer may see, or one quiz, cohort or workshop of it."""
    quiz = request.args.get("quiz") or None
    if quiz is not None:
        quiz_or_404(quiz)
    workshop_id = _id_arg("workshop", "workshop")
    workshop = None if workshop_id is None else workshops.owned(workshop_id, current_user)
    scope = Scope(current_user, quiz=quiz, workshop=workshop, cohort=_cohort_arg())
    return _download(scope, "xapi")
