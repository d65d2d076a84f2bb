"""The documents: every link and anchor resolves, the README stays short, its commands stay put."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
DOCUMENTS = [README, *sorted((REPO / "docs").glob("*.md")), REPO / "mcp_server" / "README.md"]

APP_COMMAND = (
    "python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/assistant-tui --demo"
)
TEST_COMMAND = (
    "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest"
)

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
LINK = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
INLINE_CODE = re.compile(r"(`+)(.+?)\1")


def prose_lines(text: str) -> list[str]:
    """The lines outside fenced code blocks."""
    lines, fence = [], ""
    for line in text.splitlines():
        opened = FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = ""
            continue
        if opened:
            fence = opened.group(1)
            continue
        lines.append(line)
    return lines


def sh_block_lines(text: str) -> list[str]:
    """Every line of the document's fenced `sh` blocks."""
    found, inside = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            inside = not inside and line.strip() == "```sh"
            continue
        if inside:
            found.append(line)
    return found


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: its text, lowercased, punctuation dropped, spaces to -."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link shows its text
    text = INLINE_CODE.sub(lambda m: m.group(2), text).replace("*", "")
    text = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """The anchors of a Markdown file's headings, numbered as GitHub numbers repeated ones."""
    seen: dict[str, int] = {}
    found = set()
    for line in prose_lines(path.read_text(encoding="utf-8")):
        match = HEADING.match(line)
        if not match:
            continue
        base = slug(match.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def links(path: Path) -> list[str]:
    """The link targets written in a document's prose (not in code)."""
    targets = []
    for line in prose_lines(path.read_text(encoding="utf-8")):
        targets += LINK.findall(INLINE_CODE.sub("", line))
    return targets


def broken_links(path: Path) -> list[str]:
    """Each relative link of the file whose file is missing or whose #anchor is no heading."""
    broken = []
    for target in links(path):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):
            continue  # https:, mailto:: not ours to check offline
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        if not linked.exists():
            broken.append(f"{target}: no file {linked}")
        elif anchor:
            if linked.suffix != ".md":
                broken.append(f"{target}: an anchor into a file that is not Markdown")
            elif anchor not in anchors(linked):
                broken.append(f"{target}: no heading of {linked.name} has the anchor #{anchor}")
    return broken


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_link_and_anchor_resolves(path: Path) -> None:
    assert path.is_file()
    assert broken_links(path) == []


def test_the_check_finds_a_broken_link_and_a_broken_anchor(tmp_path: Path) -> None:
    (tmp_path / "other.md").write_text("# Other page\n\n## Its `--serve` part (here)\n")
    page = tmp_path / "page.md"
    page.write_text(
        "# Page\n\n## Same name\n\n## Same name\n\n"
        "[ok](other.md#its---serve-part-here) [ok](#same-name-1) [ok](https://example.com/x)\n"
        "`[code](nowhere.md)` [bad](nowhere.md) [bad](other.md#missing) [bad](#same-name-2)\n"
        "```\n[in a fence](nowhere-either.md)\n```\n"
    )
    assert [entry.split(":")[0] for entry in broken_links(page)] == [
        "nowhere.md",
        "other.md#missing",
        "#same-name-2",
    ]


def test_slugs_follow_github() -> None:
    assert slug("Nobody else drives the app (`--serve`)") == "nobody-else-drives-the-app---serve"
    assert slug("The question (`tui/agent/approval.py`, `x_y.py`)") == (
        "the-question-tuiagentapprovalpy-x_ypy"
    )
    assert slug("Import from AutoCoder/AutoForge") == "import-from-autocoderautoforge"


def test_the_readme_is_short() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 200, f"README.md has {len(lines)} lines; move detail to docs/"


def test_every_page_is_linked_from_the_readme() -> None:
    linked = {
        (REPO / target.partition("#")[0]).resolve()
        for target in links(README)
        if not target.startswith("#")
    }
    assert [p for p in DOCUMENTS[1:] if p.resolve() not in linked] == []


def test_the_readme_keeps_its_two_commands() -> None:
    commands = sh_block_lines(README.read_text(encoding="utf-8"))
    assert APP_COMMAND in commands
    assert TEST_COMMAND in commands


def test_ci_runs_the_readme_test_command() -> None:
    """.ci/run copies the README's test command onto the line after its comment saying so."""
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    marker = next(i for i, line in enumerate(ci) if "The README's test command" in line)
    assert ci[marker + 1].strip() == TEST_COMMAND


def test_the_generated_parts_have_their_markers() -> None:
    """bench/run rewrites the figures between its markers, the keys table is checked between its."""
    for path, name in [(REPO / "docs" / "performance.md", "bench"), (README, "keys")]:
        text = path.read_text(encoding="utf-8")
        begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
        assert text.count(begin) == 1 and text.count(end) == 1, path
        assert text.index(begin) < text.index(end), path
