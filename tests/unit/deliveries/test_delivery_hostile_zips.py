"""Delivered zips the audit of issue 15 found raising: encrypted members, unsupported
compression, a member ``x`` next to ``x/y.tif``, names that collide with ``.part`` files.
Each is reported for the file it concerns; the other files of the delivery complete."""

from __future__ import annotations

import hashlib
import struct
import zipfile
from pathlib import Path
from typing import Optional

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nadir.core import errors
from nadir.core.deliveries.fetch import fetch_delivery
from nadir.core.deliveries.plan import plan_delivery
from nadir.core.deliveries.unzip import MemberFailure, extract
from nadir.core.models import Asset
from support.properties import examples

PROVIDER = "oneatlas"


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def patch_central(path: Path, name: str, *, flags: Optional[int] = None, method: Optional[int] = None) -> Path:
    """Set a member's general-purpose flags or compression method in the central directory
    (Python's zipfile cannot write encrypted members or other methods)."""
    data = bytearray(path.read_bytes())
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) >= 0:
        name_length = struct.unpack_from("<H", data, start + 28)[0]
        if data[start + 46 : start + 46 + name_length].decode() == name:
            if flags is not None:
                struct.pack_into("<H", data, start + 8, struct.unpack_from("<H", data, start + 8)[0] | flags)
            if method is not None:
                struct.pack_into("<H", data, start + 10, method)
            path.write_bytes(bytes(data))
            return path
        start += 4
    raise AssertionError(f"{name} not in {path}")


def hostile_zip(path: Path) -> Path:
    make_zip(
        path, {"good1.tif": b"1" * 1000, "secret.tif": b"2" * 1000, "odd.tif": b"3" * 1000, "good2.tif": b"4" * 1000}
    )
    patch_central(path, "secret.tif", flags=0x1)  # encrypted
    return patch_central(path, "odd.tif", method=99)  # AES / unknown method


def test_encrypted_and_unsupported_members_are_reported_and_the_others_unpacked(tmp_path):
    failures: list[MemberFailure] = []
    written = extract(hostile_zip(tmp_path / "d.zip"), tmp_path / "out", PROVIDER, failures=failures)
    assert sorted(p.name for p in written) == ["good1.tif", "good2.tif"]
    assert (tmp_path / "out" / "good2.tif").read_bytes() == b"4" * 1000
    reasons = {f.name: f.reason for f in failures}
    assert set(reasons) == {"secret.tif", "odd.tif"}
    assert "encrypted" in reasons["secret.tif"] and "compression" in reasons["odd.tif"]
    assert not list((tmp_path / "out").rglob("*.part")) and not (tmp_path / "out" / "secret.tif").exists()


def test_without_a_failure_list_an_unreadable_member_is_an_invalid_response(tmp_path):
    with pytest.raises(errors.InvalidResponse, match=r"secret\.tif.*encrypted"):
        extract(hostile_zip(tmp_path / "d.zip"), tmp_path / "out", PROVIDER)


@pytest.mark.parametrize("order", [["x", "x/y.tif"], ["x/y.tif", "x"], ["X", "x/y.tif"]])
def test_a_file_and_a_folder_of_the_same_name_do_not_raise(tmp_path, order):
    archive = make_zip(tmp_path / "d.zip", {name: name.encode() for name in order})
    failures: list[MemberFailure] = []
    written = extract(archive, tmp_path / "out", PROVIDER, failures=failures)
    assert [p.relative_to(tmp_path / "out").as_posix() for p in written] == ["x/y.tif"]
    assert (tmp_path / "out" / "x" / "y.tif").read_bytes() == b"x/y.tif"
    assert [f.name for f in failures] == [n for n in order if n.lower() == "x"]
    assert "folder" in failures[0].reason


@pytest.mark.parametrize("order", [["a.tif.part", "a.tif"], ["a.tif", "a.tif.part"]])
def test_a_member_named_like_another_members_part_file_is_kept_intact(tmp_path, order):
    contents = {"a.tif": b"T" * 5000, "a.tif.part": b"P" * 3000}
    archive = make_zip(tmp_path / "d.zip", {name: contents[name] for name in order})
    extract(archive, tmp_path / "out", PROVIDER)
    for name, data in contents.items():
        assert (tmp_path / "out" / name).read_bytes() == data


def test_a_failing_member_does_not_delete_a_member_named_like_its_part_file(tmp_path):
    archive = make_zip(tmp_path / "d.zip", {"a.tif.part": b"P" * 3000, "a.tif": b"T" * 5000})
    patch_central(archive, "a.tif", flags=0x1)
    failures: list[MemberFailure] = []
    extract(archive, tmp_path / "out", PROVIDER, failures=failures)
    assert (tmp_path / "out" / "a.tif.part").read_bytes() == b"P" * 3000
    assert [f.name for f in failures] == ["a.tif"]


# --------------------------------------------------------------------- whole deliveries
class LocalAdapter:
    """SupportsDeliveries over local files: each asset's href names a file in ``source``;
    ``interrupt`` names assets whose download stops half way (the .part stays)."""

    id = PROVIDER
    title = "Airbus OneAtlas"

    def __init__(self, source: Path, files: dict[str, str], interrupt: tuple[str, ...] = ()) -> None:
        self.source = source
        self.files = files  # asset id -> file name in source
        self.interrupt = interrupt

    def assets(self, order_id: str) -> list[Asset]:
        # a checksum, so the fake GeoTIFFs are not opened with GDAL to check them
        return [
            Asset(
                provider=PROVIDER,
                order_id=order_id,
                id=asset_id,
                title=asset_id,
                href=f"https://access.example/{name}",
                roles=("data",),
                checksum="sha256:" + hashlib.sha256((self.source / name).read_bytes()).hexdigest(),
                media_type="application/zip" if name.endswith(".zip") else "image/tiff",
            )
            for asset_id, name in self.files.items()
        ]

    def download(self, asset, destination, progress=None, cancelled=lambda: False):
        data = (self.source / self.files[asset.id]).read_bytes()
        part = destination.with_name(destination.name + ".part")
        if asset.id in self.interrupt:
            part.write_bytes(data[: len(data) // 2])
            raise errors.ProviderUnavailable("The download was interrupted. Try again.", provider=PROVIDER)
        part.write_bytes(data)
        part.replace(destination)
        return destination


def test_a_delivery_with_unreadable_zip_members_delivers_the_other_files(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    hostile_zip(source / "scene.zip")
    (source / "other.tif").write_bytes(b"other")
    adapter = LocalAdapter(source, {"scene": "scene.zip", "other": "other.tif"})
    result = fetch_delivery(adapter, "o1", tmp_path / "downloads")
    assert sorted(Path(r.path).name for r in result.rasters) == ["good1.tif", "good2.tif", "other.tif"]
    failed = {f.title: f.message for f in result.failures}
    assert set(failed) == {"scene: secret.tif", "scene: odd.tif"}
    assert "encrypted" in failed["scene: secret.tif"]
    assert all(f.asset_id == "scene" for f in result.failures)


def test_a_delivery_with_a_file_and_folder_of_the_same_name_completes(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    make_zip(source / "scene.zip", {"x": b"x", "x/y.tif": b"y"})
    result = fetch_delivery(LocalAdapter(source, {"scene": "scene.zip"}), "o1", tmp_path / "downloads")
    assert [Path(r.path).name for r in result.rasters] == ["y.tif"]
    assert [f.title for f in result.failures] == ["scene: x"]


def test_unpack_folders_never_take_the_name_of_another_download_or_its_part_file():
    def asset(asset_id: str, name: str) -> Asset:
        return Asset(provider=PROVIDER, order_id="o", id=asset_id, href=f"https://a.example/{name}", roles=("data",))

    plan = plan_delivery(PROVIDER, "o", [asset("b", "x.tif"), asset("a", "x.tif.part.zip"), asset("c", "x.tif.zip")])
    files = {i.file_name.lower() for i in plan.items} | {i.file_name.lower() + ".part" for i in plan.items}
    folders = [i.unpack_folder for i in plan.items if i.unpack]
    assert len(folders) == 2 and len(set(folders)) == 2
    assert not {f.lower() for f in folders} & files


def test_a_zip_named_like_another_downloads_part_leaves_its_resume_data_alone(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    (source / "x.tif").write_bytes(b"T" * 4000)
    make_zip(source / "x.tif.part.zip", {"inner.tif": b"inner"})
    files = {"b": "x.tif", "a": "x.tif.part.zip"}
    first = fetch_delivery(LocalAdapter(source, files, interrupt=("b",)), "o1", tmp_path / "downloads")
    folder = Path(first.folder)
    assert (folder / "x.tif.part").read_bytes() == b"T" * 2000  # the resume data, untouched
    assert [Path(r.path).name for r in first.rasters] == ["inner.tif"]
    assert [f.asset_id for f in first.failures] == ["b"]
    second = fetch_delivery(LocalAdapter(source, files), "o1", tmp_path / "downloads")
    assert sorted(Path(r.path).name for r in second.rasters) == ["inner.tif", "x.tif"]
    assert (folder / "x.tif").read_bytes() == b"T" * 4000 and not second.failures


# --------------------------------------------------------------------- property-based
NAME_PARTS = ("x", "X", "y.tif", "a.tif", ".part", "a.tif.part", "..", ".", "", "/", "\\", "C:", "d", "é", "nul")


@examples(120)
@given(
    members=st.lists(
        st.tuples(
            st.lists(st.sampled_from(NAME_PARTS), min_size=1, max_size=4).map("/".join),
            st.sampled_from(("plain", "plain", "plain", "encrypted", "method", "dir")),
        ),
        max_size=6,
    )
)
def test_any_zip_unpacks_or_says_why(tmp_path_factory, members):
    """Member names made of the hard parts (file and folder of one name, .part, .., drive
    letters, case) and unreadable members: extract() returns, or raises a NadirError; no
    file lands outside its folder; every member is either written or reported."""
    base = tmp_path_factory.mktemp("zip")
    archive = base / "d.zip"
    names = []
    with zipfile.ZipFile(archive, "w") as handle:
        for index, (name, kind) in enumerate(members):
            entry = zipfile.ZipInfo(name + ("/" if kind == "dir" and not name.endswith("/") else ""))
            handle.writestr(entry, b"" if kind == "dir" else f"{index}".encode())
            names.append((entry.filename, kind))
    for name, kind in names:
        if kind in ("encrypted", "method"):
            patch_central(archive, name, **({"flags": 0x1} if kind == "encrypted" else {"method": 99}))
    out = base / "out"
    failures: list[MemberFailure] = []
    try:
        written = extract(archive, out, PROVIDER, failures=failures)
        assert len(written) + len(failures) == sum(not name.endswith("/") for name, _kind in names)
    except errors.NadirError as error:
        assert error.message
        written = []
    files = [p for p in base.rglob("*") if p.is_file() and p != archive]
    assert all(out in p.parents for p in files), files
    assert not [p for p in files if p.name.endswith(".nadir-unzip")], files
    assert sorted(files) == sorted(written)
