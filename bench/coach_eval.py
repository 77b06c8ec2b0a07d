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

from attract.coach.analyse import CAPS, CHECKLIST_SHARE, checklist  # noqa: E402
from attract.coach.evaluate import evaluate, load, spearman  # noqa: E402
from attract.coach.inputs import check_input  # noqa: E402
from attract.coach.judge import WEIGHTS  # noqa: E402
from attract.coach.train import _predict, fit, load_examples  # noqa: E402

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
    rows = [row for path in paths for row in load(path)]
    rules, ceilings = [], []
    for row in rows:
        checked = check_input(row["text"], row.get("recipient"), row.get("channel"))
        read = checklist(checked.text, checked.recipient, checked.channel)
        rules.append(read.score)
        # the hard caps analyse() applies to the final score
        ceilings.append(min(CAPS["length"] if "length" in read.caps else 100,
                            CAPS["repeat"] if read.echoes else 100,
                            20 if read.words == 0 else 100))
    x = np.stack([e.x for e in examples]).astype(np.float64)
    y = np.array([e.y for e in examples])
    groups = np.array([e.group for e in examples])
    rating = [row["rating"] for row in rows]
    print(f"Each set left out in turn; judge refitted on the rest (penalty {penalty:g}).\n")
    print("| set left out | messages | checklist | reader model | coach (mean) | "
          "coach rho | per kind, coach (right / messages) |")
    print("|---|---:|---:|---:|---:|---:|---|")
    totals = defaultdict(int)
    for path in paths:
        mask = groups == path.name
        reader = 100 * _predict(fit(x[~mask], y[~mask], penalty), x[mask])
        check = np.array(rules)[mask]
        coach = np.minimum(CHECKLIST_SHARE * check + (1 - CHECKLIST_SHARE) * reader,
                           np.array(ceilings)[mask])
        truth = y[mask] == 1
        kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for row, ok in zip([r for r, m in zip(rows, mask, strict=True) if m],
                           (coach >= 50) == truth, strict=True):
            kinds[row.get("kind") or "unsorted"][0] += int(ok)
            kinds[row.get("kind") or "unsorted"][1] += 1
        figures = [((s >= 50) == truth).mean() for s in (check, reader, coach)]
        for name, value in zip(("checklist", "reader", "coach"), figures, strict=True):
            totals[name] += value * mask.sum()
        rho = spearman(list(coach), [r for r, m in zip(rating, mask, strict=True) if m])
        print(f"| {path.name} | {mask.sum()} | {figures[0]:.3f} | {figures[1]:.3f} | "
              f"**{figures[2]:.3f}** | {rho:.3f} | "
              + ", ".join(f"{k} {a}/{b}" for k, (a, b) in sorted(kinds.items())) + " |")
    n = len(rows)
    print(f"| all | {n} | {totals['checklist'] / n:.3f} | {totals['reader'] / n:.3f} | "
          f"**{totals['coach'] / n:.3f}** | | |")


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
