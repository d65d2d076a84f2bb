"""The reliability report: run the reliability suite and print the figures its tests prove.

Run: python -m bench.reliability   (about three minutes; exits non-zero when a test fails)

The figures come from the tests themselves (tests/reliability, each records what it checked with
the ``figures`` fixture), so the report can only show what a passing test proved: a failed test
records nothing and is listed below the table.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from bench.harness import print_table

ROOT = Path(__file__).resolve().parent.parent
MAXIMA = ("worst", "slowest")  # figures that are the largest value seen, not a count


def run_suite(report: Path) -> tuple[int, str]:
    """Run tests/reliability with figures going to ``report``; pytest's exit code and summary."""
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/reliability", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        env={**os.environ, "RELIABILITY_REPORT": str(report)},
        capture_output=True,
        text=True,
    )
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    failed = [line for line in lines if line.startswith(("FAILED", "ERROR"))]
    return done.returncode, "\n".join(failed + lines[-1:])


def aggregate(rows: list[dict[str, object]]) -> dict[tuple[str, str], tuple[float, float | None]]:
    """Sum counts per (group, figure); keep the largest value for worst/slowest figures."""
    totals: dict[tuple[str, str], list[float | None]] = defaultdict(lambda: [0.0, None])
    for row in rows:
        key = (str(row["group"]), str(row["name"]))
        value = float(row["value"])  # type: ignore[arg-type]
        total = totals[key]
        if key[1].startswith(MAXIMA):
            total[0] = max(total[0] or 0.0, value)
        else:
            total[0] = (total[0] or 0.0) + value
        if row.get("of") is not None:
            total[1] = (total[1] or 0.0) + float(row["of"])  # type: ignore[arg-type]
    return {key: (value or 0.0, of) for key, (value, of) in totals.items()}


def number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.3f}"


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "figures.jsonl"
        code, summary = run_suite(report)
        rows = (
            [json.loads(line) for line in report.read_text().splitlines()]
            if report.exists()
            else []
        )
    figures = aggregate(rows)
    table = [
        (group, name, number(value) + (f" of {number(of)}" if of is not None else ""))
        for (group, name), (value, of) in sorted(figures.items())
    ]
    faults = [(v, of) for (g, _), (v, of) in figures.items() if g == "faults" and of is not None]
    survived = sum(v for v, _ in faults)
    counted = sum(of or 0 for _, of in faults)
    tried = figures.get(("attacks", "tried"), (0.0, None))[0]
    refused = sum(figures.get(("attacks", n), (0.0, None))[0] for n in ("denied", "neutralised"))
    table += [
        ("summary", "fault scenarios survived", f"{number(survived)} of {number(counted)}"),
        ("summary", "attacks tried / refused", f"{number(tried)} / {number(refused)}"),
    ]
    print_table("Reliability (tests/reliability)", ["group", "figure", "value"], table)
    print(f"\npytest: {summary}")
    return code


if __name__ == "__main__":
    sys.exit(main())
