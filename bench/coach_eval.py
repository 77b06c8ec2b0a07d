"""How well the coach judges: per set, the confusion matrix, accuracy, Spearman's rho,
accuracy per kind of message, and every miss.

    .venv/bin/python bench/coach_eval.py [FILES...]        # the shipped coach
    .venv/bin/python bench/coach_eval.py --held-out        # each set left out in turn

By default every labelled set in tests/data/ (never tests/data/sealed/). The shipped
judge was fitted on those sets, so its figures on them are in-sample; ``--held-out``
refits the judge without each set in turn (the shipped penalty) and scores that set
with the checklist alone, the reader model alone and the two together: the figure for
messages the coach has never seen, and how the candidates compare. Not timed.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from attract.coach.analyse import final_score  # noqa: E402
from attract.coach.evaluate import evaluate, load, spearman  # noqa: E402
from attract.coach.judge import WEIGHTS  # noqa: E402
from attract.coach.train import held_out_probabilities, load_examples  # noqa: E402

DATA = REPO / "tests" / "data"


def shipped(paths: list[Path]) -> None:
    for path in paths:
        result = evaluate(load(path))
        confusion = result.confusion
        print(f"## {path.name}: {result.total} messages\n")
        print("| label \\ coach | attraction | interruption |")
        print("|---|---:|---:|")
        for label in ("attraction", "interruption"):
            print(f"| {label} | {confusion.get((label, 'attraction'), 0)} | "
                  f"{confusion.get((label, 'interruption'), 0)} |")
        print(f"\nVerdict accuracy {result.accuracy:.3f} (bar 0.90); Spearman rho between score "
              f"and the 1-5 rating {result.rho:.3f} (bar 0.75)\n")
        print("Per kind: " + ", ".join(f"{kind} {right}/{total}" for kind, (right, total)
                                       in sorted(result.kinds.items())) + "\n")
        for miss in result.misses:
            print(f"- {miss['id']} ({miss['kind'] or 'no kind'}): labelled {miss['label']} "
                  f"(rating {miss['rating']}), coach {miss['score']} {miss['caps'] or ''}")
            print(textwrap.indent(textwrap.fill(miss["text"][:300], 90), "    "))
        print()


def held_out(paths: list[Path]) -> None:
    penalty = json.loads(WEIGHTS.read_text(encoding="utf-8"))["penalty"]
    examples = load_examples(paths)
    reader = 100 * held_out_probabilities(examples, penalty)
    checklist = np.array([e.rules.score for e in examples])
    coach = np.array([final_score(e.rules, p / 100) for e, p in
                      zip(examples, reader, strict=True)])
    truth = np.array([e.y == 1.0 for e in examples])
    groups = np.array([e.group for e in examples])
    rows = [row for path in paths for row in load(path)]
    print(f"Each set left out in turn; judge refitted on the rest (penalty {penalty:g}).\n")
    print("| set left out | messages | checklist | reader model | coach | coach rho | "
          "per kind, coach (right / messages) |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for path in [*paths, None]:
        mask = groups == path.name if path else np.ones(len(examples), dtype=bool)
        figures = [((s[mask] >= 50) == truth[mask]).mean() for s in (checklist, reader, coach)]
        rho = spearman(list(coach[mask]), [r["rating"] for r, m in zip(rows, mask,
                                                                       strict=True) if m])
        kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for row, ok, m in zip(rows, (coach >= 50) == truth, mask, strict=True):
            if m and path:
                kinds[row.get("kind") or "unsorted"][0] += int(ok)
                kinds[row.get("kind") or "unsorted"][1] += 1
        print(f"| {path.name if path else 'all'} | {mask.sum()} | {figures[0]:.3f} | "
              f"{figures[1]:.3f} | **{figures[2]:.3f}** | {rho:.3f} | "
              + ", ".join(f"{k} {a}/{b}" for k, (a, b) in sorted(kinds.items())) + " |")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--held-out", action="store_true",
                        help="refit without each set in turn and score that set")
    args = parser.parse_args(argv)
    paths = args.files or sorted(DATA.glob("*.jsonl"))
    (held_out if args.held_out else shipped)(paths)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
