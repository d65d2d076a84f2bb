"""The history database's schema as ordered upgrade steps, tracked by ``PRAGMA user_version``.

A step is never edited once released: a new need is a new step at the end, so a file written by
any earlier version upgrades in place and keeps its data.
"""

from __future__ import annotations

APPLICATION_ID = 0x41545549  # "ATUI": tells our files apart from other SQLite databases

CORE = """
CREATE TABLE conversations (
    id INTEGER PRIMARY KEY,
    project_path TEXT NOT NULL,
    project_name TEXT NOT NULL,
    title TEXT NOT NULL,
    session_id TEXT,
    model TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    pinned INTEGER NOT NULL DEFAULT 0,
    archived INTEGER NOT NULL DEFAULT 0,
    deleted_at TEXT,
    parent_id INTEGER REFERENCES conversations (id) ON DELETE SET NULL,
    parent_message_id INTEGER,
    source TEXT,
    source_key TEXT,
    UNIQUE (source, source_key)
);
CREATE INDEX ix_conversations_project_updated ON conversations (project_path, updated_at);
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('user', 'assistant', 'system')),
    content TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'complete'
        CHECK (status IN ('complete', 'streaming', 'interrupted', 'error')),
    created_at TEXT NOT NULL,
    input_tokens INTEGER,
    output_tokens INTEGER,
    cache_read_tokens INTEGER,
    cache_write_tokens INTEGER,
    cost_usd REAL,
    duration_ms INTEGER,
    error TEXT
);
CREATE INDEX ix_messages_conversation ON messages (conversation_id, id);
CREATE TABLE tool_events (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    message_id INTEGER REFERENCES messages (id) ON DELETE SET NULL,
    tool_use_id TEXT NOT NULL,
    name TEXT NOT NULL,
    input TEXT NOT NULL,
    result TEXT,
    result_size INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'running'
        CHECK (status IN ('running', 'ok', 'error', 'denied')),
    started_at TEXT NOT NULL,
    finished_at TEXT,
    UNIQUE (conversation_id, tool_use_id)
);
CREATE INDEX ix_tool_events_conversation ON tool_events (conversation_id, id);
CREATE TABLE app_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

FULL_TEXT = """
CREATE VIRTUAL TABLE messages_fts USING fts5(
    content, content = 'messages', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
    INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);
END;
CREATE VIRTUAL TABLE titles_fts USING fts5(
    title, content = 'conversations', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER titles_fts_insert AFTER INSERT ON conversations BEGIN
    INSERT INTO titles_fts (rowid, title) VALUES (new.id, new.title);
END;
CREATE TRIGGER titles_fts_delete AFTER DELETE ON conversations BEGIN
    INSERT INTO titles_fts (titles_fts, rowid, title) VALUES ('delete', old.id, old.title);
END;
CREATE TRIGGER titles_fts_update AFTER UPDATE OF title ON conversations BEGIN
    INSERT INTO titles_fts (titles_fts, rowid, title) VALUES ('delete', old.id, old.title);
    INSERT INTO titles_fts (rowid, title) VALUES (new.id, new.title);
END;
INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
INSERT INTO titles_fts (titles_fts) VALUES ('rebuild');
"""

MESSAGE_COUNTS = """
ALTER TABLE conversations ADD COLUMN message_count INTEGER NOT NULL DEFAULT 0;
UPDATE conversations SET message_count =
    (SELECT COUNT(*) FROM messages WHERE messages.conversation_id = conversations.id);
CREATE TRIGGER message_count_insert AFTER INSERT ON messages BEGIN
    UPDATE conversations SET message_count = message_count + 1 WHERE id = new.conversation_id;
END;
CREATE TRIGGER message_count_delete AFTER DELETE ON messages BEGIN
    UPDATE conversations SET message_count = message_count - 1 WHERE id = old.conversation_id;
END;
"""

LISTING_ORDER = """
CREATE INDEX ix_conversations_listing ON conversations (project_path, pinned, updated_at, id);
CREATE INDEX ix_conversations_listing_all ON conversations (pinned, updated_at, id);
"""

MESSAGE_UPDATED = """
ALTER TABLE messages ADD COLUMN updated_at TEXT;
"""

# Search as you type, at 100,000 messages (see bench/search.py). Two changes of the index:
# - a prefix index for 1-3 characters: without it FTS5 merges the entry of every word starting
#   with the letters typed (43 ms for one letter); with it, it reads one entry (0.1 ms);
# - the project in the index, as one token (the path in hex) in a column of its own, so a
#   search in one project is an intersection inside FTS5 instead of a lookup of each match's
#   conversation (a small project's search walked every match of a common word: 90 ms).
# The project column weighs nothing in the ranking. The index reads its text through views;
# a conversation's messages are deleted before it (not after, by the cascade), so the trigger
# can still find the project that was indexed with each message.
SCOPED_SEARCH = """
DROP TRIGGER messages_fts_insert;
DROP TRIGGER messages_fts_delete;
DROP TRIGGER messages_fts_update;
DROP TABLE messages_fts;
DROP TRIGGER titles_fts_insert;
DROP TRIGGER titles_fts_delete;
DROP TRIGGER titles_fts_update;
DROP TABLE titles_fts;
CREATE VIEW messages_search AS
    SELECT m.id, m.content, hex(c.project_path) AS project
    FROM messages m JOIN conversations c ON c.id = m.conversation_id;
CREATE VIEW titles_search AS
    SELECT id, title, hex(project_path) AS project FROM conversations;
CREATE VIRTUAL TABLE messages_fts USING fts5(
    content, project, content = 'messages_search', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
);
CREATE VIRTUAL TABLE titles_fts USING fts5(
    title, project, content = 'titles_search', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
);
INSERT INTO messages_fts (messages_fts, rank) VALUES ('rank', 'bm25(1.0, 0.0)');
INSERT INTO titles_fts (titles_fts, rank) VALUES ('rank', 'bm25(1.0, 0.0)');
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, content, project)
    SELECT new.id, new.content, hex(project_path) FROM conversations
    WHERE id = new.conversation_id;
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content, project)
    SELECT 'delete', old.id, old.content, hex(project_path) FROM conversations
    WHERE id = old.conversation_id;
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content, project)
    SELECT 'delete', old.id, old.content, hex(project_path) FROM conversations
    WHERE id = old.conversation_id;
    INSERT INTO messages_fts (rowid, content, project)
    SELECT new.id, new.content, hex(project_path) FROM conversations
    WHERE id = new.conversation_id;
END;
CREATE TRIGGER conversations_delete_messages BEFORE DELETE ON conversations BEGIN
    DELETE FROM messages WHERE conversation_id = old.id;
END;
CREATE TRIGGER titles_fts_insert AFTER INSERT ON conversations BEGIN
    INSERT INTO titles_fts (rowid, title, project)
    VALUES (new.id, new.title, hex(new.project_path));
END;
CREATE TRIGGER titles_fts_delete AFTER DELETE ON conversations BEGIN
    INSERT INTO titles_fts (titles_fts, rowid, title, project)
    VALUES ('delete', old.id, old.title, hex(old.project_path));
END;
CREATE TRIGGER titles_fts_update AFTER UPDATE OF title ON conversations BEGIN
    INSERT INTO titles_fts (titles_fts, rowid, title, project)
    VALUES ('delete', old.id, old.title, hex(old.project_path));
    INSERT INTO titles_fts (rowid, title, project)
    VALUES (new.id, new.title, hex(new.project_path));
END;
INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
INSERT INTO titles_fts (titles_fts) VALUES ('rebuild');
"""

# A tool call belongs to its own reply. Ids are the model's to choose, and the demo's restart at
# every launch, so keying a call by conversation let a later answer's call take over an earlier
# one's row (its answer lost the call; the later one kept the old start time). Rows whose reply
# is gone (message_id NULL) never conflict: each is a call of its own, and the store writes none.
# Rows already mixed up hold the name, input and start of the earlier call with the result of
# the later one; which parts belong to which call is not recorded, so they are left as they are.
# ``decision`` records who allowed or denied a call (NULL: nobody was asked).
TOOL_EVENTS_PER_MESSAGE = """
CREATE TABLE tool_events_new (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    message_id INTEGER REFERENCES messages (id) ON DELETE SET NULL,
    tool_use_id TEXT NOT NULL,
    name TEXT NOT NULL,
    input TEXT NOT NULL,
    result TEXT,
    result_size INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'running'
        CHECK (status IN ('running', 'ok', 'error', 'denied')),
    started_at TEXT NOT NULL,
    finished_at TEXT,
    decision TEXT,
    UNIQUE (message_id, tool_use_id)
);
INSERT INTO tool_events_new (id, conversation_id, message_id, tool_use_id, name, input, result,
    result_size, status, started_at, finished_at)
    SELECT id, conversation_id, message_id, tool_use_id, name, input, result, result_size, status,
        started_at, finished_at
    FROM tool_events ORDER BY id;
DROP TABLE tool_events;
ALTER TABLE tool_events_new RENAME TO tool_events;
CREATE INDEX ix_tool_events_conversation ON tool_events (conversation_id, id);
"""

# AutoCoder imports keyed by the conversation, not by the file. Earlier versions keyed them
# "<assistant.db's path>#<upstream id>#<upstream created_at>", so the file upstream moves from
# the project folder into .autoforge/ was imported a second time. The new key
# (tui.storage.importer.conversation_key) is "<id>#<created_at>#<project>": the old key minus
# the file's path, plus the conversation's project_path (which was the path's folder). Only the
# two places those versions read are recognised. Where both were imported (the duplicates this
# fixes), the first copy takes the new key and the later one keeps its old key and its data:
# it may have been continued here, and an upgrade does not delete history.
IMPORT_KEYS = """
WITH rekeyed AS (
    SELECT id, project_path, CASE
        WHEN substr(source_key, 1, length(rtrim(project_path, '/')) + 14)
            = rtrim(project_path, '/') || '/assistant.db#'
        THEN substr(source_key, length(rtrim(project_path, '/')) + 15)
        WHEN substr(source_key, 1, length(rtrim(project_path, '/')) + 25)
            = rtrim(project_path, '/') || '/.autoforge/assistant.db#'
        THEN substr(source_key, length(rtrim(project_path, '/')) + 26)
    END AS identity
    FROM conversations WHERE source = 'autocoder'
),
kept AS (
    SELECT MIN(id) AS id, identity || '#' || project_path AS new_key
    FROM rekeyed WHERE identity IS NOT NULL GROUP BY identity, project_path
)
UPDATE conversations SET source_key = kept.new_key FROM kept WHERE conversations.id = kept.id;
"""

# The model's thinking of an answer, shown collapsed above its text, and how long it took. Kept
# out of the search index on purpose (see tui.storage.search): a hit would open an answer whose
# matching words are folded away, and thinking is often longer than the answer it leads to.
MESSAGE_THINKING = """
ALTER TABLE messages ADD COLUMN thinking TEXT;
ALTER TABLE messages ADD COLUMN thinking_ms INTEGER;
"""

# The model and effort the user chose for a conversation (NULL: the configured default, the
# CLI's default effort), apart from ``model``, which records the model its last turn used: the
# old rows' ``model`` holds whatever the default was then, never a choice. ``context_tokens``
# is how much of the context window an answer's last request filled (input and cache), so a
# reopened conversation shows how full it is.
MODEL_CHOICE = """
ALTER TABLE conversations ADD COLUMN chosen_model TEXT;
ALTER TABLE conversations ADD COLUMN effort TEXT;
ALTER TABLE messages ADD COLUMN context_tokens INTEGER;
"""

# Step N (1-based) brings a file from user_version N-1 to N.
STEPS: tuple[str, ...] = (
    CORE,
    FULL_TEXT,
    MESSAGE_COUNTS,
    LISTING_ORDER,
    MESSAGE_UPDATED,
    SCOPED_SEARCH,
    TOOL_EVENTS_PER_MESSAGE,
    IMPORT_KEYS,
    MESSAGE_THINKING,  # step 9: the thinking shown above an answer
    MODEL_CHOICE,  # step 10: the model and effort chosen, the context filled
)
LATEST = len(STEPS)
