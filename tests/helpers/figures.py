"""The figures a reliability test proves, recorded for ``python -m bench.reliability``.

Each test records the figures it proves (kill points survived, attacks denied, bytes compared)
with ``figures.record``. They are printed under ``-s`` and, when RELIABILITY_REPORT names a file,
appended to it as JSON lines for the report to tabulate.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


class Figures:
    """Where a test writes the numbers the report prints."""

    def __init__(self, test: str) -> None:
        self.test = test
        self.target = os.environ.get("RELIABILITY_REPORT")

    def record(
        self, group: str, name: str, value: float | int, of: float | int | None = None
    ) -> None:
        """One figure: ``value`` (out of ``of`` when given) under a report group."""
        row = {"test": self.test, "group": group, "name": name, "value": value, "of": of}
        print(f"\n[figure] {group} / {name}: {value}" + (f" of {of}" if of is not None else ""))
        if self.target:
            with Path(self.target).open("a", encoding="utf-8") as file:
                file.write(json.dumps(row) + "\n")
