"""The feature backlog: AutoCoder/AutoForge-compatible storage and rules, free of any MCP import.

Everything here is plain sqlite3 so the MCP server starts fast and the TUI can read the backlog
through exactly the same rules (one copy of the logic). Writes are single ``BEGIN IMMEDIATE``
transactions with priorities computed inside SQL, so several processes never lose a feature or
hand out the same priority.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from boundary import Refused, sqlite_file
from mcp_server import edits, human_input, overview
from mcp_server.fields import MAX_DEPENDENCIES
from mcp_server.records import (
    CORE_COLUMNS,
    INSERT,
    SCHEMA,
    BacklogError,
    decode,
    find_database,
    parse_dependencies,
    refused,
    sql_error,
)

MAX_FEATURES = 10_000  # creating stops here; reads and other writes of a bigger file still work


def _inode(info: os.stat_result) -> tuple[int, int]:
    return info.st_dev, info.st_ino


def _remove_if_empty(path: Path, made: os.stat_result) -> None:
    """Undo a creation that failed before anything was stored (the same, still empty inode)."""
    with suppress(OSError):
        now = os.lstat(path)
        if _inode(now) == _inode(made) and now.st_size == 0:
            path.unlink()


STATUSES = ("passing", "in_progress", "ready", "blocked", "pending", "needs_human_input")
HUMAN = "needs_human_input"  # upstream's newer column (and status name); absent in older files


@dataclass(frozen=True)
class NewFeature:
    """A feature to create; validated by the caller's schema, checked again here for rules."""

    category: str
    name: str
    description: str
    steps: list[str]
    dependencies: tuple[int, ...] = ()
    depends_on_indices: tuple[int, ...] = ()


class Backlog:
    """One project's backlog, found lazily so a database created later by an agent is picked up."""

    def __init__(
        self, project: Path, busy_timeout: float = 10.0, create_limit: int | None = None
    ) -> None:
        self.project = project.resolve()
        self.busy_timeout = busy_timeout
        # How many features this instance may still create (the server: one model session).
        self.create_limit = create_limit
        self.created = 0
        self._conn: sqlite3.Connection | None = None
        self._conn_path: Path | None = None
        self._conn_inode: tuple[int, int] | None = None
        self._columns: tuple[str, ...] | None = None

    # -- connections -------------------------------------------------------------------------

    @property
    def path(self) -> Path:
        """The file in use, or the file the first write would create."""
        return find_database(self.project) or self.project / "features.db"

    def close(self) -> None:
        """Close the cached connection (the server exits or the file moved)."""
        if self._conn is not None:
            self._conn.close()
        self._conn, self._conn_path, self._columns = None, None, None

    def _connect(self, create: bool) -> sqlite3.Connection | None:
        """Open the backlog; create it only for a write. None means "no backlog yet".

        The boundary's checks run at every call (a few lstat calls), so a file swapped for a
        link after the first call is refused at the next one.
        """
        existing = find_database(self.project)
        if existing is None and not create:
            self.close()
            return None
        path = existing or self.project / "features.db"
        if self._conn is not None and existing is not None and self._same_file(existing):
            return self._conn
        self.close()
        try:
            conn = self._open(path, existing is None, create)
        except Refused as error:
            raise refused(error) from error
        except (sqlite3.Error, OSError) as error:
            if existing is None and not self.project.is_dir():
                raise BacklogError(
                    f"The project directory {self.project} does not exist; "
                    "start the server with --project pointing at a project."
                ) from error
            if isinstance(error, OSError):
                error = sqlite3.OperationalError(f"unable to open: {error.strerror}")
            raise sql_error(path, error) from error
        if not self._columns:
            conn.close()
            raise sql_error(path, sqlite3.OperationalError("no such table: features"))
        self._conn, self._conn_path = conn, path
        self._conn_inode = _inode(os.lstat(path))
        return conn

    def _same_file(self, path: Path) -> bool:
        """Whether the cached connection is on the file now at ``path`` (not a replaced one)."""
        with suppress(OSError):
            return path == self._conn_path and _inode(os.lstat(path)) == self._conn_inode
        return False

    def _open(self, path: Path, new: bool, writing: bool) -> sqlite3.Connection:
        """Connect to a checked file (made exclusively when new); a write into an empty file
        (new, or left empty by a crash mid-create) sets the schema up first."""
        checked = sqlite_file.create(self.project, path) if new else os.lstat(path)
        try:
            conn = sqlite_file.connect_checked(path, checked, self.busy_timeout)
        except BaseException:
            if new:
                _remove_if_empty(path, checked)
            raise
        conn.row_factory = sqlite3.Row
        try:
            if writing and checked.st_size == 0:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.executescript(SCHEMA)
            self._columns = tuple(r[1] for r in conn.execute("PRAGMA table_info(features)"))
        except BaseException:
            conn.close()
            if new:
                _remove_if_empty(path, checked)
            raise
        return conn

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection | None]:
        """A consistent snapshot for a read; errors become one-sentence BacklogErrors."""
        conn = self._connect(create=False)
        if conn is None:
            yield None
            return
        try:
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                conn.execute("ROLLBACK")
        except sqlite3.Error as error:
            self.close()
            raise sql_error(self.path, error) from error

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One atomic write transaction taken with BEGIN IMMEDIATE (the upstream corruption fix)."""
        conn = self._connect(create=True)
        assert conn is not None
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            self.close()
            raise sql_error(self.path, error) from error
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException as error:
            with suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            if isinstance(error, sqlite3.Error):
                self.close()
                raise sql_error(self.path, error) from error
            raise

    # -- shaping -----------------------------------------------------------------------------

    def _feature(self, row: sqlite3.Row) -> dict[str, Any]:
        """Every column of a row, decoded; extra columns of newer files are kept."""
        return {key: decode(key, row[key]) for key in row.keys()}  # noqa: SIM118 (iterating a Row yields values)

    @staticmethod
    def _summary(row: sqlite3.Row, status: str) -> dict[str, Any]:
        """The short form used in lists: enough to pick a feature, not its whole text."""
        return {
            "id": row["id"],
            "priority": row["priority"],
            "category": row["category"],
            "name": row["name"],
            "status": status,
            "dependencies": parse_dependencies(row["dependencies"]),
        }

    @staticmethod
    def _passing_ids(conn: sqlite3.Connection) -> set[int]:
        return {r[0] for r in conn.execute("SELECT id FROM features WHERE passes")}

    @staticmethod
    def _waits(passing: set[int]) -> Callable[[Any], bool]:
        """Whether a dependencies cell (as stored, any shape) names a feature not passing: what
        the overview's SQL asks of a cell it cannot read itself."""
        return lambda raw: any(dep not in passing for dep in parse_dependencies(raw))

    @staticmethod
    def _waiting_on(row: sqlite3.Row, passing: set[int]) -> list[int]:
        """Dependencies of a row that do not pass yet (a missing id never passes)."""
        return [dep for dep in parse_dependencies(row["dependencies"]) if dep not in passing]

    @staticmethod
    def _needs_human(row: sqlite3.Row) -> bool:
        """Whether a row waits for the user's answer (a file without the column: never)."""
        return HUMAN in row.keys() and bool(row[HUMAN])  # noqa: SIM118 (a Row, not a dict)

    @classmethod
    def _status(cls, row: sqlite3.Row, passing: set[int]) -> str:
        """The one status shown for a feature: passing, needs_human_input, in_progress, blocked,
        else ready. Waiting for the user comes first: it is what someone must act on."""
        if row["passes"]:
            return "passing"
        if cls._needs_human(row):
            return HUMAN
        if row["in_progress"]:
            return "in_progress"
        return "blocked" if cls._waiting_on(row, passing) else "ready"

    @classmethod
    def _graph_status(cls, row: sqlite3.Row, passing: set[int]) -> str:
        """Upstream's graph status: done, blocked, needs_human_input, in_progress, pending, in
        that order of rank (REFERENCE.md 2.1: blocked outranks the states after it)."""
        if row["passes"]:
            return "done"
        if cls._waiting_on(row, passing):
            return "blocked"
        if cls._needs_human(row):
            return HUMAN
        return "in_progress" if row["in_progress"] else "pending"

    @classmethod
    def _matches(cls, row: sqlite3.Row, status: str, passing: set[int]) -> bool:
        """Status filters as the tools define them; they may overlap (see feature_list)."""
        if status == "passing":
            return bool(row["passes"])
        if row["passes"]:
            return False
        if status == "in_progress":
            return bool(row["in_progress"])
        if status == "blocked":
            return bool(cls._waiting_on(row, passing))
        if status == "pending":
            return not row["in_progress"]
        if status == HUMAN:
            return cls._needs_human(row)
        ready = not row["in_progress"] and not cls._needs_human(row)
        return ready and not cls._waiting_on(row, passing)

    def _ordered(self, conn: sqlite3.Connection, where: str = "1") -> list[sqlite3.Row]:
        query = f"SELECT * FROM features WHERE {where} ORDER BY priority, id"
        return conn.execute(query).fetchall()

    # -- reads -------------------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        """Counts of passing, in-progress, waiting and all features, the passing percentage, and
        the file they come from (relative to the project; None: no backlog yet)."""
        with self._reading() as conn:
            if conn is None:
                return self._counts(0, 0, 0, 0, None)
            return self._stats(conn)

    def _stats(self, conn: sqlite3.Connection) -> dict[str, Any]:
        waiting = self._human_sql("SUM", "0")
        passing, in_progress, human, total = conn.execute(
            "SELECT COALESCE(SUM(passes = 1), 0), COALESCE(SUM(in_progress = 1 AND "
            f"COALESCE(passes, 0) = 0), 0), COALESCE({waiting}, 0), COUNT(*) FROM features"
        ).fetchone()
        return self._counts(passing, in_progress, human, total, self._conn_path)

    def overview(self, first: int, keep: int | None = None) -> dict[str, Any]:
        """For a view of the whole backlog (the TUI's pane), in one snapshot: the stats, each
        status's count (as ``_status`` gives them) and its first ``first`` features as
        summaries in queue order, blocked ones with ``blocked_by``; ``keep`` is listed wherever
        it is, flagged ``beyond_cut``. SQLite counts and cuts (mcp_server/overview.py): Python
        shapes only what is drawn."""
        with self._reading() as conn:
            if conn is None:
                return {"stats": self._counts(0, 0, 0, 0, None), "counts": {}, "features": []}
            stats = self._stats(conn)
            passing = self._passing_ids(conn)
            waits = self._waits(passing)
            counts, rows = overview.by_status(conn, self._columns or (), waits, first, keep)
        features = [
            self._listed(row, status, passing) | {"beyond_cut": beyond}
            for row, status, beyond in rows
        ]
        return {"stats": stats, "counts": counts, "features": features}

    def placed(self, feature_id: int) -> dict[str, Any]:
        """The stats and one feature as ``overview`` lists it (None: no such feature), in one
        snapshot: what a view needs to place a feature it just wrote without reading every
        section again (a scan of the whole file, 25-40 ms at 10,000 features)."""
        with self._reading() as conn:
            if conn is None:
                return {"stats": self._counts(0, 0, 0, 0, None), "feature": None}
            stats = self._stats(conn)
            passing = self._passing_ids(conn)
            found = overview.one(conn, self._columns or (), self._waits(passing), feature_id)
        feature = None if found is None else self._listed(*found, passing)
        return {"stats": stats, "feature": feature}

    @classmethod
    def _listed(cls, row: sqlite3.Row, status: str, passing: set[int]) -> dict[str, Any]:
        """A summary as a view lists it: a blocked feature says what it waits on."""
        feature = cls._summary(row, status)
        if status == "blocked":
            feature["blocked_by"] = cls._waiting_on(row, passing)
        return feature

    def names(self) -> dict[int, str]:
        """Every feature's id and name in queue order (what a picker lists)."""
        with self._reading() as conn:
            if conn is None:
                return {}
            found = conn.execute("SELECT id, name FROM features ORDER BY priority, id")
            return {fid: str(name) for fid, name in found}

    def _human_sql(self, wrap: str, absent: str) -> str:
        """SQL for "waits for the user and does not pass" (``wrap``ped, e.g. in SUM), or
        ``absent`` when the file has no needs_human_input column (older upstream versions)."""
        if HUMAN not in (self._columns or ()):
            return absent
        return f"{wrap}(COALESCE({HUMAN}, 0) = 1 AND COALESCE(passes, 0) = 0)"

    def _counts(
        self, passing: int, in_progress: int, human: int, total: int, path: Path | None
    ) -> dict[str, Any]:
        percentage = round(passing * 100.0 / total, 1) if total else 0.0
        shown = path.relative_to(self.project).as_posix() if path is not None else None
        return {
            "passing": passing,
            "in_progress": in_progress,
            HUMAN: human,
            "total": total,
            "percentage": percentage,
            "path": shown,
        }

    def get(self, feature_id: int) -> dict[str, Any]:
        """One whole feature with its computed status."""
        with self._reading() as conn:
            row = None
            if conn is not None:
                row = conn.execute("SELECT * FROM features WHERE id = ?", (feature_id,)).fetchone()
            if row is None:
                raise BacklogError(f"Feature {feature_id} does not exist.")
            feature = self._feature(row)
            feature["status"] = self._status(row, self._passing_ids(conn))  # type: ignore[arg-type]
        return feature

    def ready(self, limit: int = 10) -> dict[str, Any]:
        """Features to work on next: not passing, not in progress, not waiting for the user,
        every dependency passing.

        Order: priority, then id. ``skip`` moves a feature to the end of exactly this order.
        """
        with self._reading() as conn:
            if conn is None:
                return {"features": [], "count": 0, "total_ready": 0}
            passing = self._passing_ids(conn)
            candidates = conn.execute(
                "SELECT id, dependencies FROM features WHERE NOT COALESCE(passes, 0)"
                f" AND NOT COALESCE(in_progress, 0) AND NOT {self._human_sql('', '0')}"
                " ORDER BY priority, id"
            )
            ready = [r[0] for r in candidates if not self._waiting_on(r, passing)]
            chosen = [
                self._feature(self._row(conn, fid)) | {"status": "ready"} for fid in ready[:limit]
            ]
        return {"features": chosen, "count": len(chosen), "total_ready": len(ready)}

    @staticmethod
    def _row(conn: sqlite3.Connection, feature_id: int) -> sqlite3.Row:
        row: sqlite3.Row = conn.execute(
            "SELECT * FROM features WHERE id = ?", (feature_id,)
        ).fetchone()
        return row

    def blocked(self, limit: int = 20) -> dict[str, Any]:
        """Features not passing with at least one dependency not passing, each with blocked_by."""
        with self._reading() as conn:
            if conn is None:
                return {"features": [], "count": 0, "total_blocked": 0}
            passing = self._passing_ids(conn)
            found: list[dict[str, Any]] = []
            total = 0
            for row in self._ordered(conn, "NOT COALESCE(passes, 0) AND dependencies IS NOT NULL"):
                waiting = self._waiting_on(row, passing)
                if not waiting:
                    continue
                total += 1
                if len(found) < limit:
                    found.append(self._summary(row, "blocked") | {"blocked_by": waiting})
        return {"features": found, "count": len(found), "total_blocked": total}

    def find(
        self,
        status: str | None = None,
        category: str | None = None,
        query: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> dict[str, Any]:
        """Filter the backlog by status, category (exact, any case) and text in name/description.

        Status filters: passing; in_progress (not passing); blocked (not passing, a dependency
        not passing); ready (what feature_get_ready returns); pending (not passing, not in
        progress). Order: priority, then id.
        """
        clauses, params = ["1"], []
        if category:
            clauses.append("category = ? COLLATE NOCASE")
            params.append(category)
        if query:
            escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            pattern = f"%{escaped}%"
            clauses.append("(name LIKE ? ESCAPE '\\' OR description LIKE ? ESCAPE '\\')")
            params += [pattern, pattern]
        with self._reading() as conn:
            if conn is None:
                return {"features": [], "count": 0, "total": 0, "offset": offset}
            passing = self._passing_ids(conn)
            sql = f"SELECT * FROM features WHERE {' AND '.join(clauses)} ORDER BY priority, id"
            rows = conn.execute(sql, params).fetchall()
        matched = [
            self._summary(row, self._status(row, passing))
            for row in rows
            if status is None or self._matches(row, status, passing)
        ]
        page = matched[offset : offset + limit]
        return {"features": page, "count": len(page), "total": len(matched), "offset": offset}

    def graph(self) -> dict[str, Any]:
        """Every feature as a node and every dependency as an edge, in upstream's shape.

        ``status`` takes upstream's values (see ``_graph_status``); ``detail`` is the finer
        status the other tools show. Edges go from the required feature (``source``) to the one
        waiting for it (``target``); ``missing`` marks a dependency on an id that does not exist.
        """
        with self._reading() as conn:
            if conn is None:
                return {"nodes": [], "edges": []}
            passing = self._passing_ids(conn)
            rows = self._ordered(conn)
        ids = {r["id"] for r in rows}
        nodes, edges = [], []
        for row in rows:
            dependencies = parse_dependencies(row["dependencies"])
            nodes.append(self._node(row, passing, dependencies))
            edges += [
                {"source": dep, "target": row["id"], "missing": dep not in ids}
                for dep in dependencies
            ]
        return {"nodes": nodes, "edges": edges}

    @classmethod
    def _node(cls, row: sqlite3.Row, passing: set[int], dependencies: list[int]) -> dict[str, Any]:
        return {
            "id": row["id"],
            "name": row["name"],
            "category": row["category"],
            "status": cls._graph_status(row, passing),
            "priority": row["priority"],
            "dependencies": dependencies,
            "detail": cls._status(row, passing),
        }

    # -- writes ------------------------------------------------------------------------------

    def create(self, feature: NewFeature) -> dict[str, Any]:
        """Create one feature at the end of the queue (priority = max + 1)."""
        created: dict[str, Any] = self.create_bulk([feature])["features"][0]
        return created

    def create_bulk(self, features: Sequence[NewFeature]) -> dict[str, Any]:
        """Create several features all or nothing; later items may depend on earlier ones."""
        if not features:
            raise BacklogError("Give at least one feature to create.")
        if find_database(self.project) is None:
            # Check the batch before the first write creates the file: a refused batch must
            # leave the project as it was.
            placeholders: list[int] = []
            for index, item in enumerate(features):
                self._resolve_dependencies(index, item, set(), placeholders)
                placeholders.append(-1 - index)
        self._check_session_limit(len(features))
        with self._writing() as conn:
            held = conn.execute("SELECT COUNT(*) FROM features").fetchone()[0]
            if held + len(features) > MAX_FEATURES:
                raise BacklogError(
                    f"The backlog holds {held} features and {len(features)} more would "
                    f"pass its limit of {MAX_FEATURES:,}; nothing was created (finish or remove "
                    "features first)."
                )
            existing = self._existing(conn, [d for item in features for d in item.dependencies])
            base = conn.execute("SELECT COALESCE(MAX(priority), 0) + 1 FROM features").fetchone()[0]
            created: list[int] = []
            names, defaults = self._extra_defaults()
            insert = INSERT.format(names=names, defaults=defaults)  # column names from PRAGMA
            for index, item in enumerate(features):
                deps = self._resolve_dependencies(index, item, existing, created)
                values = (
                    base + index,
                    item.category,
                    item.name,
                    item.description,
                    json.dumps(item.steps),
                    json.dumps(deps) if deps else None,
                )
                cursor = conn.execute(insert, values)
                if cursor.rowcount != 1 or cursor.lastrowid is None:
                    raise BacklogError("A feature could not be stored; nothing was created.")
                created.append(cursor.lastrowid)
        self.created += len(created)
        return {
            "created": len(created),
            "ids": created,
            "features": [
                {"id": fid, "priority": base + i, "name": features[i].name}
                for i, fid in enumerate(created)
            ],
        }

    @staticmethod
    def _existing(conn: sqlite3.Connection, ids: list[int]) -> set[int]:
        """Which of ``ids`` are features: asked of SQLite, not by reading every id (10,000
        rows for one new feature's check)."""
        if not ids:
            return set()
        found = conn.execute(
            "SELECT id FROM features WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(ids),),
        )
        return {r[0] for r in found}

    def _check_session_limit(self, count: int) -> None:
        if self.create_limit is None or self.created + count <= self.create_limit:
            return
        raise BacklogError(
            f"This session has created {self.created} features and {count} more would pass its "
            f"limit of {self.create_limit:,}; nothing was created (start a new conversation, or "
            "let the user add them in the backlog pane)."
        )

    def _extra_defaults(self) -> tuple[str, str]:
        """Fill NOT NULL columns of newer schemas that have no default, so inserts never fail."""
        conn = self._conn
        assert conn is not None
        names, values = "", ""
        for _, name, kind, notnull, default, _pk in conn.execute("PRAGMA table_info(features)"):
            if name in CORE_COLUMNS or not notnull or default is not None:
                continue
            literal = "0" if any(t in (kind or "").upper() for t in ("INT", "BOOL")) else "''"
            names += ', "' + name.replace('"', '""') + '"'  # quoted: any name is safe
            values += f", {literal}"
        return names, values

    @staticmethod
    def _resolve_dependencies(
        index: int, item: NewFeature, existing: set[int], created: list[int]
    ) -> list[int]:
        """Check one new feature's dependencies; batch indices must point backwards."""
        label = item.name if len(item.name) <= 60 else item.name[:57] + "..."
        deps: list[int] = []
        for dep in item.dependencies:
            if dep not in existing:
                raise BacklogError(
                    f'Feature "{label}" depends on feature {dep}, which does not exist; '
                    "nothing was created."
                )
            deps.append(dep)
        for ref in item.depends_on_indices:
            if ref < 0 or ref >= index:
                raise BacklogError(
                    f'Feature "{label}" (index {index}) has depends_on_indices {ref}; indices must '
                    "point to earlier features of the same batch, so nothing was created."
                )
            deps.append(created[ref])
        if len(set(deps)) != len(deps):
            raise BacklogError(
                f'Feature "{label}" lists the same dependency twice; nothing was created.'
            )
        if len(deps) > MAX_DEPENDENCIES:
            raise BacklogError(
                f'Feature "{label}" has {len(deps)} dependencies, more than the limit of '
                f"{MAX_DEPENDENCIES}; nothing was created."
            )
        return deps

    def skip(self, feature_id: int) -> dict[str, Any]:
        """Move a feature that is not passing to the end of the queue and clear in_progress."""
        if find_database(self.project) is None:
            raise BacklogError(f"Feature {feature_id} does not exist.")
        with self._writing() as conn:
            row = conn.execute(
                "SELECT id, name, passes, priority FROM features WHERE id = ?", (feature_id,)
            ).fetchone()
            if row is None:
                raise BacklogError(f"Feature {feature_id} does not exist.")
            if row["passes"]:
                raise BacklogError(
                    f"Feature {feature_id} already passes; only unfinished features can be skipped."
                )
            cursor = conn.execute(
                "UPDATE features SET priority = (SELECT MAX(priority) + 1 FROM features), "
                "in_progress = 0 WHERE id = ?",
                (feature_id,),
            )
            if cursor.rowcount != 1:
                raise BacklogError(f"Feature {feature_id} could not be updated; nothing changed.")
            new = conn.execute("SELECT priority FROM features WHERE id = ?", (feature_id,))
            priority = new.fetchone()[0]
        return {
            "id": feature_id,
            "name": row["name"],
            "old_priority": row["priority"],
            "new_priority": priority,
            "message": f"Feature {feature_id} moved to the end of the queue.",
        }

    # -- edits of existing features (the rules: mcp_server/edits.py, human_input.py) ---------

    def update(
        self,
        feature_id: int,
        *,
        name: str | None = None,
        description: str | None = None,
        steps: list[str] | None = None,
        category: str | None = None,
    ) -> dict[str, Any]:
        """Change a feature's text, never its status; returns the whole feature after."""
        changes = edits.text_changes(
            name=name, description=description, steps=steps, category=category
        )
        return self._edit(feature_id, lambda conn: edits.update(conn, feature_id, changes))

    def edit(
        self, feature_id: int, text: dict[str, Any], dependencies: list[int] | None
    ) -> dict[str, Any]:
        """The pane's edit form: text changes and (unless None) a new dependency list, in one
        transaction, so a refused list (a cycle) leaves the text unwritten too."""
        changes = edits.text_changes(**text) if text else {}
        deps = None if dependencies is None else edits.dependency_list(dependencies)

        def change(conn: sqlite3.Connection) -> None:
            if changes:
                edits.update(conn, feature_id, changes)
            if deps is not None:
                edits.set_dependencies(conn, feature_id, deps)

        return self._edit(feature_id, change)

    def add_dependency(self, feature_id: int, dependency_id: int) -> dict[str, Any]:
        """Make a feature wait for another one as well; returns the feature after."""
        dep = edits.dependency_id(dependency_id)
        return self._edit(feature_id, lambda conn: edits.add_dependency(conn, feature_id, dep))

    def remove_dependency(self, feature_id: int, dependency_id: int) -> dict[str, Any]:
        """Stop a feature waiting for another one; returns the feature after."""
        dep = edits.dependency_id(dependency_id)
        return self._edit(feature_id, lambda conn: edits.remove_dependency(conn, feature_id, dep))

    def set_dependencies(self, feature_id: int, dependency_ids: list[int]) -> dict[str, Any]:
        """Replace a feature's whole dependency list; returns the feature after."""
        deps = edits.dependency_list(dependency_ids)
        return self._edit(feature_id, lambda conn: edits.set_dependencies(conn, feature_id, deps))

    def mark_failing(self, feature_id: int, reason: str | None = None) -> dict[str, Any]:
        """Reopen a passing feature as a bug: pending again, the reason appended to its
        description; returns the feature after."""
        text = edits.failing_reason(reason)
        return self._edit(feature_id, lambda conn: edits.mark_failing(conn, feature_id, text))

    def delete(self, feature_id: int) -> dict[str, Any]:
        """Delete a feature (the pane's, never a tool) and unlink it from the others."""
        if find_database(self.project) is None:
            raise BacklogError(f"Feature {feature_id} does not exist.")
        with self._writing() as conn:
            unlinked = edits.delete(conn, feature_id)
        return {"deleted": feature_id, "unlinked": unlinked}

    def answer_human_input(
        self, feature_id: int, fields: dict[str, str | bool | list[str]]
    ) -> dict[str, Any]:
        """Store the person's answer to a feature's form (the pane's, never a tool); returns
        the feature after, ``needs_human_input`` cleared."""

        def store(conn: sqlite3.Connection) -> None:
            human_input.answer(conn, self._columns or (), feature_id, fields)

        return self._edit(feature_id, store)

    def _edit(
        self, feature_id: int, change: Callable[[sqlite3.Connection], None]
    ) -> dict[str, Any]:
        """Run one edit in its own BEGIN IMMEDIATE transaction and read the feature back in
        it, so what is returned is exactly what was written. No file: nothing to edit, and
        nothing is created."""
        if find_database(self.project) is None:
            raise BacklogError(f"Feature {feature_id} does not exist.")
        with self._writing() as conn:
            change(conn)
            row = self._row(conn, feature_id)
            feature = self._feature(row)
            feature["status"] = self._status(row, self._passing_ids(conn))
        return feature
