"""The message coach's speed on one core: messages per second, and /api/coach latency.

Typical messages are the 610 labelled drafts in tests/data (one line to ~200 words, every
channel), cycled to --messages. The process is pinned to one CPU (sched_setaffinity) and
onnxruntime runs one thread, so every figure is one core's. Measured, alternated round by
round in the same process:

- baseline: one regex word count per message, the floor any text analysis pays;
- checklist: the rules alone (``attract.coach.analyse.checklist``), what the coach was
  before the reader model;
- reader model: the sentence encoder and the judge alone;
- coach: ``attract.coach.analyse``, everything a learner gets;
- /api/coach: ``POST /api/coach`` through the Flask app (test client, a fresh SQLite
  database, the rate limit raised), one message at a time: median and p95 per request.

Target (issue 11): /api/coach answers a typical message in under 50 ms p95 on one core.

    .venv/bin/python bench/coach_speed.py [--messages 1000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from machine import cpu_model  # noqa: E402

from attract.coach import analyse, check_input  # noqa: E402
from attract.coach.analyse import checklist, split_sentences  # noqa: E402
from attract.coach.judge import judge  # noqa: E402

TARGET_P95_MS = 50.0


def load(count: int) -> list[dict]:
    drafts = []
    for path in sorted((REPO / "tests" / "data").glob("*.jsonl")):
        with open(path, encoding="utf-8") as handle:
            drafts += [json.loads(line) for line in handle if line.strip()]
    return list(itertools.islice(itertools.cycle(drafts), count))


def timed(run, drafts: list[dict]) -> list[float]:
    """Seconds per message."""
    times = []
    for draft in drafts:
        start = time.perf_counter()
        run(draft)
        times.append(time.perf_counter() - start)
    return times


def baseline(draft: dict) -> None:
    len(draft["text"].split())


def rules(draft: dict) -> None:
    checked = check_input(draft["text"], draft.get("recipient"), draft.get("channel"))
    checklist(checked.text, checked.recipient, checked.channel)


def reader(draft: dict) -> None:
    checked = check_input(draft["text"], draft.get("recipient"), draft.get("channel"))
    spans = split_sentences(checked.text)
    judge(checked.text, spans, checked.channel, ["other"] * len(spans))


def coach(draft: dict) -> None:
    analyse(draft["text"], draft.get("recipient"), draft.get("channel"))


def api_client(folder: str):
    from attract import create_app
    from attract.database import upgrade_database

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
                      "SECRET_KEY": "bench-" + "x" * 32, "COACH_RATE_LIMIT": 10**9,
                      "TESTING": False})
    upgrade_database(app)
    client = app.test_client()

    def post(draft: dict) -> None:
        answer = client.post("/api/coach", json={"text": draft["text"],
                                                 "recipient": draft.get("recipient"),
                                                 "channel": draft.get("channel")})
        assert answer.status_code == 200, answer.get_data(as_text=True)
    return post


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    drafts = load(args.messages)
    with tempfile.TemporaryDirectory() as folder:
        post = api_client(folder)
        runs = {"baseline: a word count": baseline, "checklist (rules alone)": rules,
                "reader model alone": reader, "coach (analyse)": coach,
                "POST /api/coach": post}
        for run in runs.values():   # warm up: the model session, the app, the caches
            timed(run, drafts[:20])
        results: dict[str, list[list[float]]] = {name: [] for name in runs}
        for _ in range(args.rounds):
            for name, run in runs.items():
                results[name].append(timed(run, drafts))
    print(f"# coach speed: {args.messages} messages x {args.rounds} rounds, one core")
    print(f"{platform.python_implementation()} {platform.python_version()}, {cpu_model()}, "
          f"load average {os.getloadavg()[0]:.2f}\n")
    print("| run | messages/s (median round) | median ms | p95 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|")
    p95s = {}
    for name, rounds in results.items():
        rates = [len(r) / sum(r) for r in rounds]
        every = [t * 1000 for r in rounds for t in r]
        p95s[name] = statistics.median(percentile([t * 1000 for t in r], 0.95)
                                       for r in rounds)
        print(f"| {name} | {statistics.median(rates):,.0f} | {statistics.median(every):.2f} | "
              f"{p95s[name]:.2f} | {percentile(every, 0.99):.2f} |")
    api = p95s["POST /api/coach"]
    verdict = "PASS" if api < TARGET_P95_MS else "FAIL"
    print(f"\n/api/coach p95 {api:.1f} ms (median over rounds); target < {TARGET_P95_MS:.0f} ms "
          f"on one core: **{verdict}**")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
