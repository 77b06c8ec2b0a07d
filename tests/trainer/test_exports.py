"""Downloads and the CLI: each format read back with an independent reader, and the rule
that a trainer gets only their cohorts' learners and their own workshops."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess

import openpyxl
import pytest
from jsonschema import Draft202012Validator
from ralph.models.xapi.base.statements import BaseXapiStatement

from attract.exports.jsonout import load_schema
from tests.trainer.conftest import NASTY, QUIZ
from tests.trainer.test_cohorts import _signed_in_client


def _csv(response) -> list[dict]:
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def _download(app, who: str, url: str):
    response = _signed_in_client(app, f"{who.lower()}@example.com").get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert response.headers["Cache-Control"] == "no-store"
    return response


def test_quiz_csv_holds_only_the_trainers_cohort(app, world):
    rows = _csv(_download(app, "A", f"/trainer/quizzes/{QUIZ}/results.csv"))
    assert rows and {r["email"] for r in rows} == {"l1@example.com"}
    assert {r["source"] for r in rows} == {"self-paced"}
    assert all(r["submitted_at"].endswith("Z") and r["content_version"] for r in rows)
    everyone = _csv(_download(app, "admin", f"/trainer/quizzes/{QUIZ}/results.csv"))
    assert {r["email"] for r in everyone} == {"l1@example.com", "l2@example.com"}
    nobody = _csv(_download(app, "B", f"/trainer/quizzes/{QUIZ}/results.csv"))
    assert nobody == []


def test_workshop_csv_names_members_and_keeps_strangers_anonymous(app, world):
    rows = _csv(_download(app, "A", f"/trainer/workshops/{world.workshop['id']}/results.csv"))
    assert {r["source"] for r in rows} == {"live"}
    by_learner = {r["learner"]: r for r in rows}
    member = by_learner[f"user-{world.ids['L1']}"]
    assert member["email"] == "l1@example.com" and member["cohort"] == "Leeds sales team"
    stranger = next(r for r in rows if r["learner"].startswith("participant-"))
    assert stranger["email"] == "" and stranger["name"] == "'" + NASTY  # neutralised
    assert {r["confidence"] for r in rows} <= {"high", "low", "medium"}
    assert all(float(r["seconds"]) >= 0 for r in rows)


def test_cohort_csv_joins_self_paced_and_live_work(app, world):
    rows = _csv(_download(app, "A", f"/trainer/cohorts/{world.cohort['id']}/results.csv"))
    mine = [r for r in rows if r["learner"] == f"user-{world.ids['L1']}"]
    assert {r["source"] for r in mine} == {"self-paced", "live"}
    assert "l2@example.com" not in {r["email"] for r in rows}


def test_xlsx_has_three_sheets_with_real_cells_and_no_formulas(app, world, tmp_path):
    response = _download(app, "A", f"/trainer/workshops/{world.workshop['id']}/results.xlsx")
    path = tmp_path / "results.xlsx"
    path.write_bytes(response.get_data())
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Summary", "Answers", "Items"]
    answers = book["Answers"]
    assert answers.freeze_panes == "A2" and answers.auto_filter.ref.startswith("A1:")
    header = [c.value for c in answers[1]]
    index = {name: i for i, name in enumerate(header)}
    body = list(answers.iter_rows(min_row=2))
    nasty = [row for row in body if str(row[index["name"]].value).endswith(NASTY)]
    assert nasty and all(r[index["name"]].data_type == "s" and
                         r[index["name"]].value == "'" + NASTY for r in nasty)
    assert all(isinstance(r[index["points"]].value, int | float) for r in body)
    assert all(r[index["submitted_at"]].is_date for r in body)
    assert book["Summary"].max_row == 1 + 2  # the member and the stranger


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")),
                    reason="LibreOffice is not installed")
def test_libreoffice_opens_the_xlsx(app, world, tmp_path):
    response = _download(app, "A", f"/trainer/cohorts/{world.cohort['id']}/results.xlsx")
    (tmp_path / "results.xlsx").write_bytes(response.get_data())
    office = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "csv", "--outdir", str(tmp_path),
                    str(tmp_path / "results.xlsx")], check=True, timeout=120,
                   capture_output=True)
    text = (tmp_path / "results.csv").read_text(encoding="utf-8", errors="replace")
    assert "l1@example.com" in text  # the Summary sheet, first


def test_json_validates_against_the_published_schema(app, world):
    response = _download(app, "A", f"/trainer/cohorts/{world.cohort['id']}/results.json")
    document = json.loads(response.get_data())
    Draft202012Validator(load_schema()).validate(document)
    assert document["scope"]["kind"] == "cohort"
    assert {a["source"] for a in document["answers"]} == {"self-paced", "live"}


def test_every_xapi_statement_validates(app, world):
    response = _download(app, "A", f"/trainer/xapi.jsonl?cohort={world.cohort['id']}")
    lines = response.get_data(as_text=True).splitlines()
    assert lines
    verbs = set()
    for line in lines:
        statement = json.loads(line)
        BaseXapiStatement.model_validate(statement)
        verbs.add(statement["verb"]["id"].rsplit("/", 1)[-1])
        assert NASTY not in line and "l1@example.com" not in line
    assert {"answered", "completed", "failed"} <= verbs
    everything = _download(app, "A", "/trainer/xapi.jsonl").get_data(as_text=True)
    assert len(everything.splitlines()) >= len(lines)


@pytest.mark.parametrize("url", [
    "/trainer/quizzes/nope/results.csv", f"/trainer/quizzes/{QUIZ}/results.pdf",
    f"/trainer/quizzes/{QUIZ}/results.csv?cohort=abc",
    f"/trainer/quizzes/{QUIZ}/results.csv?cohort=%C2%B2",
    f"/trainer/quizzes/{QUIZ}/results.csv?cohort=999", "/trainer/workshops/999/results.csv",
    "/trainer/cohorts/999/results.json", "/trainer/xapi.jsonl?workshop=x",
    "/trainer/xapi.jsonl?quiz=nope", "/trainer/xapi.jsonl?workshop=999",
])
def test_bad_export_addresses_are_404s(app, world, url):
    assert _signed_in_client(app, "a@example.com").get(url).status_code == 404


def test_the_cli_writes_the_same_files(app, world, tmp_path):
    runner = app.test_cli_runner()
    for fmt in ("csv", "xlsx", "json", "xapi"):
        out = tmp_path / f"out.{fmt}"
        result = runner.invoke(args=["export", "results", "--workshop",
                                     str(world.workshop["id"]), "--format", fmt, "-o",
                                     str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0
    rows = list(csv.DictReader(io.StringIO(
        (tmp_path / "out.csv").read_text(encoding="utf-8-sig"), newline="")))
    assert {r["source"] for r in rows} == {"live"}
    assert openpyxl.load_workbook(tmp_path / "out.xlsx").sheetnames[0] == "Summary"
    Draft202012Validator(load_schema()).validate(json.loads((tmp_path / "out.json").read_text()))
    for line in (tmp_path / "out.xapi").read_text().splitlines():
        BaseXapiStatement.model_validate(json.loads(line))
    mine = runner.invoke(args=["export", "results", "--quiz", QUIZ, "--as", "b@example.com",
                               "--format", "csv", "-o", str(tmp_path / "b.csv")])
    assert mine.exit_code == 0, mine.output
    assert len((tmp_path / "b.csv").read_text(encoding="utf-8-sig").splitlines()) == 1


@pytest.mark.parametrize("args", [
    [], ["--quiz", QUIZ, "--workshop", "1"], ["--workshop", "1", "--cohort", "1"],
    ["--quiz", "nope"], ["--workshop", "999"], ["--cohort", "999"],
    ["--quiz", QUIZ, "--as", "l1@example.com"], ["--quiz", QUIZ, "--format", "pdf"],
])
def test_the_cli_refuses_bad_arguments_with_a_message(app, world, tmp_path, args):
    if "--format" not in args:
        args = [*args, "--format", "csv"]
    result = app.test_cli_runner().invoke(args=["export", "results", *args, "-o",
                                                str(tmp_path / "x.csv")])
    assert result.exit_code != 0
    assert "Traceback" not in result.output and result.output.strip()
    assert not (tmp_path / "x.csv").exists()


def test_the_progress_callback_counts_every_row(app, world, tmp_path):
    """What the CLI's progress bar is fed: one tick per answer, as many as row_count says."""
    from attract.current import library
    from attract.exports import service
    from attract.exports.cli import Operator
    from attract.exports.queries import Scope, row_count

    ticks = []
    with app.test_request_context():
        scope = Scope(Operator())
        total = row_count(scope, library())
        with (tmp_path / "all.csv").open("wb") as out:
            service.write(scope, "csv", library(), out, site_url="http://x",
                          progress=ticks.append)
    assert total > 0 and len(ticks) == total
    lines = (tmp_path / "all.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == total + 1
