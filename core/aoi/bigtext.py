"""Reading the coordinates of very large texts in slices, so other threads keep running.

``json.loads`` and ``str.split`` hold Python's global interpreter lock for the whole
call: parsing a 40 MB GeoJSON in a task would stop every Python slot on QGIS's GUI
thread for a second or two. For texts over :data:`BIG_TEXT` characters the readers here
take the big coordinate arrays out first and convert them slice by slice
(:data:`SLICE_POSITIONS` positions at a time), yielding the lock between slices.

Anything unexpected (a bracket out of place, a position with the wrong count of
numbers) makes :func:`split_geojson` give up and returns None: the caller then reads the
text the ordinary way, which names the exact problem.
"""

from __future__ import annotations

import re
import time
import warnings
from dataclasses import dataclass
from typing import Optional

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

#: Texts longer than this (characters) are read slice by slice.
BIG_TEXT = 2_000_000
#: Coordinate arrays longer than this (characters) are taken out of the JSON skeleton.
BIG_ARRAY = 100_000
#: Positions converted per slice; between slices the interpreter lock is released.
SLICE_POSITIONS = 50_000

PLACEHOLDER = "__nadir_coordinates_{}__"
_PLACEHOLDER_RE = re.compile(r"^__nadir_coordinates_(\d+)__$")
_COORDINATES_RE = re.compile(r'("coordinates"\s*:\s*)(\[[-+0-9.eE,\s\[\]]*\])')
_TO_SPACES = bytes.maketrans(b"[],", b"   ")


def yield_lock() -> None:
    """Let other Python threads (the GUI thread) run."""
    time.sleep(0)


def numbers(text: bytes) -> FloatArray:
    """Numbers separated by spaces, commas or brackets, as floats (numpy's C reader).

    ValueError if something is not a number (numpy < 2 only warns: turned into an error).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        try:
            return np.fromstring(text.translate(_TO_SPACES), dtype=np.float64, sep=" ")
        except DeprecationWarning as exc:
            raise ValueError(str(exc)) from None


def wkt_positions(text: str, dims: int) -> Optional[FloatArray]:
    """``x y, x y, ...`` as an (n, 2) array, in slices; None if a position is malformed."""
    raw = text.encode("ascii", "replace")
    commas = np.flatnonzero(np.frombuffer(raw, dtype=np.uint8) == ord(","))
    cuts = [0, *(int(c) + 1 for c in commas[SLICE_POSITIONS - 1 :: SLICE_POSITIONS]), len(raw) + 1]
    parts = []
    for start, end in zip(cuts[:-1], cuts[1:]):
        chunk = raw[start : end - 1]
        expected = chunk.count(b",") + 1
        try:
            values = numbers(chunk)
        except ValueError:
            return None
        if values.size != expected * dims:
            return None
        parts.append(values.reshape(expected, dims)[:, :2])
        yield_lock()
    return np.vstack(parts) if parts else None


@dataclass
class BigArrays:
    """A JSON text with its big coordinate arrays replaced by placeholders."""

    skeleton: str
    arrays: list[str]

    def resolve(self, value: object) -> object:
        """The parsed coordinates behind a placeholder string (rings as arrays)."""
        if not isinstance(value, str):
            return value
        match = _PLACEHOLDER_RE.match(value)
        if not match:
            return value
        parsed = parse_coordinate_array(self.arrays[int(match.group(1))])
        return value if parsed is None else parsed


def split_geojson(text: str) -> Optional[BigArrays]:
    """Take the big ``"coordinates"`` arrays out of a JSON text; None if there are none,
    or if the text already holds a placeholder's name (it would be taken for one)."""
    if PLACEHOLDER.split("{", 1)[0] in text:
        return None
    arrays: list[str] = []

    def replace(match: re.Match[str]) -> str:
        array = match.group(2).rstrip(", \t\r\n")
        if len(array) < BIG_ARRAY or not array.endswith("]"):
            return match.group(0)
        tail = match.group(2)[len(array) :]
        arrays.append(array)
        return f'{match.group(1)}"{PLACEHOLDER.format(len(arrays) - 1)}"{tail}'

    skeleton = _COORDINATES_RE.sub(replace, text)
    return BigArrays(skeleton, arrays) if arrays else None


def parse_coordinate_array(text: str) -> Optional[object]:
    """A GeoJSON coordinate array as nested lists whose innermost lists are rings, each an
    (n, 2) float array. None if the brackets or positions are not regular."""
    raw = text.encode("ascii", "replace")
    data = np.frombuffer(raw, dtype=np.uint8)
    opening = data == ord("[")
    closing = data == ord("]")
    depth = np.cumsum(opening.astype(np.int8) - closing.astype(np.int8), dtype=np.int8)
    if depth.size == 0 or depth[-1] != 0 or (depth[:-1] <= 0).any():
        return None
    deepest = int(depth.max())  # depth inside a position
    if deepest < 2:
        return None
    # A ring opens where depth becomes deepest - 1 and closes where it drops below it.
    ring_open = np.flatnonzero(opening & (depth == deepest - 1))
    ring_close = np.flatnonzero(closing & (depth == deepest - 2))
    if ring_open.size != ring_close.size or ring_open.size == 0:
        return None
    position_ends = np.flatnonzero(closing & (depth == deepest - 1))
    rings: list[FloatArray] = []
    low = np.searchsorted(position_ends, ring_open)
    high = np.searchsorted(position_ends, ring_close)
    for start, end, first, last in zip(ring_open, ring_close, low, high):
        ring = _ring(raw, int(start), int(end), position_ends[first:last])
        if ring is None:
            return None
        rings.append(ring)
    return _nest(rings, ring_open, opening, depth, deepest)


def _ring(raw: bytes, start: int, end: int, position_ends: npt.NDArray[np.int64]) -> Optional[FloatArray]:
    count = position_ends.size
    if count == 0:
        return np.zeros((0, 2))
    cuts = [start + 1, *(int(p) + 1 for p in position_ends[SLICE_POSITIONS - 1 :: SLICE_POSITIONS]), end]
    parts = []
    dims = 0
    for low, high in zip(cuts[:-1], cuts[1:]):
        chunk = raw[low:high]
        positions = chunk.count(b"[")
        try:
            values = numbers(chunk)
        except ValueError:
            return None
        if positions == 0:
            continue
        if values.size % positions:
            return None
        dims = dims or values.size // positions
        if dims < 2 or values.size != positions * dims:
            return None
        parts.append(values.reshape(positions, dims)[:, :2])
        yield_lock()
    return np.vstack(parts) if parts else np.zeros((0, 2))


def _nest(
    rings: list[FloatArray],
    ring_open: npt.NDArray[np.int64],
    opening: npt.NDArray[np.bool_],
    depth: npt.NDArray[np.int8],
    deepest: int,
) -> object:
    """Rebuild the nesting above rings: a polygon is a list of rings, a multipolygon a
    list of polygons (deeper nesting is grouped the same way)."""
    level: list[object] = list(rings)
    starts = ring_open
    for outer_depth in range(deepest - 2, 0, -1):
        group_open = np.flatnonzero(opening & (depth == outer_depth))
        owner = np.searchsorted(group_open, starts, side="right") - 1
        grouped: list[list[object]] = [[] for _ in group_open]
        for item, index in zip(level, owner):
            grouped[int(index)].append(item)
        level = list(grouped)
        starts = group_open
    return level[0] if len(level) == 1 else level
