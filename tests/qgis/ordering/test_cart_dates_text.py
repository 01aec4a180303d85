"""The cart's "Image dates" column says what each kind of item covers: an archive item its
captures' own dates, a tasking item the window asked for (not "none", as it said before)."""

from __future__ import annotations

from datetime import datetime, timezone

from nadir.core.models import ArchiveSpec, CaptureRef, TaskingSpec
from nadir.core.ordering.cart import CartItem
from nadir.ui.cart.text import dates_text

AOI = {"type": "Polygon", "coordinates": [[[10, 50], [10.1, 50], [10.1, 50.1], [10, 50.1], [10, 50]]]}


def ref(n, day):
    return CaptureRef(id=f"c{n}", geometry=AOI, acquired=datetime(2024, 5, day, 10, 30, tzinfo=timezone.utc))


def test_archive_items_show_their_captures_dates(qgis_app):
    item = CartItem(spec=ArchiveSpec(provider="geopera", captures=(ref(1, 12), ref(2, 3), ref(3, 12))))
    assert dates_text(item) == "2024-05-03, 2024-05-12"
    many = CartItem(spec=ArchiveSpec(provider="oneatlas", captures=tuple(ref(n, n) for n in range(1, 6))))
    assert dates_text(many) == "5 dates, 2024-05-01 … 2024-05-05"
    assert dates_text(many, full=True).count(",") == 4


def test_tasking_items_show_the_acquisition_window(qgis_app):
    spec = TaskingSpec(
        data_product_id="p",
        geometry=AOI,
        params={"acquisitionStart": "2027-01-01T00:00:00Z", "acquisitionEnd": "2027-01-21T00:00:00Z"},
    )
    assert dates_text(CartItem(spec=spec)) == "2027-01-01 to 2027-01-21 (to be acquired)"
