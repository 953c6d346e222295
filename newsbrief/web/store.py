"""Saved briefs: SQLite through the standard library, nothing to install.

One database file (`newsbrief.sqlite3`) in a data directory. The schema is created and
migrated by the app: `schema_version` holds the version, `MIGRATIONS[i]` takes the database
from version i to i + 1, each in its own transaction.

Tables
    briefs    one row per brief: id, created_at, title, words, counts and the brief JSON
    articles  the articles of each brief as they were submitted (raw input) and as cleaned

Thread safety: one connection (``check_same_thread=False``) guarded by a lock; every public
method takes the lock, so a `Store` can be shared by the server's worker threads.

Writes: every write (a migration step, a save, a delete) goes through `Store._transaction`, one
``BEGIN IMMEDIATE ... COMMIT`` under the lock, rolled back on any error (unless SQLite already
did, as on a full disk: the error raised is always the first one, never "cannot rollback").

Errors: every SQLite (or file system) error is raised as `StoreError`, which names the database
file, what was being done and SQLite's reason, with a `kind` ("full", "readonly", "busy",
"corrupt", "cantopen", "io" or "other") for the server to answer with.
"""

from __future__ import annotations

import errno
import json
import logging
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

log = logging.getLogger("newsbrief.web")

DB_NAME = "newsbrief.sqlite3"

MIGRATIONS: list[str] = [
    # 0 -> 1: the tables
    """
    CREATE TABLE briefs (
        id            TEXT PRIMARY KEY,
        created_at    TEXT NOT NULL,
        title         TEXT NOT NULL DEFAULT '',
        words         INTEGER NOT NULL,
        summary_words INTEGER NOT NULL DEFAULT 0,
        n_articles    INTEGER NOT NULL DEFAULT 0,
        n_sentences   INTEGER NOT NULL DEFAULT 0,
        brief_json    TEXT NOT NULL
    );
    CREATE TABLE articles (
        pk          INTEGER PRIMARY KEY AUTOINCREMENT,
        brief_id    TEXT NOT NULL REFERENCES briefs(id) ON DELETE CASCADE,
        position    INTEGER NOT NULL,
        article_id  TEXT NOT NULL,
        title       TEXT NOT NULL DEFAULT '',
        source      TEXT NOT NULL DEFAULT '',
        url         TEXT NOT NULL DEFAULT '',
        date        TEXT,
        text        TEXT NOT NULL DEFAULT ''
    );
    """,
    # 1 -> 2: indexes for the newest-first list and for a brief's articles
    """
    CREATE INDEX briefs_created ON briefs(created_at DESC, id);
    CREATE INDEX articles_brief ON articles(brief_id, position);
    """,
    # 2 -> 3: keep what was submitted (raw) and the input's name (file name or "json")
    """
    ALTER TABLE articles ADD COLUMN raw TEXT NOT NULL DEFAULT '';
    ALTER TABLE articles ADD COLUMN origin TEXT NOT NULL DEFAULT '';
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(RuntimeError):
    """A database error: ``cannot <action>: <cause> (database <path>)``."""

    def __init__(self, action: str, path: str, cause: str, kind: str = "other"):
        super().__init__(f"cannot {action}: {cause} (database {path})")
        self.action, self.path, self.cause, self.kind = action, path, cause, kind


_KINDS = {  # SQLite primary result codes -> StoreError.kind
    "SQLITE_FULL": "full",
    "SQLITE_READONLY": "readonly",
    "SQLITE_PERM": "readonly",
    "SQLITE_BUSY": "busy",
    "SQLITE_LOCKED": "busy",
    "SQLITE_CORRUPT": "corrupt",
    "SQLITE_NOTADB": "corrupt",
    "SQLITE_CANTOPEN": "cantopen",
    "SQLITE_IOERR": "io",
}
_MESSAGES = [  # for Python < 3.11 (no sqlite_errorname)
    ("disk is full", "full"),
    ("readonly", "readonly"),
    ("locked", "busy"),
    ("malformed", "corrupt"),
    ("not a database", "corrupt"),
    ("unable to open", "cantopen"),
    ("disk i/o", "io"),
]


def _kind(error: BaseException) -> str:
    if isinstance(error, OSError):
        if error.errno == errno.ENOSPC:
            return "full"
        return "readonly" if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM) else "io"
    name = str(getattr(error, "sqlite_errorname", "") or "")
    for prefix, kind in _KINDS.items():
        if name == prefix or name.startswith(prefix + "_"):
            return kind
    text = str(error).lower()
    return next((kind for fragment, kind in _MESSAGES if fragment in text), "other")


def _cause(error: BaseException) -> str:
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return str(error)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


class Store:
    """Briefs and their articles in one SQLite file under `data_dir` (or ``":memory:"``)."""

    def __init__(self, data_dir: str | Path | None = None, *, path: str | Path | None = None):
        if path is None:
            if data_dir is None:
                raise ValueError("Store needs a data_dir or a path")
            data_dir = Path(data_dir).expanduser()
            path = data_dir / DB_NAME
        self.path = str(path)
        self._lock = threading.RLock()
        with self._errors("open the database"):
            if data_dir is not None:
                Path(data_dir).mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA busy_timeout = 5000")
            if self.path != ":memory:":
                self._db.execute("PRAGMA journal_mode = WAL")
                self._db.execute("PRAGMA synchronous = NORMAL")
        self.migrate()

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        """SQLite and file system errors inside as `StoreError`s naming the database."""
        try:
            yield
        except (sqlite3.Error, OSError) as e:
            raise StoreError(action, self.path, _cause(e), _kind(e)) from e

    @contextmanager
    def _reading(self, action: str) -> Iterator[sqlite3.Connection]:
        """The connection, under the lock, for reads."""
        with self._lock, self._errors(action):
            yield self._db

    # -- writes ---------------------------------------------------------------------------
    @contextmanager
    def _transaction(self, action: str) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``) under the lock: committed, or rolled back on error."""
        with self._lock, self._errors(action):
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise

    def _rollback(self) -> None:
        """Roll back the open transaction, if SQLite has not already (it does on a full disk); a failed
        rollback is logged, never raised, so that the error that caused it is the one reported."""
        if not self._db.in_transaction:
            return
        try:
            self._db.execute("ROLLBACK")
        except sqlite3.Error as e:
            log.warning("rollback failed on database %s: %s", self.path, e)

    # -- schema ---------------------------------------------------------------------------
    def version(self) -> int:
        with self._reading("read the schema version") as db:
            found = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")
            if not found.fetchone():
                return 0
            row = db.execute("SELECT MAX(version) FROM schema_version").fetchone()
            return int(row[0] or 0)

    def migrate(self, target: int = SCHEMA_VERSION) -> int:
        """Bring the database up to `target`; returns the version reached."""
        with self._lock:
            current = self.version()
            if current > SCHEMA_VERSION:
                raise RuntimeError(
                    f"database {self.path} has schema version {current}, newer than this "
                    f"newsbrief ({SCHEMA_VERSION}); upgrade newsbrief"
                )
            while current < target:
                script = MIGRATIONS[current]
                statements = [s.strip() for s in script.split(";") if s.strip()]
                with self._transaction(f"migrate the database to schema version {current + 1}") as db:
                    db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
                    for stmt in statements:
                        db.execute(stmt)
                    db.execute("DELETE FROM schema_version")
                    db.execute("INSERT INTO schema_version (version) VALUES (?)", (current + 1,))
                current += 1
            return current

    # -- briefs ---------------------------------------------------------------------------
    def save(self, brief: dict[str, Any], inputs: Iterable[dict[str, Any]] = ()) -> dict[str, Any]:
        """Store a brief dict (``Brief.to_dict()``); returns ``{"id", "created_at"}``.

        `inputs` are the submitted articles (``{"raw", "origin"}``, in order) kept beside the
        cleaned ones; they are matched to the brief's articles by position.
        """
        brief_id = uuid.uuid4().hex
        created = _now()
        given_inputs = list(inputs)
        articles = brief.get("articles") or []
        row = (
            brief_id,
            created,
            str(brief.get("title") or ""),
            int(brief.get("words") or 0),
            int(brief.get("summary_words") or 0),
            len(articles),
            len(brief.get("summary") or []),
            json.dumps(brief, ensure_ascii=False),
        )
        with self._transaction("save the brief") as db:
            db.execute(
                "INSERT INTO briefs (id, created_at, title, words, summary_words, n_articles,"
                " n_sentences, brief_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            for pos, a in enumerate(articles):
                given = given_inputs[pos] if pos < len(given_inputs) else {}
                db.execute(
                    "INSERT INTO articles (brief_id, position, article_id, title, source, url,"
                    " date, text, raw, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        brief_id,
                        pos,
                        str(a.get("id", pos)),
                        str(a.get("title") or ""),
                        str(a.get("source") or ""),
                        str(a.get("url") or ""),
                        a.get("date"),
                        str(a.get("text") or ""),
                        str(given.get("raw") or ""),
                        str(given.get("origin") or ""),
                    ),
                )
        return {"id": brief_id, "created_at": created}

    def get(self, brief_id: str) -> dict[str, Any] | None:
        """The stored brief dict with ``id`` and ``created_at`` added, or None."""
        with self._reading("read the brief") as db:
            row = db.execute("SELECT id, created_at, brief_json FROM briefs WHERE id = ?", (brief_id,)).fetchone()
        if row is None:
            return None
        brief = json.loads(row["brief_json"])
        return {"id": row["id"], "created_at": row["created_at"], **brief}

    def articles(self, brief_id: str) -> list[dict[str, Any]]:
        """The stored article rows of one brief, in order."""
        with self._reading("read the brief's articles") as db:
            rows = db.execute(
                "SELECT position, article_id, title, source, url, date, text, raw, origin"
                " FROM articles WHERE brief_id = ? ORDER BY position",
                (brief_id,),
            ).fetchall()
        return [dict(r) for r in rows]

    def list(self, limit: int = 20, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """Newest first: (items, total). Items are summaries, not whole briefs."""
        with self._reading("list the briefs") as db:
            total = db.execute("SELECT COUNT(*) FROM briefs").fetchone()[0]
            rows = db.execute(
                "SELECT id, created_at, title, words, summary_words, n_articles, n_sentences"
                " FROM briefs ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?",
                (limit, offset),
            ).fetchall()
        return [dict(r) for r in rows], int(total)

    def delete(self, brief_id: str) -> bool:
        with self._transaction("delete the brief") as db:
            db.execute("DELETE FROM articles WHERE brief_id = ?", (brief_id,))
            cur = db.execute("DELETE FROM briefs WHERE id = ?", (brief_id,))
        return cur.rowcount > 0

    def count(self) -> int:
        with self._reading("count the briefs") as db:
            return int(db.execute("SELECT COUNT(*) FROM briefs").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
