"""The SVG charts: well-formed, accessible, proportional, and safe with hostile labels."""

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from attract.analysis.charts import (
    KEY_MARK,
    WIDTH,
    Bar,
    bar_chart,
    calibration_chart,
    change_chart,
    distribution_bars,
)
from attract.analysis.charts import _width as _width
from attract.workshops.scoreboard import distribution

ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = ["<script>alert(1)</script>", '"><svg onload=alert(1)>', "Tom & Jerry",
           "\u202eevil\u202c txt.exe", "x" * 300, "bell\x07 nul\x00 esc\x1b"]


def parse(svg: str) -> ET.Element:
    assert isinstance(svg, str)
    return ET.fromstring(svg)  # noqa: S314 - our own output, no DTD or entities


def classes(el: ET.Element) -> list[str]:
    return el.get("class", "").split()


def bars_of(root: ET.Element) -> list[ET.Element]:
    return [el for el in root.iter(f"{SVG}rect") if "chart-bar" in classes(el)]


def track_width(root: ET.Element) -> float:
    return float(next(el for el in root.iter(f"{SVG}rect") if "chart-axis" in classes(el))
                 .get("width"))


def text_of(el: ET.Element) -> str:
    return "".join(el.itertext())


def desc(root: ET.Element) -> str:
    return root.find(f"{SVG}desc").text


def rows(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if "chart-row" in classes(g)]


def assert_accessible(root: ET.Element) -> None:
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.get("width") == "100%" and root.get("height") is None
    assert re.fullmatch(r"0 0 \d+ \d+", root.get("viewBox"))
    ids = root.get("aria-labelledby").split()
    title, description = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert ids == [title.get("id"), description.get("id")]
    assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", i) for i in ids)
    all_ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(all_ids) == len(set(all_ids))
    for el in root.iter():
        assert el.tag.split("}")[-1] not in ("script", "foreignObject", "style", "a", "image")
        assert not any(name.lower().startswith("on") for name in el.attrib)
        assert "javascript:" not in " ".join(el.attrib.values()).lower()
    for text in root.iter(f"{SVG}text"):
        assert float(text.get("font-size")) >= 16


def example_bars():
    return [Bar("a. They accepted your connection request.", 12, note="(40%)"),
            Bar("b. They've replied several times.", 18, key=True, note="(60%)"),
            Bar("c. They liked one of your posts.", 0, note="(0%)")]


def test_bar_chart_is_an_accessible_svg_with_words_for_the_numbers():
    root = parse(bar_chart(example_bars(), title="Who answered what", id_prefix="q1"))
    assert_accessible(root)
    assert root.find(f"{SVG}title").text == "Who answered what"
    assert desc(root) == (f"a. They accepted your connection request.: 12 (40%); "
                          f"b. They've replied several times. {KEY_MARK}: 18 (60%); "
                          f"c. They liked one of your posts.: 0 (0%)")
    assert [text_of(t) for t in root.iter(f"{SVG}text") if "chart-value" in classes(t)] == [
        "12 (40%)", "18 (60%)", "0 (0%)"]


def test_one_bar_per_value_with_widths_in_proportion():
    root = parse(bar_chart(example_bars(), title="t", id_prefix="q1"))
    widths = [float(rect.get("width")) for rect in bars_of(root)]
    assert len(widths) == 3
    assert widths[1] == pytest.approx(track_width(root))   # the largest fills the track
    assert widths[0] / widths[1] == pytest.approx(12 / 18, abs=0.01) and widths[2] == 0
    halves = parse(bar_chart([Bar("x", 5), Bar("y", 10)], title="t", id_prefix="p",
                             max_value=20))
    assert [float(r.get("width")) for r in bars_of(halves)] == pytest.approx(
        [track_width(halves) / 4, track_width(halves) / 2], abs=0.1)


def test_key_bars_carry_the_class_the_outline_and_the_tick():
    root = parse(bar_chart(example_bars(), title="t", id_prefix="q1"))
    keyed = [("chart-bar-key" in classes(rect), rect.get("stroke") is not None)
             for rect in bars_of(root)]
    assert keyed == [(False, False), (True, True), (False, False)]
    labels = [" ".join(text_of(t) for t in g.iter(f"{SVG}text") if "chart-label" in classes(t))
              for g in rows(root)]
    assert [KEY_MARK in label for label in labels] == [False, True, False]
    assert labels[1].startswith(KEY_MARK)


def test_percent_values_and_units():
    root = parse(bar_chart([Bar("a", 0.4), Bar("b", 0.125)], title="t", id_prefix="p",
                           percent=True))
    values = [text_of(t) for t in root.iter(f"{SVG}text") if "chart-value" in classes(t)]
    assert values == ["40%", "12%"]
    widths = [float(r.get("width")) for r in bars_of(root)]
    assert widths[0] == pytest.approx(0.4 * track_width(root), abs=0.1)  # against 100%
    root = parse(bar_chart([Bar("a", 2.5)], title="t", id_prefix="p", unit="pts"))
    assert "2.5 pts" in desc(root)


@pytest.mark.parametrize("label", HOSTILE)
def test_hostile_labels_and_titles_stay_text(label):
    svg = bar_chart([Bar(label, 3, key=True, note=label), Bar("ok", 1)], title=label,
                    id_prefix=label)
    assert "<script" not in svg and "<svg onload" not in svg
    assert "\u202e" not in svg and "\x00" not in svg
    root = parse(svg)
    assert_accessible(root)
    assert len(bars_of(root)) == 2
    assert root.find(f"{SVG}title").text.startswith(label[:5].replace("\u202e", "")[:3])
    if "<" in label:
        assert label in desc(root)        # shown as text, never as markup
    assert sum(1 for _ in root.iter(f"{SVG}svg")) == 1


def test_long_labels_are_cut_for_the_eye_and_kept_whole_for_the_ear():
    label = "word " * 60
    root = parse(bar_chart([Bar(label, 1)], title="t", id_prefix="p"))
    lines = [text_of(t) for t in root.iter(f"{SVG}text") if "chart-label" in classes(t)]
    assert len(lines) == 2 and lines[-1].endswith("…")
    assert all(_width(line) <= WIDTH for line in lines) and len(lines[0]) > 20
    assert label.strip() in desc(root)
    assert rows(root)[0].find(f"{SVG}title").text == label.strip()
    unbroken = parse(bar_chart([Bar("x" * 300, 1, key=True)], title="t", id_prefix="p"))
    first = next(t for t in unbroken.iter(f"{SVG}text") if "chart-label" in classes(t))
    assert text_of(first).startswith(KEY_MARK) and _width(text_of(first)) <= WIDTH


def test_id_prefix_is_sanitised_and_keeps_charts_apart():
    root = parse(bar_chart([Bar("a", 1)], title="t", id_prefix='x" onload="alert(1)'))
    assert root.find(f"{SVG}title").get("id") == "xonloadalert1-title"
    assert parse(bar_chart([Bar("a", 1)], title="t", id_prefix="3rd")).find(
        f"{SVG}title").get("id") == "chart-3rd-title"
    assert parse(bar_chart([], title="t", id_prefix="")).find(f"{SVG}desc").get("id") == (
        "chart-desc")


def test_zero_totals_draw_empty_bars_without_dividing_by_zero():
    root = parse(bar_chart([Bar("a", 0), Bar("b", 0, key=True)], title="t", id_prefix="p"))
    assert [float(r.get("width")) for r in bars_of(root)] == [0, 0]
    assert desc(root).startswith("No answers yet.")
    root = parse(bar_chart([Bar("a", 3)], title="t", id_prefix="p", max_value=0))
    assert [float(r.get("width")) for r in bars_of(root)] == [0]
    root = parse(bar_chart([], title="t", id_prefix="p"))
    assert bars_of(root) == [] and "No answers yet" in desc(root)
    assert distribution_bars({"type": "verdict", "key": "attraction"}, {})[0].note == ""
    root = parse(bar_chart([Bar("a", float("nan"))], title="t", id_prefix="p"))
    assert [float(r.get("width")) for r in bars_of(root)] == [0]


def quiz_questions():
    for path in sorted((ROOT / "quizzes").glob("*.yaml")):
        yield from yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]


def first_of(kind: str, multiple: bool | None = None) -> dict:
    return next(q for q in quiz_questions() if q["type"] == kind
                and (multiple is None or bool(q.get("multiple")) == multiple))


def keyed(bars):
    return [bar.label for bar in bars if bar.key]


def test_distribution_bars_verdict():
    q = first_of("verdict")
    bars = distribution_bars(q, distribution(q, ["attraction", "interruption", q["key"]]))
    assert [b.label for b in bars] == ["Attraction", "Interruption"]
    assert keyed(bars) == [q["key"].capitalize()]
    assert sorted(b.note for b in bars) == ["(33%)", "(67%)"]


@pytest.mark.parametrize("multiple", [False, True])
def test_distribution_bars_choice(multiple):
    q = first_of("choice", multiple)
    keys = q["key"] if isinstance(q["key"], list) else [q["key"]]
    bars = distribution_bars(q, distribution(q, [keys, keys[:1], ["zz"]] if multiple
                                             else [keys[0], keys[0], "zz"]))
    option = {o["id"]: o["text"] for o in q["options"]}
    assert [b.label.split(".")[0] for b in bars] == [o["id"] for o in q["options"]]
    assert keyed(bars)[0].startswith(f"{keys[0]}. {option[keys[0]][:20]}")
    assert {b.label.split(".")[0] for b in bars if b.key} == set(keys)
    assert all(len(b.label) <= 120 for b in bars)


def test_distribution_bars_rating():
    q = first_of("rating")
    bars = distribution_bars(q, distribution(q, [q["key"], 1, 5, q["key"]]))
    assert [b.label for b in bars] == ["1", "2", "3", "4", "5"]
    assert keyed(bars) == [str(q["key"])]
    assert bars[q["key"] - 1].value == 2 + (q["key"] in (1, 5))


def test_distribution_bars_rank_keys_the_first_place():
    q = first_of("rank")
    bars = distribution_bars(q, distribution(q, [q["key"], list(reversed(q["key"]))]))
    assert [b.label.split(".")[0] for b in bars if b.key] == [q["key"][0]]
    assert sum(b.value for b in bars) == 2 and {b.note for b in bars} >= {"(50%)"}


def test_distribution_bars_spot_keys_every_interrupting_segment():
    q = first_of("spot")
    bars = distribution_bars(q, distribution(q, [q["key"], q["key"][:1]]))
    assert [b.label.split(".")[0] for b in bars] == [s["id"] for s in q["segments"]]
    assert {b.label.split(".")[0] for b in bars if b.key} == set(q["key"])
    # Shares of the people who answered, when the caller knows how many did.
    by_id = {b.label.split(".")[0]: b for b in distribution_bars(
        q, distribution(q, [q["key"], q["key"][:1]]), total=2)}
    assert by_id[q["key"][0]].note == "(100%)"


def test_distribution_bars_rewrite_keys_the_bands_at_the_bar():
    q = first_of("rewrite")
    assert q["min_score"] == 70
    bars = distribution_bars(q, distribution(q, [], scores=[10, 65, 85, 90, None]))
    assert [b.label for b in bars] == ["Score 0-19", "Score 20-39", "Score 40-59",
                                       "Score 60-79", "Score 80-100"]
    assert keyed(bars) == ["Score 80-100"]
    assert [b.value for b in bars] == [1, 0, 0, 1, 2]
    low_bar = distribution_bars({**q, "min_score": 60}, {})
    assert keyed(low_bar) == ["Score 60-79", "Score 80-100"]


def test_every_real_question_gets_a_chart_with_its_key_marked():
    for q in quiz_questions():
        bars = distribution_bars(q, distribution(q, [], scores=[]))
        root = parse(bar_chart(bars, title=q["prompt"], id_prefix=q["id"]))
        assert_accessible(root)
        assert len(bars_of(root)) == len(bars) and any(b.key for b in bars), q["id"]
        assert sum("chart-bar-key" in classes(r) for r in bars_of(root)) == sum(
            b.key for b in bars)


def test_calibration_chart_with_an_empty_level():
    root = parse(calibration_chart([("low", 0, None), ("medium", 6, 0.5), ("high", 14, 0.9)],
                                   id_prefix="cal"))
    assert_accessible(root)
    assert root.find(f"{SVG}title").text == "Share correct at each confidence level"
    widths = [float(r.get("width")) for r in bars_of(root)]
    assert widths == pytest.approx([0.5 * track_width(root), 0.9 * track_width(root)], abs=0.1)
    labels = [text_of(t) for t in root.iter(f"{SVG}text") if "chart-label" in classes(t)]
    assert {"low (n=0)", "medium (n=6)", "high (n=14)"} <= set(labels)
    values = [text_of(t) for t in root.iter(f"{SVG}text") if "chart-value" in classes(t)]
    assert values == ["no answers", "50%", "90%"]
    text = desc(root)
    assert "low (n=0): no answers" in text and "high (n=14): 90% correct" in text
    assert "certainty-based marking" in text and "above 80%" in text
    refs = [r for r in root.iter(f"{SVG}rect") if "chart-ref" in classes(r)]
    assert len(refs) == 3
    track = track_width(root)
    assert float(refs[2].get("x")) == pytest.approx(0.8 * track, abs=0.1)


def test_calibration_chart_with_no_answers_at_all():
    root = parse(calibration_chart([("low", 0, None), ("high", 0, 0.0)], id_prefix="c"))
    assert bars_of(root) == [] and desc(root).count("no answers") == 2


def test_change_chart_with_missing_sides():
    root = parse(change_chart([("Q1 <b>", 0.4, 0.75), ("Q2", None, 0.5), ("Q3", 0.2, None)],
                              id_prefix="chg", title="Before and after the workshop"))
    assert_accessible(root)
    bars = bars_of(root)
    assert [("chart-bar-before" in classes(r), "chart-bar-after" in classes(r))
            for r in bars] == [(True, False), (False, True), (False, True), (True, False)]
    track = track_width(root)
    assert [float(r.get("width")) for r in bars] == pytest.approx(
        [0.4 * track, 0.75 * track, 0.5 * track, 0.2 * track], abs=0.1)
    hatch = root.find(f"{SVG}defs/{SVG}pattern")
    assert hatch.get("id") == "chg-hatch" and bars[0].get("fill") == "url(#chg-hatch)"
    values = [text_of(t) for t in root.iter(f"{SVG}text") if "chart-value" in classes(t)]
    assert values == ["Before 40%", "After 75%", "Before no data", "After 50%",
                      "Before 20%", "After no data"]
    legend = [text_of(g) for g in root.iter(f"{SVG}g") if "chart-legend" in classes(g)]
    assert legend == ["Before", "After"]
    assert "Q1 <b>: before 40%, after 75%, change +35 points" in desc(root)
    assert "Q2: before no data, after 50%" in desc(root)
    assert parse(change_chart([], id_prefix="e", title="t")).find(f"{SVG}desc").text == (
        "No questions.")


def test_charts_module_is_pure():
    code = ("import importlib, pathlib, sys, types; "
            "pkg = types.ModuleType('attract'); pkg.__path__ = [str(pathlib.Path('attract')"
            ".resolve())]; sys.modules['attract'] = pkg; "
            "importlib.import_module('attract.analysis.charts'); "
            "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in "
            "{'flask', 'sqlalchemy', 'werkzeug', 'markupsafe', 'jinja2'})))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=ROOT)
    assert result.stdout.strip() == ""
