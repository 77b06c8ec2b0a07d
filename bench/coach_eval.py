"""The coach against the labelled messages: confusion matrix, accuracy, Spearman rho, misses.

    .venv/bin/python bench/coach_eval.py [tests/data/coach_labelled.jsonl ...]
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from attract.coach.evaluate import evaluate, load  # noqa: E402

DEFAULT = [REPO / "tests" / "data" / "coach_labelled.jsonl",
           REPO / "tests" / "data" / "coach_holdout.jsonl"]


def main(paths: list[str]) -> int:
    for path in paths or DEFAULT:
        result = evaluate(load(path))
        confusion = result.confusion
        print(f"## {Path(path).name}: {result.total} messages\n")
        print("| label \\ coach | attraction | interruption |")
        print("|---|---:|---:|")
        for label in ("attraction", "interruption"):
            print(f"| {label} | {confusion.get((label, 'attraction'), 0)} | "
                  f"{confusion.get((label, 'interruption'), 0)} |")
        print(f"\nVerdict accuracy {result.accuracy:.3f} (bar 0.90); Spearman rho between score "
              f"and the 1-5 rating {result.rho:.3f} (bar 0.75)\n")
        for miss in result.misses:
            print(f"- {miss['id']}: labelled {miss['label']} (rating {miss['rating']}), coach "
                  f"{miss['score']} {miss['caps'] or ''}")
            print(textwrap.indent(textwrap.fill(miss["text"][:300], 90), "    "))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
