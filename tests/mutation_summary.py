"""Per-module figures of the last mutation run (make mutation): reads mutmut's results in
mutants/backend/*.py.meta and prints a Markdown table. Not a test (pytest does not collect it).

    .venv/bin/python tests/mutation_summary.py [url_config images ...]

A module counts once every one of its mutants has a result; "surviving" is survived plus
"no tests" (mutants that no selected test reaches), over all mutants tried.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code  # the pinned mutmut's exit code -> verdict

MUTANTS = Path(__file__).resolve().parents[1] / "mutants" / "backend"
COLUMNS = ["killed", "timeout", "survived", "no tests", "suspicious", "segfault", "not checked"]


def figures(module: str) -> Counter:
    meta = json.loads((MUTANTS / f"{module.replace('.', '/')}.py.meta").read_text())
    return Counter(status_by_exit_code[code] for code in meta["exit_code_by_key"].values())


def main(modules: list[str]) -> None:
    if not modules:
        modules = sorted(str(path.relative_to(MUTANTS))[: -len(".py.meta")].replace("/", ".")
                         for path in MUTANTS.rglob("*.py.meta"))
    print("| module | mutants | " + " | ".join(COLUMNS) + " | surviving share |")
    print("|---" * (len(COLUMNS) + 3) + "|")
    total = Counter()
    for module in modules:
        counts = figures(module)
        tried = sum(counts.values()) - counts["not checked"]
        if not tried:
            continue
        surviving = counts["survived"] + counts["no tests"]
        finished = "" if counts["not checked"] == 0 else " (unfinished)"
        print(f"| {module}{finished} | {sum(counts.values())} | "
              + " | ".join(str(counts[c]) for c in COLUMNS)
              + f" | {surviving / tried:.1%} |")
        if not counts["not checked"]:
            total += counts
    tried = sum(total.values())
    if tried:
        surviving = total["survived"] + total["no tests"]
        print(f"| **finished modules** | {tried} | " + " | ".join(str(total[c]) for c in COLUMNS)
              + f" | **{surviving / tried:.1%}** |")


if __name__ == "__main__":
    main(sys.argv[1:])
