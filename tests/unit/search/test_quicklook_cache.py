"""core.search.quicklook_cache: safe names, atomic writes, LRU eviction under a size cap,
damaged files fetched again, worker threads, and the three providers' quicklooks from the sandbox."""

from __future__ import annotations

import os
import threading
from datetime import datetime, timezone

import pytest

from nadir.core.credentials import Credentials
from nadir.core.models import SearchQuery
from nadir.core.search.quicklook_cache import HEADER_SIZE, QuicklookCache, quicklook_key
from nadir.providers.http.session import plain_client
from support.adapters import BERLIN, geopera, up42

PNG = b"\x89PNG\r\n\x1a\n"


def image(n: int, size: int = 1000) -> bytes:
    return PNG + bytes([n % 256]) * (size - len(PNG))


def test_key_with_any_character_becomes_a_safe_file_name(tmp_path):
    cache = QuicklookCache(tmp_path)
    key = quicklook_key("up42", "../../etc/passwd:é/\\ *?")
    path = cache.put(key, image(1))
    assert path.parent == tmp_path and path.name.isascii() and "/" not in path.name and ".." not in path.name
    assert cache.get(key) == image(1) and key in cache
    assert cache.get(quicklook_key("geopera", "../../etc/passwd:é/\\ *?")) is None  # provider is part of the key


def test_write_is_atomic_and_leaves_no_temporary_file(tmp_path):
    cache = QuicklookCache(tmp_path)
    cache.put("a:1", image(1))
    cache.put("a:1", image(2))  # replaced, counted once
    assert [p.suffix for p in tmp_path.iterdir()] == [".qlk"]
    assert cache.get("a:1") == image(2) and len(cache) == 1 and cache.total_bytes == 1000 + HEADER_SIZE
    (tmp_path / "leftover.qlk.123.tmp").write_bytes(b"half")  # a crash between write and rename
    QuicklookCache(tmp_path)
    assert not list(tmp_path.glob("*.tmp"))


def test_least_recently_used_are_evicted_past_the_cap(tmp_path):
    entry = 1000 + HEADER_SIZE
    cache = QuicklookCache(tmp_path, max_bytes=3 * entry)
    for n in range(3):
        cache.put(f"p:{n}", image(n))
    assert cache.get("p:0") == image(0)  # 0 is now the most recently used; 1 the least
    cache.put("p:3", image(3))
    assert "p:1" not in cache and not cache.path("p:1").exists()
    assert all(cache.get(f"p:{n}") == image(n) for n in (0, 2, 3))
    assert cache.total_bytes <= cache.max_bytes and len(list(tmp_path.iterdir())) == 3


def test_order_survives_a_restart_and_a_smaller_cap_evicts_at_open(tmp_path):
    entry = 1000 + HEADER_SIZE
    cache = QuicklookCache(tmp_path)
    for n in range(4):
        cache.put(f"p:{n}", image(n))
        os.utime(cache.path(f"p:{n}"), (1_000_000 + n, 1_000_000 + n))
    os.utime(cache.path("p:0"), (2_000_000, 2_000_000))  # read last in the previous session
    reopened = QuicklookCache(tmp_path, max_bytes=2 * entry)
    assert "p:0" in reopened and "p:3" in reopened and "p:1" not in reopened and "p:2" not in reopened


def test_pinned_file_is_not_evicted(tmp_path):
    entry = 1000 + HEADER_SIZE
    cache = QuicklookCache(tmp_path, max_bytes=2 * entry)
    cache.put("p:0", image(0))
    cache.pin("p:0")
    cache.put("p:1", image(1))
    cache.put("p:2", image(2))
    assert "p:0" in cache and "p:1" not in cache and "p:2" in cache
    cache.unpin("p:0")
    cache.put("p:3", image(3))
    assert "p:0" not in cache


@pytest.mark.parametrize("damage", ["truncate", "flip", "empty", "garbage"])
def test_damaged_file_is_removed_and_reads_as_missing(tmp_path, damage):
    cache = QuicklookCache(tmp_path)
    path = cache.put("p:1", image(1))
    data = path.read_bytes()
    path.write_bytes(
        {"truncate": data[:500], "flip": data[:-1] + b"\x00", "empty": b"", "garbage": b"<html>502 Bad Gateway</html>"}[
            damage
        ]
    )
    assert cache.get("p:1") is None
    assert not path.exists() and "p:1" not in cache and cache.total_bytes == 0
    cache.put("p:1", image(1))  # the caller fetches it again
    assert cache.get("p:1") == image(1)


def test_file_removed_behind_the_cache_reads_as_missing(tmp_path):
    cache = QuicklookCache(tmp_path)
    cache.put("p:1", image(1)).unlink()
    assert cache.get("p:1") is None and cache.total_bytes == 0 and cache.valid_path("p:1") is None


def test_empty_image_is_refused(tmp_path):
    with pytest.raises(ValueError):
        QuicklookCache(tmp_path).put("p:1", b"")


def test_four_threads_writing_and_reading_keep_the_cap_and_every_read_whole(tmp_path):
    entry = 1000 + HEADER_SIZE
    cache = QuicklookCache(tmp_path, max_bytes=50 * entry)
    problems: list[str] = []

    def work(worker: int) -> None:
        for n in range(200):
            key = f"p:{(n * 7 + worker) % 120}"
            expected = image((n * 7 + worker) % 120)
            cache.put(key, expected)
            got = cache.get(key)
            if got is not None and got != expected:
                problems.append(key)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert problems == []
    on_disk = list(tmp_path.glob("*.qlk"))
    assert not list(tmp_path.glob("*.tmp"))
    assert len(on_disk) == len(cache) <= 50 and cache.total_bytes == sum(p.stat().st_size for p in on_disk)


def oneatlas(sb):
    from nadir.providers.oneatlas.adapter import OneAtlas

    urls = {role: sb.provider_url(f"oneatlas-{role}") for role in ("data", "auth", "search", "access")}
    keys = sb.health()["providers"]["oneatlas"].get("api_keys") or {}
    key = keys.get("default") if isinstance(keys, dict) else keys[0]
    return OneAtlas(urls, Credentials(secret=key), plain_client())


def test_quicklooks_of_the_three_providers_from_the_sandbox_are_cached(sb, tmp_path):
    cache = QuicklookCache(tmp_path)
    query = SearchQuery(
        geometry=BERLIN,
        start=datetime(2015, 1, 1, tzinfo=timezone.utc),
        end=datetime(2025, 1, 1, tzinfo=timezone.utc),
        host="oneatlas",
        collections=("phr",),
        limit=2,
    )
    queries = {"oneatlas": query.model_copy(update={"collections": ("PHR",), "host": None})}
    for adapter in (up42(sb), geopera(sb), oneatlas(sb)):
        found = list(adapter.search(queries.get(adapter.id, query)))
        assert found, adapter.id
        for capture in found:
            key = quicklook_key(capture.provider, capture.id)
            cache.put(key, adapter.quicklook(capture))
            data = cache.get(key)
            assert data is not None and (data.startswith(PNG) or data.startswith(b"\xff\xd8\xff")), adapter.id
        adapter.close()
    assert len(cache) == 6
