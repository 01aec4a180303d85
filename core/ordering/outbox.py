"""The outbox: every order Nadir places, written down before it is sent, so a retry, a crash
or a lost answer never orders twice.

One SQLite file (``<profile>/nadir/outbox.sqlite``), WAL mode, ``synchronous=FULL``: safe
for one writer at a time and any number of readers, across threads and processes (QGIS
and ``qgis_process``); every method opens its own short-lived connection.

States of an entry::

    queued --claim--> sending --complete--> placed
                         |  \\--fail--> failed --requeue--> queued (same reference)
                         \\--lost answer--> unknown --resolve--> placed | failed

- ``queued``: committed with its ``reference`` (a UUID, the provider's idempotency key or
  client reference) before anything is sent;
- ``sending``: committed immediately before the provider call, with the owner process;
- ``placed``: the provider confirmed; ``orders`` holds its order(s), ``errors`` any parts
  it refused;
- ``failed``: definitely not placed (refused, payment needed, never sent, or looked up
  and not found); a retry re-queues the *same* entry and reference;
- ``unknown``: the answer was lost after sending (timeout, dropped connection, 5xx):
  it is looked up with ``find_placed(spec, reference)`` before anything is sent again.

Double placement is refused by the database itself: a partial unique index allows one
entry that is not ``failed`` per ``dedup_key`` (the cart item id, or a Processing
request's key), so a double-click, a second checkout or a re-run cannot queue the same
item twice, whichever window, thread or process tries.

Recovery (a damaged file loses nothing placed): after each change a consistent copy is taken with SQLite's
backup API into ``outbox.sqlite.bak`` (temporary file, fsync, rename). On opening, a
file that is not a database, fails ``PRAGMA quick_check`` or is older than its copy is
moved aside to ``outbox.sqlite.damaged-<time>`` and the copy is restored;
:attr:`Outbox.recovery` reports it. "Older" needs proof: the copy must hold every entry
the file holds that is not ``failed``, so a forged or foreign copy with a high
generation never replaces good data; it is set aside as
``outbox.sqlite.bak.rejected-<time>`` (issue 15). A row or a
generation number that cannot be read is reported in :attr:`Outbox.problems` and kept
as it is: an unreadable row is left out of listings, still blocks a second placement
of its item, and :meth:`Outbox.get` raises :class:`StorageError` for it.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sqlite3
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, TypeAdapter

from ..errors import AlreadyPlacing, StorageError
from ..models import (
    ItemError,
    Money,
    Order,
    OrderKind,
    OrderSpec,
    PlacementResult,
    StoredSpec,
    spec_kind,
    spec_provider,
)
from .cart import fingerprint

LOGGER = logging.getLogger(__name__)

QUEUED, SENDING, PLACED, FAILED, UNKNOWN = "queued", "sending", "placed", "failed", "unknown"
STATES = (QUEUED, SENDING, PLACED, FAILED, UNKNOWN)
#: states that block another placement of the same item
LIVE = (QUEUED, SENDING, PLACED, UNKNOWN)
SCHEMA_VERSION = 1

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
    reference    TEXT PRIMARY KEY,
    dedup_key    TEXT,
    cart_item_id TEXT,
    provider     TEXT NOT NULL,
    kind         TEXT NOT NULL,
    title        TEXT NOT NULL DEFAULT '',
    spec         TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ({", ".join(repr(s) for s in STATES)})),
    orders       TEXT NOT NULL DEFAULT '[]',
    errors       TEXT NOT NULL DEFAULT '[]',
    message      TEXT NOT NULL DEFAULT '',
    failure      TEXT NOT NULL DEFAULT '',
    attempts     INTEGER NOT NULL DEFAULT 0,
    owner        TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    sent_at      TEXT,
    placed_at    TEXT,
    price        TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX IF NOT EXISTS one_live_entry_per_item
    ON entries(dedup_key) WHERE dedup_key IS NOT NULL AND state != '{FAILED}';
CREATE INDEX IF NOT EXISTS entries_by_state ON entries(state);
"""
# Every read is one of these fixed statements (values are bound parameters, never text).
_QUERIES = {
    "all": "SELECT * FROM entries ORDER BY created_at DESC",
    "placed": "SELECT * FROM entries WHERE state=? ORDER BY placed_at DESC, created_at DESC",
    "in_two_states": "SELECT * FROM entries WHERE state IN (?, ?) ORDER BY created_at",
    "by_reference": "SELECT * FROM entries WHERE reference=? ORDER BY created_at DESC",
    "by_dedup_key": "SELECT * FROM entries WHERE dedup_key=? ORDER BY created_at DESC",
    "in_state_except": "SELECT * FROM entries WHERE state=? AND reference != ? ORDER BY created_at DESC",
}
# The columns a state transition may set (the key and the creation facts never change).
_UPDATABLE = frozenset(
    {"state", "orders", "errors", "message", "failure", "attempts", "owner", "updated_at", "sent_at", "placed_at"}
)

#: columns added after the first release, with their definitions (added to older files on open)
_ADDED_COLUMNS = {"price": "TEXT NOT NULL DEFAULT ''"}
_ORDERS = TypeAdapter(tuple[Order, ...])
_ERRORS = TypeAdapter(tuple[ItemError, ...])


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _iso(moment: Optional[datetime]) -> Optional[str]:
    return moment.isoformat() if moment else None


#: columns :meth:`Outbox._entry` reads: a copy without them is not an outbox
_COLUMNS = {
    "reference",
    "dedup_key",
    "cart_item_id",
    "provider",
    "kind",
    "title",
    "spec",
    "fingerprint",
    "state",
    "orders",
    "errors",
    "message",
    "failure",
    "attempts",
    "owner",
    "created_at",
    "updated_at",
    "sent_at",
    "placed_at",
}


def _generation(value: Any) -> Optional[int]:
    """A stored generation number, None when it cannot be read."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


def _loose_order_ids(orders: Any) -> set[str]:
    """Order ids in an ``orders`` column that does not validate (best effort)."""
    try:
        data = json.loads(orders)
    except (TypeError, ValueError, RecursionError):
        return set()
    items = data if isinstance(data, list) else []
    return {str(o["id"]) for o in items if isinstance(o, dict) and isinstance(o.get("id"), (str, int))}


def _json_column(row: sqlite3.Row, name: str) -> Any:
    try:
        return json.loads(row[name])
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} is not JSON ({exc})") from None


def _reason(exc: BaseException) -> str:
    """A short reason for an unreadable row (a validation error's first problem)."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        try:
            first = errors()[0]
            return f"{'.'.join(str(p) for p in first.get('loc', ())) or 'value'}: {first.get('msg', '')}"
        except (IndexError, TypeError, KeyError):
            pass
    return f"{type(exc).__name__}: {exc}"[:200]


#: what SQLite raises on a damaged file; Python's sqlite3 raises UnicodeDecodeError when
#: the error message itself quotes damaged bytes (a garbled schema)
_DB_ERRORS = (sqlite3.Error, UnicodeDecodeError)


def _text(value: bytes) -> str:
    """TEXT read from the file; bytes that are not UTF-8 (damage) are replaced, not fatal."""
    return value.decode("utf-8", errors="replace")


def _read_only(path: Path) -> str:
    return f"{path.resolve().as_uri()}?mode=ro"


def this_process() -> str:
    """Owner tag of entries this process is sending: ``host:pid``."""
    return f"{socket.gethostname()}:{os.getpid()}"


class OutboxEntry(BaseModel):
    """One placement as the outbox knows it. Read-only snapshot."""

    model_config = ConfigDict(frozen=True)

    reference: str
    provider: str
    spec: StoredSpec
    state: str
    orders: tuple[Order, ...] = ()
    errors: tuple[ItemError, ...] = ()
    created_at: datetime
    updated_at: datetime
    cart_item_id: Optional[str] = None
    title: str = ""
    dedup_key: Optional[str] = None
    #: user-facing explanation of the last failure or of an unknown outcome
    message: str = ""
    #: what kind of failure: "payment", "payment_action" (3-D Secure), "rejected", "auth",
    #: "unavailable", "not_placed", "error" (or "" when none)
    failure: str = ""
    attempts: int = 0
    owner: str = ""
    sent_at: Optional[datetime] = None
    placed_at: Optional[datetime] = None
    fingerprint: str = ""
    #: the item's estimate when it was queued (what the user saw at checkout)
    price: Optional[Money] = None

    @property
    def kind(self) -> OrderKind:
        return spec_kind(self.spec)

    @property
    def order_ids(self) -> tuple[str, ...]:
        return tuple(order.id for order in self.orders)

    @property
    def retryable(self) -> bool:
        return self.state in (FAILED, UNKNOWN)


@dataclass(frozen=True)
class OutboxRecovery:
    damaged_file: Optional[Path]
    reason: str
    restored_from: Optional[Path]
    entries: int

    @property
    def message(self) -> str:
        kept = f" The damaged file was kept as {self.damaged_file.name}." if self.damaged_file else ""
        if self.restored_from is None:
            return (
                f"The record of placed orders ({self.reason}) could not be restored; it starts empty.{kept} "
                f"Orders already placed are still at the providers: check their order lists before placing "
                f"anything again."
            )
        return (
            f"The record of placed orders could not be read ({self.reason}). Nadir restored it from "
            f"{self.restored_from.name} with {self.entries} entr{'y' if self.entries == 1 else 'ies'}; "
            f"nothing was lost.{kept}"
        )


class Outbox:
    """The outbox file at ``path``; see the module docstring."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.recovery: Optional[OutboxRecovery] = None
        #: notes for the user: a copy set aside, meta repaired, rows that cannot be read
        self.problems: list[str] = []
        #: reference -> why that row cannot be read (the row is kept as it is)
        self.unreadable: dict[str, str] = {}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._open()
        self.entries()  # every row read once: the ones that cannot be read are in problems from the start

    # ------------------------------------------------------------------ files
    @property
    def backup(self) -> Path:
        return self.path.with_name(self.path.name + ".bak")

    def _connect(self, path: Optional[Path] = None) -> sqlite3.Connection:
        conn = sqlite3.connect(str(path or self.path), timeout=30.0, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.text_factory = _text  # a damaged byte makes that row unreadable, not every listing
        conn.execute("PRAGMA busy_timeout = 30000")
        conn.execute("PRAGMA synchronous = FULL")
        return conn

    @staticmethod
    def _check(conn: sqlite3.Connection) -> Optional[int]:
        """Raise sqlite3.DatabaseError if the file is not a sound outbox; return its
        generation (None when the generation itself cannot be read)."""
        result = conn.execute("PRAGMA quick_check").fetchone()[0]
        if result != "ok":
            raise sqlite3.DatabaseError(f"integrity check failed: {result}")
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if tables and not {"meta", "entries"} <= tables:
            raise sqlite3.DatabaseError("it is not a Nadir outbox")
        if "meta" not in tables:
            return 0
        columns = {row[1] for row in conn.execute("PRAGMA table_info(entries)")}
        if not _COLUMNS <= columns:
            raise sqlite3.DatabaseError(f"it is not a Nadir outbox (no {', '.join(sorted(_COLUMNS - columns))})")
        row = conn.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
        return _generation(row[0]) if row else 0

    @staticmethod
    def _references(conn: sqlite3.Connection, live_only: bool = False) -> set[str]:
        """References of the entries (``live_only``: not ``failed``; a failed one may have been
        discarded since, so a newer copy need not hold it)."""
        if live_only:
            rows = conn.execute("SELECT reference FROM entries WHERE state != ?", (FAILED,))
        else:
            rows = conn.execute("SELECT reference FROM entries")
        return {str(row[0]) for row in rows}

    def _backup_state(self, path: Path, references: bool = True) -> Optional[tuple[int, set[str]]]:
        """(generation, references) of a sound outbox copy at ``path``; None if it is
        missing, unsound or its generation cannot be read (such a copy is never used)."""
        try:
            if not path.is_file() or path.stat().st_size == 0:
                return None
            conn = sqlite3.connect(_read_only(path), uri=True, timeout=30.0)
            try:
                generation = self._check(conn)
                if generation is None:
                    return None
                return generation, self._references(conn) if references else set()
            finally:
                conn.close()
        except (*_DB_ERRORS, OSError):
            return None

    def _generation_of(self, path: Path) -> Optional[int]:
        """Generation of a sound outbox file at ``path``, None if it is missing or unsound."""
        state = self._backup_state(path, references=False)
        return state[0] if state else None

    def _open(self) -> None:
        """Check the file against its copy; restore, set a bad copy aside, or repair meta.

        The copy replaces a sound outbox only when it is newer *and* holds every entry
        the outbox holds that is not ``failed`` (a true later state of it: only failed
        entries are ever deleted); a copy that does not, however high its generation, is
        forged or foreign and is set aside (issue 15)."""
        backup = self._backup_state(self.backup)
        backup_generation = backup[0] if backup else None
        problem: Optional[str] = None
        generation: Optional[int] = 0
        if self.path.exists():
            try:
                conn = self._connect()
                try:
                    if self.path.stat().st_size == 0 and backup_generation:
                        raise sqlite3.DatabaseError("the file is empty")
                    generation = self._check(conn)
                    references = self._references(conn, live_only=True)
                finally:
                    conn.close()
                if backup is not None and (generation is None or backup[0] > generation):
                    if references <= backup[1]:
                        problem = (
                            "its generation cannot be read"
                            if generation is None
                            else "it is older than its backup copy"
                        )
                    else:
                        self._reject_backup(
                            f"the backup copy (generation {backup[0]}) is not a copy of this "
                            f"outbox: it lacks {len(references - backup[1])} of its entries"
                        )
                        backup_generation = None
            except (*_DB_ERRORS, OSError) as exc:
                problem = str(exc) if isinstance(exc, sqlite3.Error) else f"it cannot be read ({exc})"
        elif backup_generation:
            problem = "the file is missing"
        if problem is not None:
            self._restore(problem, backup_generation)
            generation = 0
        conn = self._connect()
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.executescript(_SCHEMA)
            present = {row[1] for row in conn.execute("PRAGMA table_info(entries)")}
            for name, definition in _ADDED_COLUMNS.items():
                if name not in present:
                    conn.execute(f"ALTER TABLE entries ADD COLUMN {name} {definition}")
            conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('generation', '0')")
            if generation is None:  # unreadable and no better copy: number it after the copy, keep every entry
                repaired = (backup_generation or 0) + 1
                conn.execute("UPDATE meta SET value=? WHERE key='generation'", (str(repaired),))
                self._note(
                    f"The outbox's generation number could not be read; it was renumbered {repaired}. "
                    f"Every entry was kept."
                )
        finally:
            conn.close()

    def _note(self, text: str) -> None:
        LOGGER.warning("%s", text)
        self.problems.append(text)

    def _reject_backup(self, reason: str) -> None:
        stamp = _now().strftime("%Y%m%dT%H%M%S%f")
        aside = self.backup.with_name(f"{self.backup.name}.rejected-{stamp}")
        try:
            os.replace(self.backup, aside)
        except OSError as exc:
            LOGGER.warning("Could not set the outbox backup copy aside: %s", exc)
        self._note(
            f"The outbox was kept as it is: {reason}. That copy was set aside as {aside.name}; "
            f"a new copy is written with the next change."
        )

    def _restore(self, reason: str, backup_generation: Optional[int]) -> None:
        stamp = _now().strftime("%Y%m%dT%H%M%S%f")
        damaged: Optional[Path] = None
        if self.path.exists():
            damaged = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
            os.replace(self.path, damaged)
        for suffix in ("-wal", "-shm"):
            side = self.path.with_name(self.path.name + suffix)
            if side.exists():
                os.replace(side, side.with_name(f"{side.name}.damaged-{stamp}"))
        restored: Optional[Path] = None
        entries = 0
        if backup_generation is not None:
            source = sqlite3.connect(_read_only(self.backup), uri=True)
            target = self._connect()
            try:
                source.backup(target)
                entries = int(target.execute("SELECT count(*) FROM entries").fetchone()[0])
            finally:
                source.close()
                target.close()
            restored = self.backup
        self.recovery = OutboxRecovery(damaged, reason, restored, entries)
        LOGGER.warning("%s", self.recovery.message)

    def _snapshot(self, conn: sqlite3.Connection, generation: int) -> None:
        """Consistent copy into ``.bak`` (temporary file, fsync, rename); newest copy wins."""
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.bak-tmp")
        try:
            target = sqlite3.connect(str(tmp))
            try:
                conn.backup(target)
                target.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            finally:
                target.close()
            with open(tmp, "rb+") as handle:
                os.fsync(handle.fileno())
            current = self._generation_of(self.backup)
            if current is None or current <= generation:
                os.replace(tmp, self.backup)
        except (OSError, *_DB_ERRORS) as exc:  # the outbox itself is committed; only the copy lags
            LOGGER.warning("Could not refresh the outbox backup copy %s: %s", self.backup, exc)
        finally:
            tmp.unlink(missing_ok=True)

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE: writers queue), then the backup copy."""
        try:
            conn = self._connect()
        except _DB_ERRORS as exc:
            raise self._storage_error(exc) from exc
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                row = conn.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
                generation = (_generation(row[0]) if row else None) or 0
                generation += 1
                conn.execute("UPDATE meta SET value=? WHERE key='generation'", (str(generation),))
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            self._snapshot(conn, generation)
        except _DB_ERRORS as exc:
            raise self._storage_error(exc) from exc
        finally:
            conn.close()

    def _storage_error(self, exc: Exception) -> StorageError:
        return StorageError(
            f"The record of placed orders ({self.path}) could not be written: {exc}. Nothing was sent to the "
            f"provider. Check that the folder is writable and the disk is not full.",
            details=repr(exc),
        )

    # ------------------------------------------------------------------ reading
    @staticmethod
    def _entry(row: sqlite3.Row) -> OutboxEntry:
        return OutboxEntry(
            reference=row["reference"],
            provider=row["provider"],
            spec=_json_column(row, "spec"),
            state=row["state"],
            orders=_ORDERS.validate_json(row["orders"]),
            errors=_ERRORS.validate_json(row["errors"]),
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            cart_item_id=row["cart_item_id"],
            title=row["title"],
            dedup_key=row["dedup_key"],
            message=row["message"],
            failure=row["failure"],
            attempts=row["attempts"],
            owner=row["owner"],
            sent_at=row["sent_at"],
            placed_at=row["placed_at"],
            fingerprint=row["fingerprint"],
            price=Money.model_validate_json(row["price"]) if row["price"] else None,
        )

    def _rows(self, query: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Rows of one of the fixed ``_QUERIES``; values only ever travel as parameters."""
        try:
            conn = self._connect()
            try:
                return list(conn.execute(_QUERIES[query], tuple(params)).fetchall())
            finally:
                conn.close()
        except _DB_ERRORS as exc:
            raise StorageError(
                f"The record of placed orders ({self.path}) could not be read: {exc}.", details=repr(exc)
            ) from exc

    def _readable(self, row: sqlite3.Row) -> Optional[OutboxEntry]:
        """The entry of ``row``, or None (noted in :attr:`unreadable`) when a column cannot be read."""
        try:
            return self._entry(row)
        except (ValueError, TypeError, KeyError, IndexError, RecursionError) as exc:
            reference = str(row["reference"])
            reason = _reason(exc)
            if self.unreadable.get(reference) != reason:
                self.unreadable[reference] = reason
                self._note(
                    f"Outbox entry {reference} ({row['title'] or row['provider']}, {row['state']}) cannot be "
                    f"read ({reason}); it is kept unchanged and still blocks a second placement of its item. "
                    f"Check the provider's order list for it."
                )
            return None

    def _select(self, query: str, params: Sequence[Any] = ()) -> list[OutboxEntry]:
        entries = (self._readable(row) for row in self._rows(query, params))
        return [entry for entry in entries if entry is not None]

    def entries(self) -> list[OutboxEntry]:
        """Every entry, newest first."""
        return self._select("all")

    def placed(self) -> list[OutboxEntry]:
        """Entries whose placement succeeded, newest placement first."""
        return self._select("placed", (PLACED,))

    def unresolved(self) -> list[OutboxEntry]:
        """Entries left ``sending`` or ``unknown``: to reconcile with the provider."""
        return self._select("in_two_states", (SENDING, UNKNOWN))

    def get(self, reference: str) -> Optional[OutboxEntry]:
        """The entry, None if there is none; :class:`StorageError` if it cannot be read."""
        rows = self._rows("by_reference", (reference,))
        if not rows:
            return None
        entry = self._readable(rows[0])
        if entry is None:
            raise StorageError(
                f"The outbox entry {reference} cannot be read ({self.unreadable[reference]}). It is "
                f"kept as it is; nothing is sent for it. Check the provider's order list."
            )
        return entry

    def require(self, reference: str) -> OutboxEntry:
        entry = self.get(reference)
        if entry is None:
            raise KeyError(reference)
        return entry

    def for_key(self, dedup_key: str) -> list[OutboxEntry]:
        """Entries for a cart item id or Processing key, newest first."""
        return self._select("by_dedup_key", (dedup_key,))

    def live_for(self, dedup_key: str) -> Optional[OutboxEntry]:
        """The entry that currently holds ``dedup_key`` (not failed), if any."""
        for entry in self.for_key(dedup_key):
            if entry.state in LIVE:
                return entry
        return None

    def order_ids(self, exclude: str = "") -> set[str]:
        """Ids of the provider orders recorded by entries other than ``exclude``."""
        ids: set[str] = set()
        for row in self._rows("in_state_except", (PLACED, exclude)):
            entry = self._readable(row)
            ids.update(entry.order_ids if entry is not None else _loose_order_ids(row["orders"]))
        return ids

    # ------------------------------------------------------------------ writing
    def enqueue(
        self,
        spec: OrderSpec,
        *,
        cart_item_id: Optional[str] = None,
        title: str = "",
        dedup_key: Optional[str] = None,
        reference: Optional[str] = None,
        price: Optional[Money] = None,
    ) -> OutboxEntry:
        """Commit a placement before anything is sent; returns the ``queued`` entry.

        ``dedup_key`` (default: ``cart_item_id``) may hold only one entry that is not
        ``failed``: a second request raises :class:`AlreadyPlacing`. A failed entry for
        the same key and the very same spec is re-queued with its reference unchanged.
        """
        key = dedup_key or cart_item_id
        price_json = price.model_dump_json() if price is not None else ""
        spec_json = spec.model_dump_json()
        digest = fingerprint(spec)
        now = _iso(_now())
        with self._write() as conn:
            requeued: Optional[str] = None
            if key is not None:
                rows = conn.execute(
                    "SELECT * FROM entries WHERE dedup_key=? ORDER BY created_at DESC", (key,)
                ).fetchall()
                for row in rows:
                    if row["state"] in LIVE:
                        raise self._already_row(row)
                for row in rows:  # all failed: retry the same spec under the same reference
                    if row["fingerprint"] == digest:
                        requeued = row["reference"]
                        conn.execute(
                            "UPDATE entries SET state=?, message='', failure='', owner='', updated_at=?, "
                            "title=?, cart_item_id=?, price=? WHERE reference=?",
                            (QUEUED, now, title or row["title"], cart_item_id, price_json or row["price"], requeued),
                        )
                        break
            if requeued is None:
                reference = reference or str(uuid.uuid4())
                try:
                    conn.execute(
                        "INSERT INTO entries(reference, dedup_key, cart_item_id, provider, kind, title, spec, "
                        "fingerprint, state, created_at, updated_at, price) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                        (
                            reference,
                            key,
                            cart_item_id,
                            spec_provider(spec),
                            spec_kind(spec).value,
                            title,
                            spec_json,
                            digest,
                            QUEUED,
                            now,
                            now,
                            price_json,
                        ),
                    )
                except sqlite3.IntegrityError:  # the key was taken in between (cannot happen under
                    row = conn.execute(  # BEGIN IMMEDIATE, but the index is the last word)
                        "SELECT * FROM entries WHERE dedup_key=? AND state != ?", (key, FAILED)
                    ).fetchone()
                    if row is None:
                        raise
                    raise self._already_row(row) from None
            else:
                reference = requeued
        return self.require(str(reference))

    def _already_row(self, row: sqlite3.Row) -> AlreadyPlacing:
        entry = self._readable(row)
        if entry is not None:
            return self._already(entry)
        what = row["title"] or "This item"
        return AlreadyPlacing(
            f"{what} has an outbox entry that cannot be read ({row['state']}); it is not placed "
            f"again. Check the provider's order list.",
            reference=row["reference"],
            state=row["state"],
        )

    @staticmethod
    def _already(entry: OutboxEntry) -> AlreadyPlacing:
        what = entry.title or "This item"
        texts = {
            QUEUED: f"{what} is already queued to be placed; it is not placed a second time.",
            SENDING: f"{what} is being placed right now; it is not placed a second time.",
            PLACED: f"{what} was already placed (order {', '.join(entry.order_ids) or entry.reference}); "
            f"it is not placed a second time.",
            UNKNOWN: f"{what} was sent but the provider's answer was lost; Nadir checks with the provider "
            f"before anything is sent again.",
        }
        return AlreadyPlacing(
            texts.get(entry.state, f"{what} is already in the outbox."), reference=entry.reference, state=entry.state
        )

    def _transition(self, reference: str, allowed: Sequence[str], **values: Any) -> Optional[OutboxEntry]:
        """Set ``values`` if the entry's state is in ``allowed``; None (nothing changed) otherwise."""
        values["updated_at"] = _iso(_now())
        unknown = set(values) - _UPDATABLE
        if unknown or not allowed:
            raise ValueError(f"not an outbox update: columns {sorted(unknown)}, states {list(allowed)}")
        columns = ", ".join(f"{name}=?" for name in values)  # names from _UPDATABLE only
        marks = ", ".join("?" for _ in allowed)
        with self._write() as conn:
            cursor = conn.execute(
                # column names are checked against the fixed _UPDATABLE set above; every value
                # (states included) is a bound parameter
                f"UPDATE entries SET {columns} WHERE reference=? AND state IN ({marks})",  # noqa: S608  # nosec B608
                (*values.values(), reference, *allowed),
            )
            changed = cursor.rowcount == 1
        return self.require(reference) if changed else None

    def claim(self, reference: str, owner: Optional[str] = None) -> Optional[OutboxEntry]:
        """``queued`` -> ``sending``, committed before the provider call. None if not queued
        (someone else is sending it, or it is placed, failed or unknown)."""
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE entries SET state=?, attempts=attempts+1, owner=?, sent_at=?, updated_at=?, message='', "
                "failure='' WHERE reference=? AND state=?",
                (SENDING, owner or this_process(), _iso(_now()), _iso(_now()), reference, QUEUED),
            )
            changed = cursor.rowcount == 1
        return self.require(reference) if changed else None

    def complete(self, reference: str, result: PlacementResult) -> OutboxEntry:
        """Record the provider's answer: ``placed`` if it made any order, else ``failed``."""
        orders = _ORDERS.dump_json(result.orders).decode()
        errors = _ERRORS.dump_json(result.errors).decode()
        if result.orders:
            entry = self._transition(
                reference,
                (SENDING, UNKNOWN),
                state=PLACED,
                orders=orders,
                errors=errors,
                message="",
                failure="",
                placed_at=_iso(_now()),
            )
        else:
            text = "; ".join(f"{e.item}: {e.message}" for e in result.errors) or "the provider made no order"
            entry = self._transition(
                reference,
                (SENDING, UNKNOWN),
                state=FAILED,
                errors=errors,
                message=f"Not placed: {text}",
                failure="rejected",
            )
        return entry or self.require(reference)

    def fail(self, reference: str, message: str, failure: str = "error") -> OutboxEntry:
        """Definitely not placed (refused, payment, never sent, or looked up and absent)."""
        entry = self._transition(reference, (QUEUED, SENDING, UNKNOWN), state=FAILED, message=message, failure=failure)
        return entry or self.require(reference)

    def mark_unknown(self, reference: str, message: str) -> OutboxEntry:
        entry = self._transition(reference, (SENDING, UNKNOWN), state=UNKNOWN, message=message, failure="")
        return entry or self.require(reference)

    def requeue(self, reference: str) -> OutboxEntry:
        """``failed`` -> ``queued`` with the same reference (Retry). Raises
        :class:`AlreadyPlacing` if another entry holds the item meanwhile."""
        try:
            entry = self._transition(reference, (FAILED,), state=QUEUED, message="", failure="", owner="")
        except StorageError as exc:
            if isinstance(exc.__cause__, sqlite3.IntegrityError):
                current = self.require(reference)
                other = self.live_for(current.dedup_key or "")
                if other is not None:
                    raise self._already(other) from None
            raise
        return entry or self.require(reference)

    def discard(self, reference: str) -> bool:
        """Delete a ``failed`` entry (the user gave up on it). Other states are kept."""
        with self._write() as conn:
            cursor = conn.execute("DELETE FROM entries WHERE reference=? AND state=?", (reference, FAILED))
            return cursor.rowcount == 1
