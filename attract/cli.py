"""``flask --app app ...`` commands: content check, users, coach analyse, attempts regrade.

Each calls the same domain functions the web views and the API use.
"""

from __future__ import annotations

import json
import sys

import click
from email_validator import EmailNotValidError, validate_email
from flask import Flask, current_app
from flask.cli import AppGroup

from .accounts import AccountError, create_user, find_user, issue_token
from .attempts import regrade_all_pending
from .coach import CoachInputError, analyse
from .content import ContentError, load_library
from .current import library
from .models import Role

content_cli = AppGroup("content", help="Check course, lesson and quiz files.")
users_cli = AppGroup("users", help="Create accounts and API tokens.")


@content_cli.command("check")
@click.option("--dir", "directory", type=click.Path(file_okay=False),
              help="Content folder to check (default: CONTENT_DIR).")
def content_check(directory: str | None) -> None:
    """Validate every course, lesson and quiz; print path:line: message; exit 1 on any error."""
    root = directory or current_app.config["CONTENT_DIR"]
    try:
        lib = load_library(root)
    except ContentError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(exc.problems)} problem(s) found.", err=True)
        sys.exit(1)
    for warning in lib.warnings:
        click.echo(str(warning), err=True)
    click.echo(f"Content OK: {len(lib.courses)} course(s), {len(lib.lessons)} lesson(s), "
               f"{len(lib.quizzes)} quiz(zes) in {root}")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([role.value for role in Role]),
              default=Role.LEARNER.value, show_default=True)
@click.option("--name", default="", help="Display name (default: the part before @).")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="Prompted for when omitted.")
def users_create(email: str, role: str, name: str, password: str) -> None:
    """Create an account with EMAIL."""
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        raise click.BadParameter(str(exc), param_hint="EMAIL") from None
    try:
        user = create_user(email, password, name, role)
    except AccountError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Created {user.role} {user.email} (id {user.id}).")


@users_cli.command("token")
@click.argument("email")
def users_token(email: str) -> None:
    """Print a new API token for EMAIL (shown once; only its hash is stored)."""
    user = find_user(email)
    if user is None:
        raise click.ClickException(f"No account with the email {email}.")
    click.echo(issue_token(user))


attempts_cli = AppGroup("attempts", help="Maintain quiz attempts.")
coach_cli = AppGroup("coach", help="Score outreach drafts with the message coach.")


@coach_cli.command("analyse")
@click.option("--jsonl", "source", required=True, type=click.File("rb"),
              help="One JSON object per line: {text, recipient?, channel?}; '-' for stdin.")
def coach_analyse(source) -> None:
    """Score every draft in a JSON-lines file: one line out per line in, same order.

    A line that cannot be analysed gets {"error": "..."} in its place and the rest go
    on; the exit status is 1 if any line failed.
    """
    failed = 0
    for number, raw in enumerate(source, start=1):
        try:
            line = raw.decode("utf-8")
            item = json.loads(line)
            if not isinstance(item, dict):
                raise ValueError("each line must be a JSON object with a 'text'")
            if "text" not in item:
                raise ValueError("missing 'text'")
            result = analyse(item["text"], item.get("recipient"), item.get("channel"))
            out = result.to_dict()
        except UnicodeDecodeError as exc:
            out = {"error": f"line {number}: not valid UTF-8 (byte {exc.start})"}
        except json.JSONDecodeError as exc:
            out = {"error": f"line {number}: not valid JSON ({exc.msg})"}
        except (CoachInputError, ValueError) as exc:
            out = {"error": f"line {number}: {exc}"}
        failed += "error" in out
        click.echo(json.dumps(out, ensure_ascii=False))
    if failed:
        click.echo(f"{failed} line(s) could not be analysed.", err=True)
        sys.exit(1)


@coach_cli.command("train")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Where to write the weights (default: the coach's own judge.json).")
def coach_train(files, output) -> None:
    """Refit the coach's judge on labelled JSON-lines files (default: tests/data/*.jsonl,
    never tests/data/sealed/). Deterministic: the same files give the same weights."""
    from pathlib import Path

    from .coach.judge import WEIGHTS
    from .coach.train import train
    from .config import REPO_ROOT

    paths = [Path(f) for f in files] or sorted((REPO_ROOT / "tests" / "data").glob("*.jsonl"))
    if not paths:
        raise click.UsageError("no labelled files given or found in tests/data/")
    total = sum(1 for p in paths for line in p.read_text(encoding="utf-8").splitlines()
                if line.strip())
    with click.progressbar(length=total, label="Reading messages", file=sys.stderr) as bar:
        train(paths, Path(output) if output else WEIGHTS, report=click.echo,
              progress=bar.update)


@attempts_cli.command("regrade")
def attempts_regrade() -> None:
    """Grade answers stored as 'awaiting grading' (rewrites from before the coach)."""
    changed = regrade_all_pending(library().quizzes)
    click.echo(f"Regraded {changed} attempt(s).")


export_cli = AppGroup("export", help="Export results for trainers.")


@export_cli.command("results")
@click.option("--quiz", "quiz", metavar="SLUG", help="One quiz's self-paced results.")
@click.option("--workshop", "workshop_id", type=int, metavar="ID", help="One workshop.")
@click.option("--cohort", "cohort_id", type=int, metavar="ID",
              help="One cohort (with --quiz: that quiz, narrowed to the cohort).")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "json", "xapi"]),
              required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              required=True, help="File to write ('-' for standard output; not for xlsx).")
@click.option("--as", "as_email", metavar="EMAIL",
              help="Export only what this trainer may see (default: everything).")
def export_results(quiz, workshop_id, cohort_id, fmt, output, as_email) -> None:
    """Write results as CSV, XLSX, JSON or xAPI statements (JSON Lines).

    The file is the one the trainer's download links give. A progress bar shows on a
    terminal for large exports.
    """
    from .exports.cli import run_export  # the exports glue imports the models

    if sum(x is not None for x in (quiz, workshop_id)) + (
            cohort_id is not None and quiz is None) != 1:
        raise click.UsageError("Give exactly one of --quiz SLUG, --workshop ID or "
                               "--cohort ID (--cohort may also narrow --quiz).")
    if fmt == "xlsx" and output == "-":
        raise click.UsageError("An XLSX workbook needs a file: give -o FILE.xlsx.")
    run_export(quiz=quiz, workshop_id=workshop_id, cohort_id=cohort_id, fmt=fmt,
               output=output, as_email=as_email)


def _add_backup_commands() -> None:
    """``db backup`` and ``db restore``, beside Flask-Migrate's ``db upgrade``."""
    from flask_migrate.cli import db as db_cli

    from .backup import BackupError, backup, restore

    if "backup" in db_cli.commands:
        return

    @db_cli.command("backup")
    @click.argument("target", type=click.Path(dir_okay=False))
    def db_backup(target) -> None:
        """Copy the whole database to TARGET (safe while the site serves)."""
        from pathlib import Path

        try:
            backup(current_app.config["SQLALCHEMY_DATABASE_URI"], Path(target))
        except (BackupError, OSError) as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"Backed up the database to {target}.")

    @db_cli.command("restore")
    @click.argument("source", type=click.Path(exists=True, dir_okay=False))
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    def db_restore(source, yes) -> None:
        """Replace everything in the database with SOURCE (stop the site first)."""
        from pathlib import Path

        if not yes:
            click.confirm("This replaces everything in the database. Go on?", abort=True)
        try:
            restore(current_app.config["SQLALCHEMY_DATABASE_URI"], Path(source))
        except (BackupError, OSError) as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"Restored the database from {source}; run `db upgrade` if it is older.")


def register_cli(app: Flask) -> None:
    _add_backup_commands()
    app.cli.add_command(content_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(attempts_cli)
    app.cli.add_command(coach_cli)
    app.cli.add_command(export_cli)
