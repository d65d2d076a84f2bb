"""The prompt's history from the store: a project's questions, newest first, each once."""

from __future__ import annotations

from pathlib import Path

from tui.models import Role
from tui.storage import Store


async def test_questions_are_the_projects_own_newest_first_each_once(
    store: Store, project: Path, tmp_path: Path
) -> None:
    first, _ = await store.conversation_create(project, "how is it built?")
    await store.message_add(first.id, Role.ASSISTANT, "With hatchling.")
    await store.message_add(first.id, Role.USER, "and tested?")
    await store.conversation_create(project, "how is it built?")  # asked again
    other = tmp_path / "other"
    other.mkdir()
    await store.conversation_create(other, "a question of another project")
    assert await store.questions_asked(project) == ["how is it built?", "and tested?"]
    assert await store.questions_asked(other) == ["a question of another project"]


async def test_a_trashed_conversations_questions_leave_the_history_until_restored(
    store: Store, project: Path
) -> None:
    await store.conversation_create(project, "kept")
    gone, _ = await store.conversation_create(project, "private, deleted")
    await store.conversation_trash(gone.id)
    assert await store.questions_asked(project) == ["kept"]
    await store.conversation_restore(gone.id)
    assert await store.questions_asked(project) == ["private, deleted", "kept"]


async def test_a_state_key_can_be_forgotten(store: Store) -> None:
    await store.state_set("draft:1", "half a question")
    await store.state_delete("draft:1")
    assert await store.state_get("draft:1") is None
    await store.state_delete("draft:1")  # forgetting twice is no error
