"""core.deliveries: folder and file names, the plan of a delivery, band choice,
attribution and provenance."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from nadir.core.deliveries.plan import (
    Action,
    Mode,
    asset_file_name,
    attribution_for,
    group_name,
    order_folder_name,
    plan_delivery,
    provenance_of,
    safe_name,
    select_assets,
    strip_query,
    suffix_for,
    true_colour_bands,
)
from nadir.core.models import Asset

WHEN = datetime(2024, 5, 17, 10, 31, tzinfo=timezone.utc)


def asset(**changes) -> Asset:
    values = dict(
        provider="geopera",
        order_id="ord-1",
        id="item-1/analytic",
        title="Multispectral",
        href="https://api.geopera.com/v1/items/item-1/assets/analytic",
        media_type="image/tiff; application=geotiff; profile=cloud-optimized",
        roles=("data",),
        acquired=WHEN,
        product="sentinel-2-l2a",
        streamable=True,
        extra={"item_id": "item-1"},
    )
    values.update(changes)
    return Asset(**values)


# ------------------------------------------------------------------ names
@pytest.mark.parametrize(
    "text",
    [
        "order/with/slashes",
        "a\\b",
        'x:y*z?"<>|',
        "CON",
        "con.tif",
        "lpt1",
        "trailing. ",
        " .hidden",
        "tab\there",
        "ü" * 200,
        "",
        "..",
        "a" * 81,
    ],
)
def test_safe_name_is_portable_and_never_empty(text):
    name = safe_name(text)
    assert name and len(name) <= 80
    assert not set(name) & set('<>:"/\\|?*\t')
    assert not name.endswith((".", " ")) and not name.startswith(" ")
    assert name.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", "LPT1", "COM1"}
    assert name not in (".", "..")


def test_safe_name_keeps_clean_names_and_separates_changed_ones():
    assert safe_name("clearsky_5f3a-22") == "clearsky_5f3a-22"
    assert safe_name("a/b") != safe_name("a:b")  # both become a_b: the hash tells them apart
    assert safe_name("a" * 200) != safe_name("a" * 201)


def test_order_folder_and_group_names():
    assert (
        order_folder_name("oneatlas", "0b3c2a9e-1111-2222-3333-444455556666")
        == "oneatlas_0b3c2a9e-1111-2222-3333-444455556666"
    )
    escaped = order_folder_name("up42", "../../etc")
    assert escaped.startswith("up42_.._.._etc-") and "/" not in escaped and "\\" not in escaped  # one component
    assert group_name("clearsky", "5f3a2b1c-aaaa-bbbb") == "ClearSKY Vision 5f3a2b1c"
    assert group_name("geopera", "ord-1") == "Geopera ord-1"
    assert (
        group_name("clearsky", "5f3a2b1c-aaaa-bbbb", "Aarhus fields, live")
        == "ClearSKY Vision: Aarhus fields, live (5f3a2b1c)"
    )


def test_file_names_from_urls_media_types_and_ids():
    assert asset_file_name(asset(href="https://x/y/IMG_PHR_MS.JP2", media_type="image/jp2")) == "IMG_PHR_MS.jp2"
    assert asset_file_name(asset()) == "item-1_analytic.tif"
    assert (
        asset_file_name(
            asset(
                id="guid-1:2024-01-01",
                href="https://c/api/satelliteimages/process/minitile",
                media_type="image/tiff; application=geotiff",
                extra={"kind": "minitile"},
            )
        )
        == "minitile_guid-1_2024-01-01.tif"
    )
    assert (
        asset_file_name(asset(href="https://a/api/v1/items/x/download", media_type="application/zip", id="d-1"))
        == "d-1.zip"
    )
    assert suffix_for(asset(media_type="", href="https://a/b/file.tiff?sig=1")) == ".tiff"
    assert suffix_for(asset(media_type="application/octet-stream", href="https://a/b")) == ".bin"


def test_strip_query_drops_signatures_tokens_and_user_info():
    assert strip_query("https://user:pw@host:8443/a/b.tif?expires=1&signature=abc#x") == "https://host:8443/a/b.tif"


# ------------------------------------------------------------------ plan
def test_stac_items_resolve_to_their_data_assets():
    items = [
        asset(id="i1/analytic", extra={"item_id": "i1"}),
        asset(
            id="i1/thumbnail",
            roles=("thumbnail",),
            media_type="image/png",
            href="https://x/t.png",
            extra={"item_id": "i1"},
        ),
        asset(id="i1/visual", roles=("visual",), extra={"item_id": "i1"}),
        asset(
            id="i1/metadata",
            roles=("metadata",),
            media_type="application/xml",
            href="https://x/m.xml",
            extra={"item_id": "i1"},
        ),
        asset(id="i2/image", roles=(), extra={"item_id": "i2"}),
        asset(id="i2/quicklook", roles=("overview",), extra={"item_id": "i2"}),
    ]
    chosen, skipped = select_assets(items)
    assert [a.id for a in chosen] == ["i1/analytic", "i2/image"]
    assert {a.id for a in skipped} == {"i1/thumbnail", "i1/visual", "i1/metadata", "i2/quicklook"}


def test_plan_streams_only_streamable_http_cogs_and_names_files_uniquely():
    cog = asset()
    zipped = asset(id="d1", href="https://a/d1/download", media_type="application/zip", streamable=True, extra={})
    posted = asset(
        id="2024-01-01", href="https://c/process/composite", media_type="image/tiff", streamable=False, extra={}
    )
    twin = asset(
        id="item-1/analytic2",
        href="https://api.geopera.com/v1/items/item-1/assets/analytic",
        extra={"item_id": "item-1b"},
    )
    plan = plan_delivery("geopera", "ord-1", [cog, zipped, posted, twin], Mode.STREAM)
    actions = {p.asset.id: p.action for p in plan.items}
    assert actions == {
        "item-1/analytic": Action.STREAM,
        "d1": Action.DOWNLOAD,
        "2024-01-01": Action.DOWNLOAD,
        "item-1/analytic2": Action.STREAM,
    }
    assert [p.unpack for p in plan.items] == [False, True, False, False]
    names = [p.file_name for p in plan.items]
    assert len({n.lower() for n in names}) == len(names)
    download = plan_delivery("geopera", "ord-1", [cog], Mode.DOWNLOAD)
    assert download.items[0].action is Action.DOWNLOAD and download.folder_name == "geopera_ord-1"


# ------------------------------------------------------------------ bands
@pytest.mark.parametrize(
    ("descriptions", "colours", "expected"),
    [
        (["blue", "green", "red", "nir"], ["Blue", "Green", "Red", "Undefined"], (3, 2, 1)),
        (["blue", "green", "red", "nir"], ["Undefined"] * 4, (3, 2, 1)),  # JP2: names from the .aux.xml
        (["B02 (blue)", "B03 (green)", "B04 (red)", "B08 (nir)"], [], (3, 2, 1)),
        (["Red", "Green", "Blue"], [], (1, 2, 3)),
        (["nir", "red edge", "red", "green", "blue"], [], (3, 4, 5)),  # red edge is not red
        (["near infrared", "red", "green", "blue"], [], (2, 3, 4)),
        (["", "", "", ""], ["Gray", "Undefined", "Undefined", "Undefined"], (1, 2, 3)),
        (["pan"], ["Gray"], None),
        (["nir", "swir"], [], None),
        ([], ["Red", "Green", "Blue", "Alpha"], (1, 2, 3)),
    ],
)
def test_true_colour_band_choice(descriptions, colours, expected):
    assert true_colour_bands(descriptions, colours) == expected


# ------------------------------------------------------------------ attribution and provenance
def test_attribution_names_every_source_licence_once():
    assert attribution_for(asset(product="sentinel-2-l2a")) == "Contains modified Copernicus Sentinel data 2024"
    assert (
        attribution_for(asset(product="sentinel-2-l2a", attribution="Geopera"))
        == "Geopera; Contains modified Copernicus Sentinel data 2024"
    )
    assert "Landsat data courtesy of the U.S. Geological Survey" in attribution_for(asset(product="landsat-c2-l2"))
    pleiades = attribution_for(
        asset(provider="oneatlas", product="bundle", attribution="© Airbus DS", extra={"sensor": "PHR"})
    )
    assert pleiades == "© CNES 2024, Distribution Airbus DS"  # the precise notice replaces the bare one
    neo = attribution_for(asset(provider="oneatlas", product="bundle-fs", attribution="", extra={"sensor": "PNEO"}))
    assert neo == "© Airbus DS 2024" and "CNES" not in neo
    clearsky = attribution_for(
        asset(
            provider="clearsky",
            product="Stratus2",
            attribution="",
            extra={"request": {"SatelliteConstellations": ["Sentinel2", "Landsat"]}},
        )
    )
    assert clearsky == (
        "ClearSKY Vision; Contains modified Copernicus Sentinel data 2024; "
        "Landsat data courtesy of the U.S. Geological Survey"
    )
    as_sent = attribution_for(
        asset(
            provider="clearsky",
            product="Stratus2",
            attribution="ClearSKY Vision; contains modified Copernicus Sentinel data",
            extra={"request": {"SatelliteConstellations": ["Sentinel2"]}},
        )
    )
    assert as_sent == "ClearSKY Vision; contains modified Copernicus Sentinel data"  # not twice with a year
    undated = attribution_for(
        asset(provider="oneatlas", acquired=None, attribution="© Airbus DS", product="bundle", extra={"sensor": "PHR"})
    )
    assert undated == "© CNES, Distribution Airbus DS"
    from_source_id = attribution_for(
        asset(
            provider="oneatlas",
            acquired=None,
            attribution="",
            product="bundle",
            extra={"sensor": "PHR", "sourceId": "DS_PHR1B_202312311036401_FR1_PX"},
        )
    )
    assert from_source_id == "© CNES 2023, Distribution Airbus DS"
    assert attribution_for(asset(provider="up42", product="spot", attribution="")) == "© Airbus DS 2024"
    assert attribution_for(asset(provider="up42", product="", attribution="", title="x")) == "UP42"
    assert attribution_for(asset(provider="geopera", product="spotlight-sar", attribution="")) == "Geopera"


def test_provenance_carries_provider_order_date_product_and_no_secret():
    signed = asset(
        href="https://api.geopera.com/v1/items/i/assets/a?expires=9&signature=SECRET",
        extra={
            "item_id": "i",
            "geopera:order_id": "ord-1",
            "links": [{"rel": "provenance", "href": "https://api.geopera.com/v1/op/orders.get"}],
        },
    )
    prov = provenance_of(signed)
    assert (prov.provider, prov.provider_title, prov.order_id, prov.product) == (
        "geopera",
        "Geopera",
        "ord-1",
        "sentinel-2-l2a",
    )
    assert prov.acquired == WHEN and prov.key == "geopera:ord-1:item-1/analytic"
    assert "SECRET" not in prov.model_dump_json() and prov.source.endswith("/assets/a")
    assert prov.details["geopera:order_id"] == "ord-1" and prov.details["links"][0]["rel"] == "provenance"
    text = prov.abstract()
    assert "order ord-1" in text and "2024-05-17" in text and "Product: sentinel-2-l2a" in text
    assert prov.layer_name() == "sentinel-2-l2a 2024-05-17 Multispectral"
    assert prov.layer_name("IMG_MS") == "sentinel-2-l2a 2024-05-17 Multispectral IMG_MS"
    airbus = provenance_of(asset(provider="oneatlas", acquired=None, extra={"sourceId": "DS_PNEO3_202401021030123_X"}))
    assert airbus.acquired == datetime(2024, 1, 2, 10, 30, 12, tzinfo=timezone.utc)
    assert provenance_of(asset(acquired=None, extra={"sourceId": "DS_PHR1A_2024"})).acquired is None
