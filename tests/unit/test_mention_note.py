"""The note a question's @mentions become: decided by the real guard, small files' first lines,
refusals as one sentence, words that name nothing left alone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tui.agent.fork import asks
from tui.agent.guard import Guard
from tui.mentions.note import NOTE_END, mention, mentioned_words, resolve


@pytest.fixture
def root(tmp_path: Path) -> Path:
    path = tmp_path / "project"
    (path / "src").mkdir(parents=True)
    (path / "app.py").write_text("".join(f"line {n}\n" for n in range(1, 31)))
    (path / "src" / "small.py").write_text("X = 1\n")
    (path / "big.log").write_text("y" * 10_000)
    (path / "image.bin").write_bytes(b"\x89PNG\0\0")
    (path / "notes with space.md").write_text("hello\n")
    (path / "innocent.txt").write_text("token sk-ant-api03-abcdefghijklmnop\n")
    (path / ".env").write_text("KEY=1\n")
    (tmp_path / "outside.txt").write_text("outside\n")
    return path


def test_words_after_an_at_are_mentions_but_not_inside_a_word() -> None:
    text = 'see @app.py, @"notes with space.md" and mail me at a@b.com @app.py'
    assert mentioned_words(text) == ["app.py,", "notes with space.md", "app.py"]
    assert mention("notes with space.md") == '@"notes with space.md"'


def test_the_note_names_each_path_with_the_first_lines_of_small_files(root: Path) -> None:
    question = "compare @app.py @src/small.py @big.log @image.bin @src/ @nothing.py"
    done = resolve(question, Guard(root))
    assert done.paths == ["app.py", "src/small.py", "big.log", "image.bin", "src/"]
    assert done.refused == []
    note, _, asked = done.prompt.partition(f"{NOTE_END}\n\n")
    assert asked == question  # the question itself follows the note unchanged
    assert "- app.py (231 bytes; its first 20 of 30 lines below)" in note
    assert '<file path="app.py">\nline 1\n' in note and "line 20\n</file>" in note
    assert "line 21" not in note
    assert "- src/small.py (6 bytes; all of it below)" in note
    assert "- big.log (larger than 4 KB; read it with the Read tool if needed)" in note
    assert "- image.bin (binary; read it with the Read tool if needed)" in note
    assert "- src/ (a folder)" in note
    assert "nothing.py" not in note  # names nothing: plain text
    assert asks(done.prompt, question)  # a retry still finds this question in the transcript


def test_punctuation_after_a_mention_and_quoted_names(root: Path) -> None:
    done = resolve('Is @app.py. like @"notes with space.md"? @app.py', Guard(root))
    assert done.paths == ["app.py", "notes with space.md"]


def test_what_the_guard_refuses_is_said_and_not_sent(root: Path, tmp_path: Path) -> None:
    os.link(root / "src" / "small.py", root / "second.py")
    question = "read @.env @innocent.txt @../outside.txt @second.py"
    done = resolve(question, Guard(root))
    assert done.paths == [] and done.prompt == question  # no note at all
    assert done.refused == [
        f"@.env was not shown to the model: {root / '.env'} may hold secrets (keys, "
        "passwords, tokens), so it is not read; the user can allow it with --allow-secrets.",
        "@innocent.txt was not shown to the model: "
        f"{root / 'innocent.txt'} holds an Anthropic API key, so it is not read; the user can "
        "allow it with --allow-secrets.",
        f"@../outside.txt was not shown to the model: {root / '../outside.txt'} is outside the "
        f"project {root}; this assistant may only read files inside it.",
        f"@second.py was not shown to the model: {root / 'second.py'} is a hardlink (2 names), "
        "whose other name may be outside the project; this assistant reads only regular files "
        "of the project.",
    ]


def test_names_differing_in_case_resolve_to_their_own_file(root: Path) -> None:
    (root / "README.md").write_text("upper\n")
    (root / "Readme.md").write_text("mixed\n")
    done = resolve("@Readme.md", Guard(root))
    assert "mixed" in done.prompt and "upper" not in done.prompt
