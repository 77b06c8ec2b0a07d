"""``flask export results``: the scope from the options, the file from ``service``."""

from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass

import click

from .. import audit
from ..accounts import find_user
from ..cohorts.models import Cohort
from ..current import library, site_url
from ..exceptions import DomainError
from ..extensions import db
from ..models import Role
from ..workshops.models import Workshop
from . import service
from .queries import Scope, row_count

PROGRESS_FROM = 5000  # rows; smaller exports finish before a bar is worth drawing


@dataclass(frozen=True)
class Operator:
    """Whoever runs the CLI holds the database already: they see what an admin sees."""

    id: int | None = None
    role: str = Role.ADMIN.value


def _viewer(as_email: str | None):
    if as_email is None:
        return Operator()
    user = find_user(as_email)
    if user is None or user.role not in (Role.TRAINER, Role.ADMIN):
        raise click.ClickException(f"No trainer account with the email {as_email}.")
    return user


def _scope(viewer, quiz, workshop_id, cohort_id) -> Scope:
    lib = library()
    cohort = workshop = None
    if quiz is not None and quiz not in lib.quizzes:
        raise click.ClickException(f"There is no quiz called '{quiz}'.")
    if cohort_id is not None:
        cohort = db.session.get(Cohort, cohort_id)
        if cohort is None or (viewer.role != Role.ADMIN and cohort.owner_id != viewer.id):
            raise click.ClickException(f"There is no cohort {cohort_id}.")
    if workshop_id is not None:
        workshop = db.session.get(Workshop, workshop_id)
        if workshop is None or (viewer.role != Role.ADMIN and workshop.owner_id != viewer.id):
            raise click.ClickException(f"There is no workshop {workshop_id}.")
    return Scope(viewer, quiz=quiz, workshop=workshop, cohort=cohort)


def run_export(*, quiz, workshop_id, cohort_id, fmt, output, as_email) -> None:
    scope = _scope(_viewer(as_email), quiz, workshop_id, cohort_id)
    lib = library()
    total = row_count(scope, lib)
    audit.event("export", via="cli", scope=scope.kind, format=fmt, rows=total,
                as_user=getattr(scope.viewer, "id", None))
    show = sys.stderr.isatty() and total >= PROGRESS_FROM
    bar = (click.progressbar(length=total, label=f"Exporting {total} answers", file=sys.stderr)
           if show else contextlib.nullcontext())
    try:
        with bar as progress, click.open_file(output, "wb") as out:
            service.write(scope, fmt, lib, out, site_url=site_url(),
                          progress=progress.update if show else None)
    except (DomainError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    if output != "-":
        click.echo(f"Wrote {total} answers to {output} ({fmt}).", err=True)
