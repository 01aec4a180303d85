"""Property-based tests of the cart and outbox loaders (outside audit, issue 15 item 6).

Generated and mutated file contents (byte flips, truncation, random bytes, random JSON,
a good document with one header field replaced) are fed to :class:`CartStore` and
:class:`Outbox`. Whatever the content: only the project's own errors escape (here:
none at all), and when a good backup copy exists the saved state is recovered from it.

Bounded and deterministic: ``derandomize=True`` (examples derived from the test, the same
on every run and machine), no example database, files made with fixed ids and times
(:func:`deterministic`) so every mutation hits the same bytes on every run, and a fixed
``max_examples`` so the file runs in well under 30 s.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nadir.core.errors import NadirError
from nadir.core.ordering import checkout
from nadir.core.ordering.cart import Cart, CartItem
from nadir.core.ordering.cart_store import CartStore, Damaged, decode, encode
from nadir.core.ordering.outbox import Outbox
from support.orders import FakePlacer, archive, composite, tiles

BOUNDED = settings(
    max_examples=150, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)

# ------------------------------------------------------------------------------ content
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
HEADER_FIELDS = ("format", "version", "generation", "saved_at", "checksum", "cart")


@st.composite
def mutations(draw: Any) -> tuple[str, Any]:
    """One way to damage a file: (kind, argument)."""
    kind = draw(st.sampled_from(("flip", "truncate", "bytes", "json", "header")))
    if kind == "flip":
        return kind, draw(
            st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(1, 255)), min_size=1, max_size=4)
        )
    if kind == "truncate":
        return kind, draw(st.floats(0, 1, exclude_max=True))
    if kind == "bytes":
        return kind, draw(st.binary(max_size=300))
    if kind == "json":
        return kind, draw(JSON)
    return kind, (draw(st.sampled_from(HEADER_FIELDS)), draw(JSON))


def mutate(data: bytes, mutation: tuple[str, Any]) -> bytes:
    kind, argument = mutation
    if kind == "flip":
        damaged = bytearray(data)
        for where, mask in argument:
            damaged[int(where * len(damaged))] ^= mask
        return bytes(damaged)
    if kind == "truncate":
        return data[: int(argument * len(data))]
    if kind == "bytes":
        return bytes(argument)
    if kind == "json":
        return json.dumps(argument).encode()
    field, value = argument
    document = json.loads(data)
    document[field] = value
    return json.dumps(document).encode()


class _Clock(datetime):
    """A clock that starts at a fixed moment and ticks 1 ms per reading."""

    ticks = 0

    @classmethod
    def now(cls, tz: Any = None) -> Any:
        cls.ticks += 1
        return datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc) + timedelta(milliseconds=cls.ticks)


@contextmanager
def deterministic() -> Iterator[None]:
    """Fixed ids, times and owner, so the files under test are byte-for-byte the same on
    every run and the derandomized mutations always hit the same bytes."""
    import nadir.core.ordering.cart as cart_module
    import nadir.core.ordering.outbox as outbox_module
    import support.orders as orders_module

    rng = random.Random(15)
    _Clock.ticks = 0
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=rng.getrandbits(128), version=4))
        for module in (cart_module, outbox_module, orders_module):
            patch.setattr(module, "datetime", _Clock)
        patch.setattr(outbox_module, "this_process", lambda: "property-host:1")
        yield


@contextmanager
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="nadir-prop-") as name:
        yield Path(name)


# ------------------------------------------------------------------------------ cart
def good_cart() -> Cart:
    cart = Cart()
    for spec in (composite(), tiles(), archive()):
        cart = cart.add(CartItem(spec=spec, title="Property"))
    return cart


with deterministic():
    CART = good_cart()
    PREVIOUS = Cart(items=CART.items[:1])
    OTHER = Cart(items=(CartItem(spec=archive(ids=("forged",)), title="Not mine"),))


def decode_or_none(path: Path) -> int | None:
    """Generation of a sound cart file, None otherwise."""
    try:
        return decode(path.read_bytes()).generation
    except Damaged:
        return None


@pytest.fixture(scope="module")
def saved_cart(tmp_path_factory) -> Path:
    """cart.json (generation 2), .bak (2) and .prev (1), made once and copied per example."""
    where = tmp_path_factory.mktemp("cart") / "cart.json"
    store = CartStore(where)
    with deterministic():
        store.save(PREVIOUS)
        store.save(CART)
    return where.parent


@BOUNDED
@given(content=st.binary(max_size=400) | JSON.map(lambda v: json.dumps(v).encode()))
def test_decode_raises_only_damaged(content):
    try:
        decode(content)
    except Damaged:
        pass


@BOUNDED
@given(field=st.sampled_from(HEADER_FIELDS), value=JSON)
def test_decode_accepts_a_header_only_when_every_field_reads(field, value):
    document = json.loads(encode(CART, 2))
    document[field] = value
    try:
        decoded = decode(json.dumps(document))
    except Damaged:
        return
    assert decoded.cart == CART and decoded.generation == document["generation"]
    assert isinstance(document["saved_at"], str) and decoded.saved_at == datetime.fromisoformat(document["saved_at"])


@BOUNDED
@given(mutation=mutations(), leftover=st.none() | st.binary(max_size=200) | mutations() | st.integers(0, 6))
def test_a_damaged_cart_file_always_comes_back_from_its_good_copy(saved_cart, mutation, leftover):
    """``leftover``: a temporary file a crash left: garbage, a damaged copy of the cart, or a
    well-formed *other* cart at some generation (used only as the very next one, 3)."""
    with folder() as where:
        for name in ("cart.json", "cart.json.bak", "cart.json.prev"):
            shutil.copy(saved_cart / name, where / name)
        primary = where / "cart.json"
        good = primary.read_bytes()
        primary.write_bytes(mutate(good, mutation))
        expected = CART
        stray = where / ".cart.json.crash.tmp"
        if isinstance(leftover, bytes):
            stray.write_bytes(leftover)
        elif isinstance(leftover, int):
            stray.write_text(encode(OTHER, leftover))
            # the next generation after the newest good file is a save cut before its rename
            generations = [decode_or_none(where / n) for n in ("cart.json", "cart.json.bak", "cart.json.prev")]
            expected = OTHER if leftover == max(g for g in generations if g is not None) + 1 else CART
        elif leftover is not None:
            stray.write_bytes(mutate(good, leftover))
        cart, recovery = CartStore(primary).load()  # nothing but the project's errors may escape: none here
        assert cart == expected
        if recovery is not None:
            assert recovery.source is not None and recovery.items == len(expected)
        again, report = CartStore(primary).load()  # what was written back is sound
        assert again == expected and report is None
        assert not list(where.glob(".cart.json.*.tmp"))


@BOUNDED
@given(primary=mutations(), backup=mutations())
def test_a_cart_with_every_copy_damaged_starts_empty_with_a_report_and_keeps_the_files(saved_cart, primary, backup):
    with folder() as where:
        for name in ("cart.json", "cart.json.bak", "cart.json.prev"):
            shutil.copy(saved_cart / name, where / name)
        for name, mutation in (("cart.json", primary), ("cart.json.bak", backup), ("cart.json.prev", backup)):
            (where / name).write_bytes(mutate((where / name).read_bytes(), mutation))
        cart, recovery = CartStore(where / "cart.json").load()
        if recovery is None:  # the mutation left cart.json sound (a flip in the indent or the time)
            assert cart == CART
        elif recovery.source is None:  # nothing usable: empty, said, and every damaged file kept
            assert len(cart) == 0 and "starts empty" in recovery.message
            assert list(where.glob("cart.json.damaged-*"))
        else:  # a copy the mutation missed: its own generation, whole
            assert cart in (CART, PREVIOUS) and recovery.items == len(cart)


# ------------------------------------------------------------------------------ outbox
def _state(outbox: Outbox) -> dict[str, tuple[str, tuple[str, ...]]]:
    return {e.reference: (e.state, e.order_ids) for e in outbox.entries()}


@pytest.fixture(scope="module")
def saved_outbox(tmp_path_factory) -> tuple[Path, dict[str, tuple[str, tuple[str, ...]]]]:
    where = tmp_path_factory.mktemp("outbox")
    with deterministic():
        outbox = Outbox(where / "outbox.sqlite")
        fake = FakePlacer()
        for i, spec in enumerate((composite(), tiles(), archive())):
            entry = outbox.enqueue(spec, cart_item_id=f"item-{i}", title=f"Item {i}")
            if i < 2:
                checkout.place(outbox, fake, entry.reference)
    conn = sqlite3.connect(outbox.path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    for side in ("-wal", "-shm"):
        (where / f"outbox.sqlite{side}").unlink(missing_ok=True)
    return where, _state(Outbox(outbox.path))


def _copy_outbox(source: Path, target: Path) -> None:
    for name in ("outbox.sqlite", "outbox.sqlite.bak"):
        shutil.copy(source / name, target / name)


OUTBOX_MUTATIONS = st.one_of(
    st.tuples(
        st.just("flip"),
        st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(1, 255)), min_size=1, max_size=4),
    ),
    st.tuples(st.just("truncate"), st.floats(0, 1, exclude_max=True)),
    st.tuples(st.just("bytes"), st.binary(max_size=300)),
    st.tuples(st.just("json"), JSON),
)


def _open_and_read(path: Path) -> Outbox:
    """Open and list the outbox; a :class:`NadirError` (the project's own) is the only
    exception allowed, and it must carry a message."""
    try:
        outbox = Outbox(path)
        outbox.entries()
        outbox.unresolved()
        outbox.placed()
        return outbox
    except NadirError as exc:
        assert exc.message
        raise


@BOUNDED
@given(mutation=OUTBOX_MUTATIONS)
def test_a_damaged_outbox_never_escapes_and_keeps_every_record(saved_outbox, mutation):
    source, good = saved_outbox
    with folder() as where:
        _copy_outbox(source, where)
        primary = where / "outbox.sqlite"
        primary.write_bytes(mutate(primary.read_bytes(), mutation))
        outbox = _open_and_read(primary)
        state = _state(outbox)
        if outbox.recovery is not None:  # the file was unsound: the good copy came back whole
            assert state == good and outbox.recovery.entries == len(good)
        else:  # the damage missed what SQLite checks: no record lost, unreadable ones reported
            assert len(state) + len(outbox.unreadable) == len(good)
            assert all(any(ref in note for note in outbox.problems) for ref in outbox.unreadable)


@BOUNDED
@given(mutation=OUTBOX_MUTATIONS)
def test_a_damaged_backup_never_replaces_a_good_outbox(saved_outbox, mutation):
    source, good = saved_outbox
    with folder() as where:
        _copy_outbox(source, where)
        backup = where / "outbox.sqlite.bak"
        backup.write_bytes(mutate(backup.read_bytes(), mutation))
        outbox = _open_and_read(where / "outbox.sqlite")
        assert _state(outbox) == good
