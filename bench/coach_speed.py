"""The message coach's speed: analysing 10,000 typical messages on one core.

Typical messages are the 171 hand-written drafts in tests/data (coach_labelled.jsonl and
coach_holdout.jsonl: one line to ~200 words, all channels), cycled to --messages.
Baseline, in the same process and alternated round by round: one regex pass that counts
the words of each message, the floor any text analysis pays. Target (issue 4): 10,000
messages in under 2 s. Single-threaded, so it measures one core.

    .venv/bin/python bench/coach_speed.py [--messages 10000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import itertools
import json
import platform
import re
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from machine import cpu_model  # noqa: E402

from attract.coach import analyse  # noqa: E402

TARGET_SECONDS = 2.0
WORD = re.compile(r"\w+")


def load(count: int) -> list[dict]:
    drafts = []
    for name in ("coach_labelled.jsonl", "coach_holdout.jsonl"):
        with open(REPO / "tests" / "data" / name, encoding="utf-8") as handle:
            drafts += [json.loads(line) for line in handle if line.strip()]
    return list(itertools.islice(itertools.cycle(drafts), count))


def coach(drafts: list[dict]) -> float:
    start = time.perf_counter()
    for draft in drafts:
        analyse(draft["text"], draft.get("recipient"), draft.get("channel"))
    return time.perf_counter() - start


def baseline(drafts: list[dict]) -> float:
    start = time.perf_counter()
    for draft in drafts:
        len(WORD.findall(draft["text"]))
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    drafts = load(args.messages)
    coach(drafts[:200])  # warm the regex caches
    timed, floor = [], []
    for _ in range(args.rounds):
        timed.append(coach(drafts))
        floor.append(baseline(drafts))
    median, base = statistics.median(timed), statistics.median(floor)
    chars = sum(len(d["text"]) for d in drafts) / len(drafts)
    cpu = cpu_model()
    verdict = "PASS" if median < TARGET_SECONDS else "FAIL"
    print(f"Machine: {cpu}; Python {platform.python_version()}; one core; "
          f"{len(drafts):,} messages (mean {chars:.0f} characters), {args.rounds} rounds\n")
    print("| analysis | median s | min-max s | per message |")
    print("|---|---:|---:|---:|")
    print(f"| attract.coach.analyse | {median:.3f} | {min(timed):.3f}-{max(timed):.3f} | "
          f"{median / len(drafts) * 1e6:.0f} µs |")
    print(f"| baseline: one regex word count | {base:.3f} | {min(floor):.3f}-{max(floor):.3f} | "
          f"{base / len(drafts) * 1e6:.1f} µs |")
    print(f"\nRatio coach/baseline: {median / base:.0f}x; target < {TARGET_SECONDS:.0f} s for "
          f"{len(drafts):,} messages: **{verdict}**")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
