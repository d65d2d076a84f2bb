"""The Markdown of an exported conversation, read back with a CommonMark parser."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from tui.export.markdown import RESULT_SHOWN, close_open_fence, fenced, to_markdown
from tui.export.target import (
    ExportError,
    chosen_path,
    default_path,
    file_name,
    free_path,
    write_new,
)
from tui.models import (
    Conversation,
    Message,
    MessageStatus,
    Role,
    ToolEvent,
    ToolStatus,
    TurnUsage,
)

T0 = datetime(2025, 3, 4, 12, 0, tzinfo=UTC)
HOSTILE = "look\x1b]52;c;ZXZpbA==\x07 and \x1b[2J\x9b31m done"


def conversation(title: str = "How does the parser work?", **changes: object) -> Conversation:
    fields: dict[str, object] = {
        "id": 7,
        "project_path": Path("/work/calc"),
        "project_name": "calc",
        "title": title,
        "session_id": "s",
        "model": "claude-opus",
        "created_at": T0,
        "updated_at": T0 + timedelta(minutes=5),
        "pinned": False,
        "archived": False,
        "deleted_at": None,
        "message_count": 4,
    }
    fields.update(changes)
    return Conversation(**fields)  # type: ignore[arg-type]


def message(
    id: int, role: Role, text: str, status: MessageStatus = MessageStatus.COMPLETE, **more: object
) -> Message:
    return Message(id, 7, role, text, status, T0 + timedelta(seconds=id), **more)  # type: ignore[arg-type]


def tool(
    id: int,
    message_id: int | None,
    name: str,
    given: dict[str, object],
    result: str | None,
    status: ToolStatus = ToolStatus.OK,
    size: int | None = None,
) -> ToolEvent:
    start = T0 + timedelta(seconds=id)
    size = len(result or "") if size is None else size
    end = start + timedelta(seconds=1.25)
    return ToolEvent(id, 7, message_id, f"tu{id}", name, given, result, size, status, start, end)


def parse(markdown: str) -> list[Token]:
    return MarkdownIt("commonmark").parse(markdown)


def fences(markdown: str) -> list[Token]:
    return [t for t in parse(markdown) if t.type == "fence"]


def test_title_metadata_messages_and_tools_in_order() -> None:
    usage = TurnUsage(input_tokens=1000, output_tokens=200, cost_usd=0.0123)
    messages = [
        message(1, Role.USER, "How does the parser work?"),
        message(2, Role.ASSISTANT, "It is **recursive descent**.\n\n- one\n- two", usage=usage),
        message(3, Role.USER, "And the tests?"),
        message(4, Role.ASSISTANT, "In `tests/`."),
    ]
    events = [
        tool(1, 2, "Read", {"file_path": "calc/parser.py"}, "def parse(): ..."),
        tool(2, 2, "Bash", {"command": "rm -rf /"}, "Denied: read-only.", ToolStatus.DENIED),
        tool(3, 4, "Glob", {"pattern": "tests/*.py"}, "tests/test_parser.py"),
    ]
    text = to_markdown(conversation(), messages, events, exported_at=T0)
    tokens = parse(text)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings[0] == "How does the parser work?"
    assert [h.split(" · ")[0] for h in headings[1:]] == ["You", "Assistant", "You", "Assistant"]
    assert "- Project: `/work/calc`" in text and "- Model: `claude-opus`" in text
    assert "- Cost: $0.0123 (1,200 tokens)" in text and "- Messages: 4" in text
    summaries = [line for line in text.splitlines() if line.startswith("<details>")]
    assert summaries == [
        "<details><summary>Tool: Reading file: parser.py — ok, 1.2s</summary>",
        "<details><summary>Tool: Using tool: Bash — denied, 1.2s</summary>",
        "<details><summary>Tool: Searching for files: tests/*.py — ok, 1.2s</summary>",
    ]
    assert text.count("</details>") == 3
    # Each user message is a literal block; each tool's input is JSON and its result follows.
    blocks = [(f.info, f.content) for f in fences(text)]
    assert blocks[0] == ("text", "How does the parser work?\n")
    assert blocks[1] == ("json", '{\n  "file_path": "calc/parser.py"\n}\n')
    assert blocks[2] == ("", "def parse(): ...\n")
    # The assistant's Markdown is kept as Markdown, after the tools of its turn.
    strong = [t for t in tokens if t.type == "inline" and "recursive descent" in t.content]
    assert strong and strong[0].children is not None
    assert any(c.type == "strong_open" for c in strong[0].children)
    assert text.index("rm -rf /") < text.index("It is **recursive descent**")
    assert text.index("tests/test_parser.py") > text.index("And the tests?")


def test_fences_outrun_every_backtick_run_inside() -> None:
    user = "Why does this fail?\n```python\nx = 1\n```\nand ```` four"
    result = "`````\nfive backticks above\n```"
    messages = [message(1, Role.USER, user), message(2, Role.ASSISTANT, "Fixed.")]
    events = [tool(1, 2, "Read", {"file_path": "a.md", "note": "``` in input"}, result)]
    text = to_markdown(conversation(), messages, events)
    contents = [f.content for f in fences(text)]
    assert contents[0] == user + "\n"
    assert '"note": "``` in input"' in contents[1]
    assert contents[2] == result + "\n"
    assert fenced("plain").startswith("```\n") and fenced("a ```` b").startswith("`````\n")
    # The document after them is intact: the reply is still a paragraph of its own.
    paragraphs = [t.content for t in parse(text) if t.type == "inline"]
    assert "Fixed." in paragraphs


def test_a_reply_that_leaves_a_fence_open_cannot_swallow_the_rest() -> None:
    messages = [
        message(1, Role.ASSISTANT, "Start:\n```python\ndef f():", MessageStatus.INTERRUPTED),
        message(2, Role.USER, "go on"),
    ]
    text = to_markdown(conversation(), messages, [])
    assert fences(text)[0].content == "def f():\n"
    headings = [
        t.content for t in parse(text) if t.type == "inline" and t.content.startswith("You")
    ]
    assert len(headings) == 1
    assert "Interrupted: the answer was stopped before it finished." in text
    assert close_open_fence("a\n````\nb\n```\n") == "a\n````\nb\n```\n````\n"
    assert close_open_fence("a\n```\nb\n```\n") == "a\n```\nb\n```\n"


ANSWER_WITH_HEADINGS = """# Overview

Intro.

## Functions

### add

Setext title
------------

```python
## not a heading
# a comment
```

~~~
# also code
~~~

    # indented code

> ## Quoted
"""


def headings(markdown: str) -> list[tuple[str, str]]:
    tokens = parse(markdown)
    return [
        (t.tag, tokens[i + 1].content) for i, t in enumerate(tokens) if t.type == "heading_open"
    ]


def test_an_answers_headings_sit_below_the_assistant_heading() -> None:
    """The export's `## You` / `## Assistant` stay the outline; an answer's own headings are
    moved below them, all by the same step so their levels stay apart; code is left as it is."""
    messages = [
        message(1, Role.USER, "## my question"),
        message(2, Role.ASSISTANT, ANSWER_WITH_HEADINGS),
        message(3, Role.USER, "and?"),
        message(4, Role.ASSISTANT, "## Functions\n\ntext\n\n###### Deepest\n"),
    ]
    text = to_markdown(conversation(), messages, [])
    found = [(tag, title.split(" · ")[0]) for tag, title in headings(text)]
    assert found == [
        ("h1", "How does the parser work?"),
        ("h2", "You"),
        ("h2", "Assistant"),
        ("h3", "Overview"),
        ("h4", "Functions"),
        ("h5", "add"),
        ("h4", "Setext title"),
        ("h4", "Quoted"),
        ("h2", "You"),
        ("h2", "Assistant"),
        ("h3", "Functions"),
        ("h6", "Deepest"),
    ]
    assert [t.content for t in fences(text)] == [
        "## my question\n",
        "## not a heading\n# a comment\n",
        "# also code\n",
        "and?\n",
    ]
    assert "\n    # indented code\n" in text


def test_errors_and_interrupted_turns_are_marked() -> None:
    messages = [
        message(1, Role.USER, "hi"),
        message(
            2, Role.ASSISTANT, "Partial", MessageStatus.ERROR, error="The API is overloaded (529)."
        ),
        message(3, Role.ASSISTANT, "", MessageStatus.INTERRUPTED),
    ]
    events = [tool(1, 3, "Read", {"file_path": "x"}, None, ToolStatus.RUNNING)]
    text = to_markdown(conversation(), messages, events)
    assert "> **Error: The API is overloaded (529).**" in text
    assert "*(no text)*" in text and "> **Interrupted:" in text
    assert "<summary>Tool: Reading file: x — running</summary>" in text
    assert "No result." in text


def test_escape_sequences_are_inert_everywhere() -> None:
    messages = [message(1, Role.USER, HOSTILE), message(2, Role.ASSISTANT, HOSTILE)]
    events = [tool(1, 2, "Grep", {"pattern": HOSTILE}, HOSTILE + "\r\nline two")]
    title = conversation(title="t\x1b]0;owned\x07itle", model="m\x1b[31m")
    text = to_markdown(title, messages, events)
    assert not [c for c in text if (ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F]
    assert text.count("␛]52;c;ZXZpbA==^G") == 4  # user, reply, tool summary line, result
    assert "line two" in text and "^M" not in text  # CRLF results read as lines
    assert text.startswith("# t␛\\]0;owned^Gitle\n")


def test_long_results_are_capped_like_the_app_shows_them() -> None:
    stored = "x" * 100_000
    events = [tool(1, 2, "Grep", {"pattern": "x"}, stored, size=5_000_000)]
    text = to_markdown(conversation(), [message(2, Role.ASSISTANT, "Done.")], events)
    assert f"Result (first {RESULT_SHOWN:,} of 5,000,000 characters):" in text
    assert fences(text)[-1].content == "x" * RESULT_SHOWN + "\n"


def test_summary_html_is_escaped_and_secrets_redacted() -> None:
    key, token = "sk-ant-api03-0123456789abcdef", "custom-token-value-42"
    events = [tool(1, 2, "Grep", {"pattern": "</summary></details><script>"}, f"KEY={key}")]
    messages = [
        message(1, Role.USER, f"my token is {token}"),
        message(2, Role.ASSISTANT, "Seen."),
    ]
    text = to_markdown(conversation(), messages, events, secrets=[token, ""])
    assert "&lt;/summary&gt;&lt;/details&gt;&lt;script&gt;" in text
    assert key not in text and token not in text and text.count("[redacted]") == 2


def test_file_names_and_default_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert file_name(conversation("How does the parser work?")) == "How-does-the-parser-work.md"
    assert file_name(conversation("../../etc/passwd")) == "etc-passwd.md"
    assert file_name(conversation("«Café» über alles")) == "Café-über-alles.md"
    assert file_name(conversation("???")) == "conversation-7.md"
    assert len(file_name(conversation("a" * 300))) == 63
    project, docs, elsewhere = tmp_path / "p", tmp_path / "docs", tmp_path / "else"
    for folder in (project / "sub", docs, elsewhere):
        folder.mkdir(parents=True)
    convo = conversation("Notes", project_path=project)
    monkeypatch.setattr("tui.export.target.documents_dir", lambda: None)
    assert default_path(convo, [project], cwd=elsewhere) == elsewhere / "Notes.md"
    with pytest.raises(ExportError, match="inside the project and there is no documents"):
        default_path(convo, [project], cwd=project / "sub")
    monkeypatch.setattr("tui.export.target.documents_dir", lambda: docs)
    assert default_path(convo, [project], cwd=project / "sub") == docs / "Notes.md"
    monkeypatch.chdir(elsewhere)
    assert chosen_path("out.md", convo) == elsewhere / "out.md"
    assert chosen_path(str(docs), convo) == docs / "Notes.md"


def test_writing_never_overwrites_without_force(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    write_new(target, "one")
    with pytest.raises(ExportError, match=r"a\.md already exists; pass --force"):
        write_new(target, "two", exists_hint="; pass --force")
    assert target.read_text() == "one"
    write_new(target, "two", force=True)
    assert target.read_text() == "two" and [p.name for p in tmp_path.iterdir()] == ["a.md"]
    assert free_path(target) == tmp_path / "a-2.md"
    with pytest.raises(ExportError, match="does not exist; create it"):
        write_new(tmp_path / "missing" / "a.md", "x")
    with pytest.raises(ExportError, match="is a folder"):
        write_new(tmp_path, "x", force=True)


def test_an_effort_chosen_is_in_the_metadata_and_none_says_nothing() -> None:
    chosen = dataclasses.replace(conversation(), effort="low")
    assert "- Effort: `low`" in to_markdown(chosen, [], [], exported_at=T0)
    assert "Effort" not in to_markdown(conversation(), [], [], exported_at=T0)


def test_thinking_is_folded_in_details_before_the_answer_and_cannot_leave_it() -> None:
    hostile = "Plan:\n</details>\n\n# Not a heading\n```\nfence\n```\n<script>x</script>\x1b[31m"
    messages = [
        message(1, Role.USER, "Why?"),
        message(2, Role.ASSISTANT, "Because.", thinking=hostile, thinking_ms=3250),
    ]
    text = to_markdown(conversation(), messages, [], exported_at=T0)
    opened = f"<details><summary>Thinking · {len(hostile)} chars · 3.2 s</summary>"
    assert opened in text
    assert text.index(opened) < text.index("Because.")
    blocks = [(f.info, f.content) for f in fences(text)]
    assert ("text", inert_hostile(hostile) + "\n") in blocks  # the whole thinking, one block
    tokens = parse(text)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert "Not a heading" not in headings
    assert "\x1b" not in text
    assert text.count("</details>") == 2  # the thinking's own, fenced, and the block's end


def inert_hostile(text: str) -> str:
    return text.replace("\x1b", "␛")
