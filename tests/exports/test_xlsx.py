"""The XLSX export, read back with openpyxl: sheets, headers, types, safe text, items."""

import csv
import os
import shutil
import subprocess
import tempfile
import zipfile
from datetime import UTC, datetime, timedelta, timezone

import pytest
from openpyxl import load_workbook

from attract.analysis import item_analysis
from attract.exports.items import ITEM_HEADERS, OVERALL_HEADERS
from attract.exports.rows import HEADERS, LIVE, SELF_PACED, SUMMARY_HEADERS, AnswerRow
from attract.exports.xlsx import write_workbook

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
HOSTILE = ['=HYPERLINK("http://x","y")', "  =1+1", "-2", "@SUM(A1)", "\t=x"]


def make_row(learner, name, attempt_id, question, fraction, *, source=SELF_PACED, attempt=1,
             points=None, submitted_at=START, answer="a"):
    live = source == LIVE
    max_points = 1000.0 if live else 1.0
    return AnswerRow(
        learner=learner, user_id=None if live else int(learner.split("-")[1]), name=name,
        email=None if live else f"{learner}@example.org", cohort="Spring" if not live else None,
        course="social", quiz="pitch", workshop_id=7 if live else None, source=source,
        attempt_id=attempt_id, attempt=None if live else attempt, question_id=question,
        question_type="choice", answer=answer, fraction=fraction,
        points=points if points is not None else fraction * max_points,
        max_points=max_points, confidence="high" if live else None,
        seconds=4.5 if live else None, submitted_at=submitted_at, content_version="abc123",
        started_at=START, finished_at=START + timedelta(minutes=5),
        score=None if live else 50.0, passed=None if live else False)


MARKS = [{"q1": 1, "q2": 0}, {"q1": 1, "q2": 1}, {"q1": 0, "q2": 0}, {"q1": 1, "q2": 0},
         {"q1": 0, "q2": 1}, {"q1": 1, "q2": 1}, {"q1": 0, "q2": 0}, {"q1": 1, "q2": 1}]
NAMES = ["Ana", *HOSTILE, "bad\x01name", "Zoé 🎉"]


def sample_rows():
    """Two self-paced learners, six live nicknames (the hostile ones); Ana tries twice."""
    rows = []
    for n, (name, marks) in enumerate(zip(NAMES, MARKS, strict=True)):
        live = n >= 2
        learner = f"participant-{n}" if live else f"user-{n}"
        for q, fraction in marks.items():
            rows.append(make_row(
                learner, name, 100 + n, q, fraction, source=LIVE if live else SELF_PACED,
                # confidently wrong costs live points: a negative number
                points=-2000.0 if live and not fraction else None,
                answer=["a", "c"] if q == "q2" else "b"))
    # Ana's second attempt, which first_only leaves out of the item analysis
    rows += [make_row("user-0", "Ana", 99, q, 1.0, attempt=2) for q in ("q1", "q2")]
    return rows


@pytest.fixture
def book(tmp_path):
    path = tmp_path / "results.xlsx"
    with path.open("wb") as out:
        write_workbook(out, iter(sample_rows()), titles={"q1": "Which opener?"})
    return path


def test_sheets_headers_panes_filters_and_widths(book):
    wb = load_workbook(book)
    assert wb.sheetnames == ["Summary", "Answers", "Items"]
    rows = len(sample_rows())
    for title, headers, last in (("Summary", SUMMARY_HEADERS, len(NAMES) + 1),
                                 ("Answers", HEADERS, rows + 1),
                                 ("Items", ITEM_HEADERS, 3)):
        ws = wb[title]
        header = next(ws.iter_rows(max_row=1))
        assert tuple(c.value for c in header) == headers
        assert all(c.font.bold for c in header)
        assert ws.freeze_panes == "A2"
        last_col = chr(ord("A") + len(headers) - 1)
        assert ws.auto_filter.ref == f"A1:{last_col}{last}"
        assert ws.column_dimensions["A"].width >= 10
    assert wb["Answers"].max_row == rows + 1
    assert 32 <= wb["Answers"].column_dimensions["L"].width < 34  # the answer column


def test_numbers_dates_booleans_and_blanks_keep_their_types(book):
    ws = load_workbook(book)["Answers"]
    col = {name: index for index, name in enumerate(HEADERS)}
    lines = list(ws.iter_rows(min_row=2, values_only=True))
    first = lines[0]
    assert first[col["fraction"]] == 1 and isinstance(first[col["fraction"]], int | float)
    assert isinstance(first[col["max_points"]], int | float)
    assert first[col["submitted_at"]] == datetime(2026, 3, 2, 9, 0)  # naive UTC
    assert first[col["workshop"]] is None and first[col["confidence"]] is None
    assert first[col["answer"]] == "b"
    assert lines[1][col["answer"]] == "a,c"
    live_points = [line[col["points"]] for line in lines if line[col["source"]] == LIVE]
    assert -2000 in live_points and all(isinstance(p, int | float) for p in live_points)
    cell = ws.cell(row=2, column=col["submitted_at"] + 1)
    assert cell.is_date and cell.number_format == "yyyy-mm-dd hh:mm:ss"
    summary = load_workbook(book)["Summary"]
    passed = [line[SUMMARY_HEADERS.index("passed")]
              for line in summary.iter_rows(min_row=2, values_only=True)]
    assert passed[0] is False and passed[-1] is None


def test_aware_times_are_written_as_utc(tmp_path):
    paris = datetime(2026, 6, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    path = tmp_path / "tz.xlsx"
    with path.open("wb") as out:
        write_workbook(out, [make_row("user-1", "Ana", 1, "q1", 1.0, submitted_at=paris)])
    ws = load_workbook(path)["Answers"]
    assert ws.cell(row=2, column=HEADERS.index("submitted_at") + 1).value == datetime(
        2026, 6, 1, 10, 0)


def test_text_is_never_a_formula(book):
    wb = load_workbook(book)
    names = {}
    for title in ("Summary", "Answers"):
        for row in wb[title].iter_rows(min_row=2):
            names.setdefault(title, []).append(row[1])
    for title, cells in names.items():
        assert all(c.data_type == "s" for c in cells), title
        values = [c.value for c in cells]
        for hostile in HOSTILE:
            assert "'" + hostile in values, (title, hostile)
        assert "badname" in values  # the control character is dropped, not fatal
        assert "Zoé 🎉" in values and "Ana" in values
    assert not any(c.data_type == "f" for ws in wb for row in ws.iter_rows() for c in row)


def test_summary_has_one_row_per_learner(book):
    ws = load_workbook(book)["Summary"]
    lines = list(ws.iter_rows(min_row=2, values_only=True))
    assert [line[0] for line in lines] == ["user-0", "user-1", *(
        f"participant-{n}" for n in range(2, len(NAMES)))]
    ana = dict(zip(SUMMARY_HEADERS, lines[0], strict=True))
    assert ana["attempts"] == 2 and ana["answers"] == 4 and ana["best_score"] == 50
    assert ana["last_activity"] == datetime(2026, 3, 2, 9, 0)  # its answers, naive UTC


def test_items_equal_item_analysis_on_the_same_marks(book):
    ws = load_workbook(book)["Items"]
    lines = list(ws.iter_rows(values_only=True))
    stats = item_analysis(MARKS, {"q1": 1, "q2": 1})  # Ana's first attempt only
    items = [dict(zip(ITEM_HEADERS, line, strict=True)) for line in lines[1:3]]
    assert [item["question"] for item in items] == ["q1", "q2"]
    assert items[0]["title"] == "Which opener?" and items[1]["title"] is None
    for item, expected in zip(items, stats.items, strict=True):
        assert item["attempts"] == expected.attempts == len(MARKS)
        assert item["facility"] == pytest.approx(expected.facility)
        assert item["sd"] == pytest.approx(expected.sd)
        assert item["discrimination"] == pytest.approx(expected.discrimination)
    assert lines[3] == (None,) * len(ITEM_HEADERS) or all(v is None for v in lines[3])
    assert lines[4][:len(OVERALL_HEADERS)] == OVERALL_HEADERS
    overall = dict(zip(OVERALL_HEADERS, lines[5], strict=False))
    assert overall["attempts"] == len(MARKS)
    assert overall["mean"] == pytest.approx(stats.mean)
    assert overall["sd"] == pytest.approx(stats.sd)
    assert overall["cic"] == pytest.approx(stats.cic)


def test_all_attempts_when_first_only_is_off(tmp_path):
    path = tmp_path / "all.xlsx"
    with path.open("wb") as out:
        write_workbook(out, sample_rows(), first_only=False)
    lines = list(load_workbook(path)["Items"].iter_rows(values_only=True))
    assert lines[1][ITEM_HEADERS.index("attempts")] == len(MARKS) + 1


def test_an_empty_export_is_still_a_workbook(tmp_path):
    path = tmp_path / "empty.xlsx"
    with path.open("wb") as out:
        write_workbook(out, iter(()))
    wb = load_workbook(path)
    assert wb.sheetnames == ["Summary", "Answers", "Items"]
    assert wb["Answers"].max_row == 1 and wb["Answers"].auto_filter.ref == "A1:S1"


def test_a_failing_stream_leaves_no_temporary_files(tmp_path, monkeypatch):
    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))  # where the sheets' rows wait

    def rows():
        yield from sample_rows()
        raise RuntimeError("the database went away")

    with (tmp_path / "broken.xlsx").open("wb") as out, pytest.raises(RuntimeError):
        write_workbook(out, rows())
    assert os.listdir(spool) == []


def test_accepts_a_generator_of_twenty_thousand_rows(tmp_path):
    def rows():
        for n in range(20_000):
            yield make_row(f"user-{n // 10}", f"Learner {n // 10}", n // 10, f"q{n % 10}",
                           (n % 3) / 2)

    path = tmp_path / "big.xlsx"
    with path.open("wb") as out:
        write_workbook(out, rows())
    # count the rows in the sheets' XML: reading 20,000 rows back with openpyxl is slow
    with zipfile.ZipFile(path) as archive:
        summary, answers = (archive.read(f"xl/worksheets/sheet{n}.xml") for n in (1, 2))
    assert answers.count(b"<row ") == 20_001 and b'<row r="20001"' in answers
    assert summary.count(b"<row ") == 2_001


def test_libreoffice_opens_it(book, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    out = tmp_path / "converted"
    # 44,34,76: comma, double quote, UTF-8 (LibreOffice's default is the system charset);
    # a profile of its own so a running LibreOffice cannot lock this one out
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(out),
         str(book)], capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, result.stderr
    with (out / "results.csv").open(encoding="utf-8", newline="") as f:
        lines = list(csv.reader(f))
    assert tuple(lines[0]) == SUMMARY_HEADERS  # the first sheet is the Summary
    assert [line[0] for line in lines[1:]] == ["user-0", "user-1", *(
        f"participant-{n}" for n in range(2, len(NAMES)))]
    names = [line[1] for line in lines[1:]]
    assert names == ["Ana", *("'" + h for h in HOSTILE), "badname", "Zoé 🎉"]
    live_points = [line[SUMMARY_HEADERS.index("live_points")] for line in lines[1:]]
    assert "-4000" in live_points
