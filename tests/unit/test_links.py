"""The per-session deny rules computed from a real tree (hardlinks, secret names, odd names)."""

from __future__ import annotations

import os
from pathlib import Path

from boundary.links import session_rules


def test_rules_name_hardlinks_and_case_variants_of_secrets(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "src").mkdir(parents=True)
    (root / "node_modules" / "pkg").mkdir(parents=True)
    (tmp_path / "outside.txt").write_text("x")
    os.link(tmp_path / "outside.txt", root / "src" / "linked.txt")
    os.link(tmp_path / "outside.txt", root / "node_modules" / "pkg" / "cached.js")
    os.link(tmp_path / "outside.txt", root / "src" / "we*rd[1].txt")
    (root / "Deploy.PEM").write_text("k")
    (root / "src" / "plain.py").write_text("x = 1\n")
    rules, walk = session_rules(root, allow_secrets=False)
    assert walk.complete and walk.entries == 6  # node_modules is not entered
    assert f"Read(/{root}/src/linked.txt)" in rules
    assert f"Read(/{root}/src/**)" in rules  # the odd name: its nearest plain folder, wider
    assert f"Read(/{root}/Deploy.PEM)" in rules and "Read(**/.env*)" in rules
    assert not [r for r in rules if "node_modules" in r or "plain.py" in r]
    relaxed, _ = session_rules(root, allow_secrets=True)
    assert f"Read(/{root}/src/linked.txt)" in relaxed
    assert not [r for r in relaxed if "PEM" in r or ".env" in r]
