"""The conversation store: what the app asks of its history, in noun-then-verb methods.

Every method is one short query or one write transaction on the shared Database; nothing here
knows about Textual, and the app opens and closes the store.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import aiosqlite

from tui.clock import now, to_text
from tui.models import (
    Conversation,
    Message,
    MessageStatus,
    Role,
    SearchHit,
    Thought,
    ToolEvent,
    ToolStatus,
    TurnUsage,
)
from tui.storage import branch, imported, notes, questions, rows, search, state_keys
from tui.storage.database import Database
from tui.storage.errors import StoreError

RESULT_CAP = 100_000  # characters of a tool result kept; result_size records the full length
_LIST_ORDER = "pinned DESC, updated_at DESC, id DESC"


class Store:
    """Conversations, messages, tool events and search for every project, in one file."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @classmethod
    async def open(cls, path: Path) -> Store:
        """Open (creating or upgrading) the history file; StoreError says what to do on failure."""
        return cls(await Database.open(path))

    async def close(self) -> None:
        await self.db.close()

    @property
    def path(self) -> Path:
        return self.db.path

    @property
    def read_only(self) -> bool:
        return self.db.read_only

    # -- conversations -----------------------------------------------------------------------

    async def conversation_create(
        self,
        project: Path,
        first_message: str,
        model: str | None = None,
        parent_id: int | None = None,
        parent_message_id: int | None = None,
        chosen: tuple[str | None, str | None] = (None, None),
    ) -> tuple[Conversation, Message]:
        """Create a conversation together with its first user message (never an empty row).

        ``chosen`` is the model and effort the user picked for it before it existed."""
        project = project.resolve()
        stamp = to_text(now())
        async with self.db.writing() as conn:
            cursor = await conn.execute(
                "INSERT INTO conversations (project_path, project_name, title, model, created_at,"
                " updated_at, parent_id, parent_message_id, chosen_model, effort)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    str(project),
                    project.name or str(project),
                    rows.make_title(first_message),
                    model,
                    stamp,
                    stamp,
                    parent_id,
                    parent_message_id,
                    *chosen,
                ),
            )
            conversation_id = cursor.lastrowid
            assert conversation_id is not None
            message_id = await self._insert_message(
                conn, conversation_id, Role.USER, first_message, MessageStatus.COMPLETE, stamp
            )
        conversation = await self.conversation_get(conversation_id)
        message = await self.message_get(message_id)
        assert conversation is not None and message is not None
        return conversation, message

    async def conversation_import(
        self,
        project: Path,
        source: str,
        source_key: str,
        title: str,
        created_at: datetime,
        messages: Sequence[tuple[Role, str, datetime]],
    ) -> tuple[imported.Outcome, int]:
        """Copy one conversation from another tool once, later only its new messages; returns
        what happened and the number of messages written (see tui.storage.imported)."""
        async with self.db.writing() as conn:
            return await imported.copy_in(
                conn, project.resolve(), source, source_key, title, created_at, messages
            )

    async def conversation_branch(self, parent_id: int, message_id: int) -> Conversation:
        """A new conversation holding ``parent_id``'s messages up to ``message_id`` (a question
        with its answer) and their tool calls, its parent noted (see tui.storage.branch)."""
        async with self.db.writing() as conn:
            branch_id = await branch.copy_branch(conn, parent_id, message_id, to_text(now()))
        found = await self.conversation_get(branch_id)
        assert found is not None
        return found

    async def questions_asked(self, project: Path) -> list[str]:
        """The project's questions, newest first, each text once: the prompt's history."""
        return await questions.asked(self.db, project)

    async def questions_from(self, conversation_id: int, message_id: int) -> list[str]:
        """The questions from the one of ``message_id``'s turn to the last, oldest first."""
        return await branch.questions_from(self.db, conversation_id, message_id)

    async def conversation_get(self, conversation_id: int) -> Conversation | None:
        found = await self.db.fetch("SELECT * FROM conversations WHERE id = ?", (conversation_id,))
        return rows.conversation(found[0]) if found else None

    async def conversation_list(
        self,
        project: Path | None = None,
        *,
        title_filter: str | None = None,
        archived: bool = False,
        trashed: bool = False,
        limit: int = 100,
        offset: int = 0,
    ) -> list[Conversation]:
        """A page of conversations, pinned first then newest; counts come without the messages.

        ``project`` None lists every project. ``trashed`` lists only the trash; ``archived``
        includes archived ones. ``title_filter`` keeps titles containing the text (any case).
        """
        where, params = self._list_filter(project, title_filter, archived, trashed)
        found = await self.db.fetch(
            f"SELECT * FROM conversations WHERE {where} ORDER BY {_LIST_ORDER} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [rows.conversation(r) for r in found]

    async def conversation_count(
        self,
        project: Path | None = None,
        *,
        title_filter: str | None = None,
        archived: bool = False,
        trashed: bool = False,
    ) -> int:
        where, params = self._list_filter(project, title_filter, archived, trashed)
        found = await self.db.fetch(f"SELECT COUNT(*) FROM conversations WHERE {where}", params)
        return int(found[0][0])

    @staticmethod
    def _list_filter(
        project: Path | None, title_filter: str | None, archived: bool, trashed: bool
    ) -> tuple[str, list[Any]]:
        clauses = ["deleted_at IS NOT NULL" if trashed else "deleted_at IS NULL"]
        params: list[Any] = []
        if not archived and not trashed:
            clauses.append("archived = 0")
        if project is not None:
            clauses.append("project_path = ?")
            params.append(str(project.resolve()))
        if title_filter:
            # instr, not LIKE: LIKE stops at a NUL character in the title or the filter.
            # lower() folds ASCII only, as LIKE did; the filter is taken literally.
            clauses.append("instr(lower(title), lower(?)) > 0")
            params.append(title_filter)
        return " AND ".join(clauses), params

    async def _update_conversation(self, conversation_id: int, sql: str, *params: Any) -> None:
        """Run an UPDATE on one conversation; a missing one is an error, not a silent no-op."""
        async with self.db.writing() as conn:
            cursor = await conn.execute(
                f"UPDATE conversations SET {sql} WHERE id = ?", (*params, conversation_id)
            )
            if cursor.rowcount != 1:
                raise StoreError(f"Conversation {conversation_id} no longer exists.")

    async def conversation_rename(self, conversation_id: int, title: str) -> None:
        clean = " ".join(title.split())[:200] or "Untitled"
        await self._update_conversation(conversation_id, "title = ?", clean)

    async def conversation_pin(self, conversation_id: int, pinned: bool) -> None:
        await self._update_conversation(conversation_id, "pinned = ?", int(pinned))

    async def conversation_archive(self, conversation_id: int, archived: bool) -> None:
        await self._update_conversation(conversation_id, "archived = ?", int(archived))

    async def conversation_trash(self, conversation_id: int) -> None:
        """Move to the trash (restorable); its messages stay until purged."""
        await self._update_conversation(
            conversation_id, "deleted_at = ?, archived = 1", to_text(now())
        )

    async def conversation_restore(self, conversation_id: int) -> None:
        await self._update_conversation(conversation_id, "deleted_at = NULL, archived = 0")

    async def conversation_set_session(
        self, conversation_id: int, session_id: str | None, model: str | None = None
    ) -> None:
        """Remember the SDK session for ``resume=``; None forgets a transcript that is gone."""
        await self._update_conversation(
            conversation_id, "session_id = ?, model = COALESCE(?, model)", session_id, model
        )

    async def conversation_choose(
        self, conversation_id: int, chosen_model: str | None, effort: str | None
    ) -> None:
        """Remember the model and effort chosen for a conversation (None: the defaults)."""
        await self._update_conversation(
            conversation_id, "chosen_model = ?, effort = ?", chosen_model, effort
        )

    async def models_chosen(self, limit: int = 10) -> list[str]:
        """The models the user named (newest first), then those chosen for a conversation
        (the most recently used first); each once. A conversation set back to the default
        keeps its model in the first list."""
        found = await self.db.fetch(
            "SELECT chosen_model FROM conversations WHERE chosen_model IS NOT NULL"
            " GROUP BY chosen_model ORDER BY MAX(updated_at) DESC LIMIT ?",
            (limit,),
        )
        names = [*await self._models_named(), *(str(row[0]) for row in found)]
        return list(dict.fromkeys(names))[:limit]

    async def model_named(self, name: str, keep: int = 10) -> None:
        """Remember a model the user named, so the pickers list it from now on."""
        names = [name, *(n for n in await self._models_named() if n != name)][:keep]
        await self.state_set(state_keys.MODELS_NAMED, json.dumps(names))

    async def _models_named(self) -> list[str]:
        saved = await self.state_get(state_keys.MODELS_NAMED)
        try:
            found = json.loads(saved) if saved else []
        except ValueError:  # a damaged value forgets the list, nothing else
            return []
        return [n for n in found if isinstance(n, str)] if isinstance(found, list) else []

    async def conversation_purge(self, conversation_id: int) -> None:
        """Delete a trashed conversation for good, with its messages and tool events."""
        async with self.db.writing() as conn:
            cursor = await conn.execute(
                "DELETE FROM conversations WHERE id = ? AND deleted_at IS NOT NULL",
                (conversation_id,),
            )
            if cursor.rowcount != 1:
                raise StoreError(
                    f"Conversation {conversation_id} is not in the trash; trash it before purging."
                )

    async def trash_purge(self, older_than: timedelta | None = None) -> int:
        """Empty the trash (or only what was trashed before ``older_than`` ago); returns count."""
        cutoff = to_text(now() - older_than) if older_than else to_text(now())
        async with self.db.writing() as conn:
            cursor = await conn.execute(
                "DELETE FROM conversations WHERE deleted_at IS NOT NULL AND deleted_at <= ?",
                (cutoff,),
            )
            return cursor.rowcount

    # -- messages ----------------------------------------------------------------------------

    async def _insert_message(
        self,
        conn: aiosqlite.Connection,
        conversation_id: int,
        role: Role,
        content: str,
        status: MessageStatus,
        stamp: str,
    ) -> int:
        exists = await (
            await conn.execute("SELECT 1 FROM conversations WHERE id = ?", (conversation_id,))
        ).fetchone()
        if exists is None:
            raise StoreError(
                f"Conversation {conversation_id} no longer exists, so the message was not saved; "
                "start a new conversation."
            )
        cursor = await conn.execute(
            "INSERT INTO messages (conversation_id, role, content, status, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (conversation_id, role.value, content, status.value, stamp),
        )
        await conn.execute(
            "UPDATE conversations SET updated_at = ? WHERE id = ?", (stamp, conversation_id)
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    async def message_add(
        self,
        conversation_id: int,
        role: Role,
        content: str,
        status: MessageStatus = MessageStatus.COMPLETE,
    ) -> Message:
        """Append a message; a trashed conversation still accepts it (nothing typed is lost)."""
        async with self.db.writing() as conn:
            message_id = await self._insert_message(
                conn, conversation_id, role, content, status, to_text(now())
            )
        message = await self.message_get(message_id)
        assert message is not None
        return message

    async def message_note_before(self, message_id: int, content: str) -> int:
        """A system line just above ``message_id``, a reply still being written; returns the
        reply's new id (see tui.storage.notes)."""
        async with self.db.writing() as conn:
            return await notes.note_before(conn, message_id, content, to_text(now()))

    async def conversation_cost(self, conversation_id: int) -> float:
        """What all of a conversation's turns cost, in USD."""
        found = await self.db.fetch(
            "SELECT COALESCE(SUM(cost_usd), 0) FROM messages WHERE conversation_id = ?",
            (conversation_id,),
        )
        return float(found[0][0])

    async def message_get(self, message_id: int) -> Message | None:
        found = await self.db.fetch("SELECT * FROM messages WHERE id = ?", (message_id,))
        return rows.message(found[0]) if found else None

    async def message_update_text(
        self,
        message_id: int,
        content: str,
        status: MessageStatus | None = None,
        thinking: Thought | None = None,
    ) -> None:
        """Replace a streaming message's text (called at most every ~0.5 s while it streams),
        and its thinking when given."""
        text, took = thinking or (None, None)
        async with self.db.writing() as conn:
            await conn.execute(
                "UPDATE messages SET content = ?, status = COALESCE(?, status), updated_at = ?,"
                " thinking = COALESCE(?, thinking), thinking_ms = COALESCE(?, thinking_ms)"
                " WHERE id = ?",
                (content, status.value if status else None, to_text(now()), text, took, message_id),
            )

    async def message_finish(
        self,
        message_id: int,
        content: str,
        status: MessageStatus,
        usage: TurnUsage | None = None,
        error: str | None = None,
        thinking: Thought | None = None,
    ) -> None:
        """Store an assistant message's final text, status, usage, error and thinking (when
        given) in one write."""
        u = usage or TurnUsage()
        text, took = thinking or (None, None)
        async with self.db.writing() as conn:
            await conn.execute(
                "UPDATE messages SET content = ?, status = ?, error = ?, input_tokens = ?,"
                " output_tokens = ?, cache_read_tokens = ?, cache_write_tokens = ?,"
                " cost_usd = ?, duration_ms = ?, context_tokens = ?, updated_at = ?,"
                " thinking = COALESCE(?, thinking), thinking_ms = COALESCE(?, thinking_ms)"
                " WHERE id = ?",
                (
                    content,
                    status.value,
                    error,
                    *(
                        (None,) * 7
                        if usage is None
                        else (
                            u.input_tokens,
                            u.output_tokens,
                            u.cache_read_tokens,
                            u.cache_write_tokens,
                            u.cost_usd,
                            u.duration_ms,
                            u.context_tokens or None,
                        )
                    ),
                    to_text(now()),
                    text,
                    took,
                    message_id,
                ),
            )

    async def messages_orphaned(self, quiet_for: timedelta = timedelta(seconds=10)) -> int:
        """Mark replies left 'streaming' by a crashed process as interrupted; returns how many.

        A live writer (this app or another instance on the same file) stores its reply at least
        every ~0.5 s while text arrives, so a reply unchanged for ``quiet_for`` has no writer.
        """
        cutoff = to_text(now() - quiet_for)
        async with self.db.writing() as conn:
            cursor = await conn.execute(
                "UPDATE messages SET status = 'interrupted' WHERE status = 'streaming'"
                " AND COALESCE(updated_at, created_at) <= ?",
                (cutoff,),
            )
            return cursor.rowcount

    async def message_page(
        self, conversation_id: int, before_id: int | None = None, limit: int = 50
    ) -> list[Message]:
        """The newest ``limit`` messages older than ``before_id``, oldest first."""
        found = await self.db.fetch(
            "SELECT * FROM messages WHERE conversation_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
            (conversation_id, before_id if before_id is not None else 2**63 - 1, limit),
        )
        return [rows.message(r) for r in reversed(found)]

    async def message_page_after(
        self, conversation_id: int, after_id: int, limit: int = 50
    ) -> list[Message]:
        """The oldest ``limit`` messages newer than ``after_id``, oldest first: the pages below a
        message opened from search, which can lie anywhere in a long conversation."""
        found = await self.db.fetch(
            "SELECT * FROM messages WHERE conversation_id = ? AND id > ? ORDER BY id LIMIT ?",
            (conversation_id, after_id, limit),
        )
        return [rows.message(r) for r in found]

    # -- tool events -------------------------------------------------------------------------

    async def tool_event_upsert(
        self,
        conversation_id: int,
        tool_use_id: str,
        name: str,
        tool_input: dict[str, Any],
        *,
        message_id: int,
        status: ToolStatus = ToolStatus.RUNNING,
        result: str | None = None,
        started_at: datetime | None = None,
        finished_at: datetime | None = None,
        result_size: int | None = None,
        decision: str | None = None,
    ) -> None:
        """Record a tool call when it starts and again when it finishes (same reply, same id).

        A call is its reply's: ``message_id`` is required, as the model may use the same
        tool_use_id again in a later reply. ``result_size`` is the full length when ``result``
        is already a stand-in for it; ``decision`` (who allowed or denied it) is kept once set.
        """
        capped = result[:RESULT_CAP] if result is not None else None
        size = result_size if result_size is not None else len(result or "")
        async with self.db.writing() as conn:
            await conn.execute(
                "INSERT INTO tool_events (conversation_id, message_id, tool_use_id, name, input,"
                " result, result_size, status, started_at, finished_at, decision)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (message_id, tool_use_id) DO UPDATE SET"
                " result = excluded.result, result_size = excluded.result_size,"
                " status = excluded.status, finished_at = excluded.finished_at,"
                " decision = COALESCE(excluded.decision, decision)",
                (
                    conversation_id,
                    message_id,
                    tool_use_id,
                    name,
                    json.dumps(tool_input, ensure_ascii=False, default=str),
                    capped,
                    size,
                    status.value,
                    to_text(started_at or now()),
                    to_text(finished_at) if finished_at else None,
                    decision,
                ),
            )

    async def tool_event_list(
        self,
        conversation_id: int,
        message_ids: Sequence[int] | None = None,
        newest: int | None = None,
    ) -> list[ToolEvent]:
        """A conversation's tool calls in order, or only those of the given messages, or only
        its ``newest`` ones (a long conversation can hold thousands, results and all)."""
        sql, params = "SELECT * FROM tool_events WHERE conversation_id = ?", [conversation_id]
        if message_ids is not None:
            if not message_ids:
                return []
            sql += f" AND message_id IN ({','.join('?' * len(message_ids))})"
            params += list(message_ids)
        if newest is None:
            found = await self.db.fetch(sql + " ORDER BY id", params)
        else:
            found = await self.db.fetch(sql + " ORDER BY id DESC LIMIT ?", [*params, newest])
            found.reverse()
        return [rows.tool_event(r) for r in found]

    # -- search and state --------------------------------------------------------------------

    async def state_get(self, key: str) -> str | None:
        found = await self.db.fetch("SELECT value FROM app_state WHERE key = ?", (key,))
        return str(found[0][0]) if found else None

    async def state_set(self, key: str, value: str) -> None:
        """Small remembered UI facts, such as the last open conversation of a project."""
        async with self.db.writing() as conn:
            await conn.execute(
                "INSERT INTO app_state (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    async def state_delete(self, key: str) -> None:
        """Forget a remembered fact (a draft once its question is sent)."""
        async with self.db.writing() as conn:
            await conn.execute("DELETE FROM app_state WHERE key = ?", (key,))

    async def search(
        self, text: str, project: Path | None = None, limit: int = 50, offset: int = 0
    ) -> list[SearchHit]:
        """Every word must match (the last as a prefix); trashed conversations are left out."""
        return await search.search(self.db, text, project, limit, offset)
