"""Cart persistence (core/ordering/cart_store.py): atomic writes, generations, recovery of corrupt,
half-written and missing files, never silently empty."""

from __future__ import annotations

import json
import os

import pytest

from nadir.core.errors import StorageError
from nadir.core.ordering.cart import Cart, CartItem
from nadir.core.ordering.cart_store import CartStore, Damaged, decode, encode
from support.orders import archive, composite, tiles


def cart_of(*specs) -> Cart:
    cart = Cart()
    for spec in specs:
        cart = cart.add(CartItem(spec=spec))
    return cart


@pytest.fixture
def store(tmp_path):
    return CartStore(tmp_path / "nadir" / "cart.json")


def test_first_start_is_an_empty_cart_without_a_report(store):
    cart, recovery = store.load()
    assert cart == Cart() and recovery is None


def test_save_and_load_round_trip_and_keep_two_good_copies(store):
    one = cart_of(composite())
    store.save(one)
    two = one.add(CartItem(spec=tiles()))
    store.save(two)
    assert decode(store.path.read_text()).generation == 2
    assert decode(store.backup.read_text()).cart == two
    assert decode(store.previous.read_text()).cart == one
    cart, recovery = CartStore(store.path).load()
    assert cart == two and recovery is None
    assert not list(store.path.parent.glob(".*tmp")), "no temporary files left behind"


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty", "edited", "not_ours"])
def test_damaged_cart_file_is_recovered_with_nothing_lost(store, damage):
    cart = cart_of(composite(), tiles(), archive())
    store.save(cart_of(composite()))
    store.save(cart)
    text = store.path.read_text()
    if damage == "truncate":  # half-written
        store.path.write_text(text[: len(text) // 2])
    elif damage == "garbage":
        store.path.write_bytes(os.urandom(300))
    elif damage == "empty":
        store.path.write_text("")
    elif damage == "edited":  # valid JSON, content changed behind Nadir's back
        document = json.loads(text)
        document["cart"]["items"][0]["title"] = "tampered"
        store.path.write_text(json.dumps(document))
    else:
        store.path.write_text(json.dumps({"hello": "world"}))

    fresh = CartStore(store.path)
    loaded, recovery = fresh.load()
    assert loaded == cart
    assert recovery is not None and recovery.source == store.backup and recovery.items == 3
    assert recovery.damaged_file is not None and recovery.damaged_file.exists()
    assert "cart.json.bak" in recovery.message and "3 item(s)" in recovery.message
    if damage in ("truncate", "edited"):  # the generation can still be read: nothing lost
        assert recovery.complete and "Nothing was lost" in recovery.message
    # the recovered cart was written back: the next start is clean
    assert CartStore(store.path).load() == (cart, None)


def test_primary_and_backup_damaged_falls_back_to_previous_generation(store):
    first, second = cart_of(composite()), cart_of(composite(), tiles())
    store.save(first)
    store.save(second)
    store.path.write_text("{")
    store.backup.write_text("{")
    loaded, recovery = CartStore(store.path).load()
    assert loaded == first
    assert recovery is not None and recovery.source == store.previous and not recovery.complete
    assert "may be missing" in recovery.message


def test_nothing_usable_is_reported_and_every_damaged_file_is_kept(store):
    store.save(cart_of(composite()))
    store.save(cart_of(tiles()))
    for path in (store.path, store.backup, store.previous):
        path.write_text("not json at all")
    fresh = CartStore(store.path)
    loaded, recovery = fresh.load()
    assert loaded == Cart()
    assert recovery is not None and recovery.source is None
    assert "starts empty" in recovery.message and "Nothing was deleted" in recovery.message
    assert len(list(store.path.parent.glob("*.damaged-*"))) == 3
    replacement = cart_of(archive())
    fresh.save(replacement)  # the next save does not overwrite any damaged file
    assert len(list(store.path.parent.glob("*.damaged-*"))) == 3
    assert decode(store.path.read_text()).cart == replacement


def test_crash_between_temporary_file_and_rename_keeps_the_newer_state(store):
    store.save(cart_of(composite()))
    newer = cart_of(composite(), tiles())
    (store.path.parent / f".{store.path.name}.crash.tmp").write_text(encode(newer, 2))
    half = store.path.parent / f".{store.path.name}.half.tmp"
    half.write_text(encode(cart_of(archive()), 3)[:50])
    loaded, recovery = CartStore(store.path).load()
    assert loaded == newer and recovery is None
    assert not half.exists()
    assert decode(store.path.read_text()).cart == newer


def test_missing_primary_with_backup_restores(store):
    cart = cart_of(composite())
    store.save(cart)
    store.path.unlink()
    loaded, recovery = CartStore(store.path).load()
    assert loaded == cart and recovery is not None and recovery.complete


def test_unwritable_location_raises_a_storage_error(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cart folder should be")
    store = CartStore(blocker / "cart.json")
    with pytest.raises(StorageError, match="could not be saved") as info:
        store.save(cart_of(tiles()))
    assert "unchanged" in str(info.value)
    assert store.generation == 0


def test_decode_rejects_newer_format():
    text = encode(Cart(), 1).replace('"version": 1', '"version": 99')
    with pytest.raises(Damaged, match="newer Nadir"):
        decode(text)


# ------------------------------------------------------------------ outside audit (issue 15)
@pytest.mark.parametrize(
    "header, known",
    [
        (('"saved_at": "20', '"saved_at": "2\u00ff'), True),  # one bad byte in the time
        (('"saved_at": "', '"saved_at": 7, "x": "'), True),  # a time that is not a string
        (('"generation": ', '"generation": -'), False),  # a negative generation
        (('"generation": ', '"generation": "'), False),  # a generation that is not a number (quoted below)
    ],
)
def test_an_unreadable_header_falls_back_to_the_backup_and_says_so(store, header, known):
    cart = cart_of(composite(), tiles())
    store.save(cart_of(composite()))
    store.save(cart)
    text = store.path.read_text()
    old, new = header
    damaged = text.replace(old, new, 1)
    if new.endswith('"generation": "'):
        damaged = damaged.replace('"generation": "2', '"generation": "2"', 1)
    assert damaged != text
    store.path.write_text(damaged)
    loaded, recovery = CartStore(store.path).load()
    assert loaded == cart
    assert recovery is not None and recovery.source == store.backup
    assert recovery.complete is known  # an unreadable generation cannot prove nothing newer was lost
    assert "could not be read" in recovery.message


def test_a_stray_temporary_file_that_is_not_the_next_save_is_never_taken_for_the_cart(store):
    cart = cart_of(composite())
    store.save(cart)
    store.save(cart)
    forged = cart_of(archive())
    stray = store.path.parent / f".{store.path.name}.forged.tmp"
    stray.write_text(encode(forged, 999))  # a well-formed cart far ahead of the real one
    folder = store.path.parent / f".{store.path.name}.dir.tmp"
    folder.mkdir()  # not even a file
    loaded, recovery = CartStore(store.path).load()
    assert loaded == cart and recovery is None
    assert decode(store.path.read_text()).cart == cart
    assert not stray.exists() and folder.is_dir()  # set aside, not deleted; a folder is left alone
    [kept] = store.path.parent.glob(f"{store.path.name}.unused-*")
    assert decode(kept.read_text()).cart == forged
    again, report = CartStore(store.path).load()
    assert again == cart and report is None


def test_decode_never_raises_anything_but_damaged_for_a_deeply_nested_file():
    with pytest.raises(Damaged):
        decode("[" * 100_000)
