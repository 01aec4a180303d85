"""core.deliveries.unzip (safe unpacking of delivered zips) and core.deliveries.files (manifest, progress)."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import pytest

from nadir.core import errors
from nadir.core.deliveries.files import Manifest, OverallProgress
from nadir.core.deliveries.plan import plan_delivery
from nadir.core.deliveries.unzip import Limits, check_members, extract, safe_relative
from nadir.core.models import Asset


def make_zip(path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_STORED) -> Path:
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(
    "name",
    [
        "../evil.tif",
        "a/../../evil.tif",
        "/etc/passwd",
        "\\\\server\\share\\x.tif",
        "C:\\Windows\\x.tif",
        "C:x.tif",
        "..\\..\\evil.tif",
        "a/b:stream",
        "",
        "./",
        "nul\x00.tif",
    ],
)
def test_unsafe_member_paths_are_refused(name):
    assert safe_relative(name) is None


def test_safe_member_paths_are_kept_with_windows_separators():
    assert str(safe_relative("DS_PHR/IMG_P.JP2")) == "DS_PHR/IMG_P.JP2"
    assert str(safe_relative("DS_PHR\\IMG_MS.JP2")) == "DS_PHR/IMG_MS.JP2"
    assert str(safe_relative("./a//b.tif")) == "a/b.tif"


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"../x.tif": b"1"}, "unsafe path"),
        ({"/abs.tif": b"1"}, "unsafe path"),
        ({"a.tif": b"1", "A.TIF": b"2"}, "twice"),
        ({}, "is empty"),
    ],
)
def test_bad_archives_are_refused_before_anything_is_written(tmp_path, members, message):
    archive = make_zip(tmp_path / "bad.zip", members)
    out = tmp_path / "out"
    with pytest.raises(errors.InvalidResponse, match=message) as info:
        extract(archive, out, "oneatlas")
    assert "Airbus OneAtlas" in str(info.value) and "Download the order again" in str(info.value)
    assert not out.exists() or not any(out.rglob("*"))
    assert not (tmp_path / "x.tif").exists()


def test_links_bombs_and_too_many_members_are_refused(tmp_path):
    link = zipfile.ZipInfo("link.tif")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(tmp_path / "link.zip", "w") as archive:
        archive.writestr(link, "/etc/passwd")
    with pytest.raises(errors.InvalidResponse, match="link"):
        extract(tmp_path / "link.zip", tmp_path / "out1", "oneatlas")
    bomb = make_zip(tmp_path / "bomb.zip", {"zeros.tif": bytes(5_000_000)}, zipfile.ZIP_DEFLATED)
    with pytest.raises(errors.InvalidResponse, match="expands suspiciously"):
        extract(bomb, tmp_path / "out2", "oneatlas")
    many = make_zip(tmp_path / "many.zip", {f"f{i}.txt": b"x" for i in range(12)})
    with zipfile.ZipFile(many) as archive:
        with pytest.raises(errors.InvalidResponse, match="12 entries"):
            check_members(archive.infolist(), many, "oneatlas", Limits(max_members=10))
        with pytest.raises(errors.InvalidResponse, match="expand to more than"):
            check_members(archive.infolist(), many, "oneatlas", Limits(max_total_bytes=5))


def test_extracts_nested_files_with_progress(tmp_path):
    archive = make_zip(
        tmp_path / "product.zip", {"DS/IMG_P.JP2": b"p" * 3000, "DS/IMG_MS.JP2": b"m" * 1000, "DS/": b""}
    )
    seen = []
    files = extract(archive, tmp_path / "out", "oneatlas", progress=lambda done, total: seen.append((done, total)))
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for p in files) == ["DS/IMG_MS.JP2", "DS/IMG_P.JP2"]
    assert (tmp_path / "out" / "DS" / "IMG_P.JP2").read_bytes() == b"p" * 3000
    assert seen[-1] == (4000, 4000)
    assert not list((tmp_path / "out").rglob("*.part"))


def test_a_damaged_member_leaves_no_file_under_its_name(tmp_path):
    archive = make_zip(tmp_path / "crc.zip", {"DS/IMG_MS.TIF": b"good bytes " * 100})
    raw = bytearray(archive.read_bytes())
    at = raw.index(b"good bytes")
    raw[at : at + 4] = b"BAD!"
    archive.write_bytes(bytes(raw))
    with pytest.raises(errors.InvalidResponse, match="is damaged"):
        extract(archive, tmp_path / "out", "oneatlas")
    assert not (tmp_path / "out" / "DS" / "IMG_MS.TIF").exists()
    assert not list((tmp_path / "out").rglob("*.part"))
    (tmp_path / "notzip.zip").write_bytes(b"PK\x03\x04 this is half an archive")
    with pytest.raises(errors.InvalidResponse, match="is damaged"):
        extract(tmp_path / "notzip.zip", tmp_path / "out2", "oneatlas")


def test_cancel_while_unpacking_keeps_no_partial_member(tmp_path):
    archive = make_zip(tmp_path / "big.zip", {"a.tif": b"a" * (3 * 1024 * 1024)})
    calls = []
    with pytest.raises(errors.OperationCancelled):
        extract(
            archive,
            tmp_path / "out",
            "oneatlas",
            cancelled=lambda: len(calls) > 0,
            progress=lambda done, total: calls.append(done),
        )
    assert not (tmp_path / "out" / "a.tif").exists() and not (tmp_path / "out" / "a.tif.part").exists()


def test_not_enough_space_to_unpack_is_said_before_writing(tmp_path, monkeypatch):
    import shutil
    from collections import namedtuple

    archive = make_zip(tmp_path / "p.zip", {"a.tif": b"a" * 10_000})
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(100, 99, 1))
    with pytest.raises(errors.StorageError, match=r"not enough disk space to unpack p\.zip"):
        extract(archive, tmp_path / "out", "oneatlas")
    assert not (tmp_path / "out" / "a.tif").exists()


# ------------------------------------------------------------------ manifest and progress
def _asset(**changes) -> Asset:
    values = dict(
        provider="up42", order_id="o-1", id="i/image", href="https://x/a.tif", media_type="image/tiff", size=4
    )
    values.update(changes)
    return Asset(**values)


def test_manifest_reuses_only_complete_unchanged_files(tmp_path):
    item = plan_delivery("up42", "o-1", [_asset()]).items[0]
    folder = tmp_path / "up42_o-1"
    folder.mkdir()
    manifest = Manifest.load(folder, "up42", "o-1")
    assert manifest.files(item) is None
    (folder / item.file_name).write_bytes(b"1234")
    manifest.record(item, [folder / item.file_name], 4)
    again = Manifest.load(folder, "up42", "o-1")
    assert again.files(item) == [folder / item.file_name]
    (folder / item.file_name).write_bytes(b"12")  # truncated since
    assert again.files(item) is None
    other = plan_delivery("up42", "o-1", [_asset(checksum="sha256:" + "0" * 64)]).items[0]
    (folder / item.file_name).write_bytes(b"1234")
    assert again.files(other) is None  # the provider now announces a checksum the copy was not checked against
    assert Manifest.load(folder, "up42", "another-order").files(item) is None
    (folder / "nadir-delivery.json").write_text("{ half", encoding="utf-8")
    assert Manifest.load(folder, "up42", "o-1").files(item) is None


def test_overall_progress_is_weighted_by_size_and_monotonic(tmp_path):
    items = plan_delivery(
        "up42",
        "o",
        [
            _asset(id="a", href="https://x/a.tif", size=300),
            _asset(id="b", href="https://x/b.zip", media_type="application/zip", size=100),
        ],
    ).items
    seen: list[float] = []
    progress = OverallProgress(items, seen.append)
    progress.start(0)
    progress.download(False)(150, 300)
    progress.start(1)
    progress.download(True)(100, 100)
    progress.unpack()(50, 100)
    progress.start(2)
    assert seen == [0.0, 37.5, 75.0, 95.0, 97.5, 100.0]
    unknown = plan_delivery(
        "up42",
        "o",
        [_asset(id="a", href="https://x/a.tif", size=None), _asset(id="b", href="https://x/b.tif", size=None)],
    ).items
    equal: list[float] = []
    halves = OverallProgress(unknown, equal.append)
    halves.start(1)
    halves.download(False)(5, None)  # total unknown: no change reported
    halves.download(False)(5, 10)
    assert equal == [50.0, 75.0]
