"""Branching in the store: what a branch copies, what it leaves, and what outlives its parent."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.models import Conversation, Message, MessageStatus, Role, ToolStatus, TurnUsage
from tui.storage import Store, StoreError


async def chat(store: Store, project: Path) -> tuple[Conversation, list[Message]]:
    """Three turns; the first answer used a tool and cost something; the last is cut off."""
    conv, _q1 = await store.conversation_create(project, "How does the parser work?", "opus")
    a1 = await store.message_add(conv.id, Role.ASSISTANT, "", MessageStatus.STREAMING)
    await store.message_finish(a1.id, "It descends.", MessageStatus.COMPLETE, TurnUsage(cost_usd=1))
    await store.tool_event_upsert(
        conv.id, "t1", "Read", {"file_path": "p.py"}, message_id=a1.id, decision="allowed"
    )
    await store.tool_event_upsert(
        conv.id, "t1", "", {}, message_id=a1.id, status=ToolStatus.OK, result="def parse(): ..."
    )
    await store.message_add(conv.id, Role.USER, "And the lexer?")
    await store.message_add(conv.id, Role.ASSISTANT, "It splits.")
    await store.message_add(conv.id, Role.USER, "Third?")
    await store.message_add(conv.id, Role.ASSISTANT, "Thi", MessageStatus.STREAMING)
    return conv, await store.message_page(conv.id)


async def test_a_question_is_taken_with_its_answer(store: Store, project: Path) -> None:
    parent, messages = await chat(store, project)
    branch = await store.conversation_branch(parent.id, messages[2].id)  # "And the lexer?"
    assert branch.parent_id == parent.id and branch.parent_message_id == messages[3].id
    assert branch.title == "And the lexer?" and branch.model == "opus"
    assert branch.project_path == parent.project_path and branch.session_id is None
    copied = await store.message_page(branch.id)
    assert [(m.role, m.content) for m in copied] == [(m.role, m.content) for m in messages[:4]]
    assert [m.created_at for m in copied] == [m.created_at for m in messages[:4]]
    assert branch.message_count == 4
    events = await store.tool_event_list(branch.id)
    assert [(e.name, e.status, e.result, e.message_id, e.decision) for e in events] == [
        ("Read", ToolStatus.OK, "def parse(): ...", copied[1].id, "allowed")
    ]
    assert await store.conversation_cost(branch.id) == 0  # the parent paid for those turns
    assert await store.conversation_cost(parent.id) == 1


async def test_an_answer_ends_the_branch_and_a_cut_reply_is_copied_as_interrupted(
    store: Store, project: Path
) -> None:
    parent, messages = await chat(store, project)
    first = await store.conversation_branch(parent.id, messages[1].id)
    assert [m.content for m in await store.message_page(first.id)] == [
        "How does the parser work?",
        "It descends.",
    ]
    last = await store.conversation_branch(parent.id, messages[5].id)
    copied = await store.message_page(last.id)
    assert copied[-1].content == "Thi" and copied[-1].status is MessageStatus.INTERRUPTED
    assert last.title == "Third?"


async def test_the_branch_outlives_its_parent(store: Store, project: Path) -> None:
    parent, messages = await chat(store, project)
    branch = await store.conversation_branch(parent.id, messages[3].id)
    await store.conversation_trash(parent.id)
    listed = await store.conversation_list(project)
    assert [(c.id, c.parent_id) for c in listed] == [(branch.id, parent.id)]
    await store.conversation_purge(parent.id)
    kept = await store.conversation_get(branch.id)
    assert kept is not None and kept.parent_id is None and kept.message_count == 4
    assert len(await store.message_page(branch.id)) == 4


async def test_a_message_of_another_conversation_is_refused(store: Store, project: Path) -> None:
    parent, _ = await chat(store, project)
    other, first = await store.conversation_create(project, "elsewhere")
    with pytest.raises(StoreError, match="no longer in its conversation"):
        await store.conversation_branch(parent.id, first.id)
    with pytest.raises(StoreError, match="no longer exists"):
        await store.conversation_branch(other.id + 100, first.id)
    assert len(await store.conversation_list(project)) == 2  # nothing half-made


async def test_questions_from_the_branch_turn_on(store: Store, project: Path) -> None:
    parent, messages = await chat(store, project)
    assert await store.questions_from(parent.id, messages[3].id) == ["And the lexer?", "Third?"]
    assert await store.questions_from(parent.id, messages[0].id) == [
        "How does the parser work?",
        "And the lexer?",
        "Third?",
    ]
