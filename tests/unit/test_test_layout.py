"""The tests' own layout: shared code lives in ``tests.helpers``, and nothing else is imported.

A test module importing another (or a conftest) ties two files together invisibly: moving,
renaming or deleting one breaks the other, and a helper copied instead of imported drifts. The
check reads every import with ``ast``, function-level ones included.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = "tests.helpers"


def stray_imports(source: str, where: str) -> list[str]:
    """Each import in ``source`` of a ``tests`` module outside ``tests.helpers``, or relative."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level:
            found.append(f"{where}:{node.lineno}: relative import from {node.module or '.'}")
            continue
        if isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
            if node.module == "tests":  # `from tests import conftest`
                names = [f"tests.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            inside = name == "tests" or name.startswith("tests.")
            if inside and name != ALLOWED and not name.startswith(ALLOWED + "."):
                found.append(f"{where}:{node.lineno}: imports {name}")
    return found


def test_only_the_helpers_are_imported_across_tests_and_bench() -> None:
    offenders = []
    for folder in ("tests", "bench"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            where = str(path.relative_to(ROOT))
            offenders += stray_imports(path.read_text(encoding="utf-8"), where)
    assert offenders == [], "import shared code from tests.helpers:\n" + "\n".join(offenders)


def test_the_check_sees_every_form_of_import() -> None:
    """Module-level, function-level, `import tests.x`, `from tests import x` and relative."""
    source = (
        "from tests.e2e.conftest import children_of\n"
        "import tests.tui.test_app\n"
        "from tests import conftest\n"
        "from .screen import screen_rows\n"
        "def later():\n"
        "    from tests.backlog_db import make_backlog\n"
        "from tests.helpers.pilot import SIZE\n"
        "from tests.helpers import screen\n"
        "import tests.helpers.processes\n"
        "from testsuite import x\n"
    )
    assert stray_imports(source, "m.py") == [
        "m.py:1: imports tests.e2e.conftest",
        "m.py:2: imports tests.tui.test_app",
        "m.py:3: imports tests.conftest",
        "m.py:4: relative import from screen",
        "m.py:6: imports tests.backlog_db",
    ]
