"""The layers of DESIGN.md, checked by importing each module in a clean interpreter."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEXTUAL_FREE = ("tui.storage", "tui.agent", "tui.models", "tui.config", "tui.export")


def modules(package: str) -> list[str]:
    """Every module of a package that exists on disk (packages added later are covered too)."""
    base = ROOT / package.replace(".", "/")
    if base.with_suffix(".py").is_file():
        return [package]
    if not base.is_dir():
        return []
    found = [package]
    for info in pkgutil.walk_packages([str(base)], prefix=f"{package}."):
        found.append(info.name)
    return found


def imported_after(module: str) -> set[str]:
    """The top-level packages loaded by importing one module in a fresh interpreter."""
    code = (
        "import sys, importlib; before = set(sys.modules); "
        f"importlib.import_module({module!r}); "
        "print('\\n'.join(sorted({m.split('.')[0] for m in set(sys.modules) - before})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return set(done.stdout.split())


@pytest.mark.parametrize("module", modules("mcp_server"))
def test_mcp_server_never_imports_tui_or_heavy_packages(module: str) -> None:
    loaded = imported_after(module)
    assert not loaded & {"tui", "textual", "mcp", "claude_agent_sdk", "pydantic"}, loaded


@pytest.mark.parametrize(
    "module", [m for package in TEXTUAL_FREE for m in modules(package)] or ["tui"]
)
def test_engine_and_storage_never_import_textual(module: str) -> None:
    assert "textual" not in imported_after(module)


@pytest.mark.parametrize(
    "module", ["tui.app", "tui.__main__", "tui.screens.main", "tui.agent.manager"]
)
def test_the_first_screen_does_not_wait_for_the_sdk(module: str) -> None:
    """claude_agent_sdk (~0.5 s to import) loads only when a session connects."""
    assert "claude_agent_sdk" not in imported_after(module)
