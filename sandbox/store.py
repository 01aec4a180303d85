"""SQLite state: JSON documents by (kind, id), so a restart keeps orders.

Generic on purpose: each provider module keeps its own document kinds
(``clearsky.order``, ``geopera.order``...). Access is serialised with a lock; the
sandbox is a test server, not a database benchmark.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    created REAL NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE INDEX IF NOT EXISTS docs_kind_created ON docs (kind, created);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class Store:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Atomic multi-statement section (for example an idempotency claim + insert)."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def put(self, kind: str, doc_id: str, body: dict[str, Any], created: float | None = None) -> None:
        with self._lock:
            row = self._db.execute("SELECT created FROM docs WHERE kind=? AND id=?", (kind, doc_id)).fetchone()
            stamp = row[0] if row else (created if created is not None else time.time())
            self._db.execute(
                "INSERT OR REPLACE INTO docs (kind, id, created, body) VALUES (?, ?, ?, ?)",
                (kind, doc_id, stamp, json.dumps(body)),
            )

    def get(self, kind: str, doc_id: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute("SELECT body FROM docs WHERE kind=? AND id=?", (kind, doc_id)).fetchone()
        return json.loads(row[0]) if row else None

    def delete(self, kind: str, doc_id: str) -> bool:
        with self._lock:
            cursor = self._db.execute("DELETE FROM docs WHERE kind=? AND id=?", (kind, doc_id))
        return cursor.rowcount > 0

    def list(self, kind: str, where: Callable[[dict[str, Any]], bool] | None = None) -> list[dict[str, Any]]:
        """All documents of a kind, oldest first, optionally filtered."""
        with self._lock:
            rows = self._db.execute("SELECT body FROM docs WHERE kind=? ORDER BY created, id", (kind,)).fetchall()
        docs = [json.loads(row[0]) for row in rows]
        return [d for d in docs if where is None or where(d)]

    def meta(self, key: str, default: str | None = None) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def reset(self) -> None:
        with self._lock:
            self._db.execute("DELETE FROM docs")
            self._db.execute("DELETE FROM meta")

    def close(self) -> None:
        with self._lock:
            self._db.close()
