"""Archive product options: seed 004's sensor rules and minimum AOI, the UTM zone of the
AOI, AOI ∩ footprint, one spec per provider, and messages that say how to fix things."""

from __future__ import annotations

import pytest
from shapely.geometry import shape

from nadir.core.models import ArchiveSpec, Capture, CaptureRef, DataProduct
from nadir.core.ordering import archive_options as ao
from nadir.providers.geopera import models as geopera_models
from nadir.providers.oneatlas import wire as oneatlas_wire
from support.adapters import box


def capture(provider="oneatlas", id_="c1", footprint=None, collection="PHR"):
    return Capture(provider=provider, id=id_, footprint=footprint or box(10, 50, 10.2, 50.2), collection=collection)


@pytest.mark.parametrize(
    ("lon", "lat", "epsg"),
    [
        (10.1, 50.1, 32632),  # Germany, zone 32 north
        (-58.4, -34.6, 32721),  # Buenos Aires, zone 21 south
        (179.9, 10.0, 32660),  # last zone
        (-180.0, 10.0, 32601),  # first zone
        (5.3, 60.4, 32632),  # Bergen: Norway's exception (plain rule says 31)
        (15.0, 78.0, 32633),  # Svalbard's exception
        (0.0, -0.0001, 32731),  # just south of the equator
    ],
)
def test_utm_zone_of_the_aoi(lon, lat, epsg):
    assert ao.utm_epsg(lon, lat) == epsg


def test_crs_choices_are_wgs84_and_the_aoi_zone():
    assert ao.crs_choices(box(1.40, 43.59, 1.50, 43.63)) == ("EPSG:4326", "EPSG:32631")
    assert ao.crs_choices(None) == ("EPSG:4326",)


def test_sensor_rules_of_seed_004():
    spot = ao.allowed_product_types(["SPOT", "PHR"])
    assert spot["pansharpened"] == "" and spot["bundle"] == ""
    assert "Pleiades Neo images only" in spot["bundle-fs"]
    neo = ao.allowed_product_types(["PNEO"])
    assert neo["pansharpened-fs"] == "" and "Pleiades Neo takes bundle-fs" in neo["panchromatic"]
    assert "not for Pleiades Neo" in ao.allowed_radiometric(["PNEO"])["BASIC16"]
    assert ao.allowed_radiometric(["SPOT"])["BASIC16"] == ""
    assert ao.default_options("oneatlas", ["PNEO"])["productType"] == "pansharpened-fs"
    assert ao.default_options("oneatlas", ["PHR"])["productType"] == "pansharpened"


def test_the_part_bought_is_aoi_inside_footprint_and_misses_are_dropped_with_a_reason():
    aoi = box(10.1, 50.1, 11, 51)
    plan = ao.plan_archive(
        [
            capture(id_="a"),
            capture(id_="far", footprint=box(20, 20, 20.1, 20.1)),
            capture(provider="geopera", id_="g", collection="spot"),
        ],
        aoi,
    )
    assert [p.spec.provider for p in plan.specs] == ["oneatlas", "geopera"]
    part = shape(plan.specs[0].spec.captures[0].geometry)
    assert part.bounds == pytest.approx((10.1, 50.1, 10.2, 50.2))
    assert [c.id for c in plan.specs[0].spec.captures] == ["a"]
    assert plan.specs[0].area_km2 == pytest.approx(7.1 * 11.1, rel=0.03)  # ~0.1° x 0.1° at 50°N
    assert plan.specs[0].summary.startswith("1 capture, ")
    assert [(d.provider, d.capture_id) for d in plan.dropped] == [("oneatlas", "far")]
    assert "does not overlap the area of interest" in plan.dropped[0].reason


def test_without_an_aoi_the_whole_footprint_is_bought_and_options_overlay_defaults():
    plan = ao.plan_archive(
        [capture(), capture(id_="c2")], None, {"oneatlas": {"imageFormat": "image/jp2", "crsCode": "EPSG:32632"}}
    )
    (planned,) = plan.specs
    assert shape(planned.spec.captures[0].geometry).bounds == pytest.approx((10, 50, 10.2, 50.2))
    assert planned.spec.options == {
        "productType": "pansharpened",
        "imageFormat": "image/jp2",
        "crsCode": "EPSG:32632",
        "radiometricProcessing": "DISPLAY",
    }
    assert planned.summary.startswith("2 captures, ")
    assert ao.validate(planned.spec) == []


def test_validation_messages_say_what_is_wrong_and_how_to_fix_it():
    neo = ArchiveSpec(
        provider="oneatlas",
        captures=(CaptureRef(id="n1", geometry=box(10, 50, 10.2, 50.2), collection="PNEO"),),
        options={
            "productType": "pansharpened",
            "radiometricProcessing": "BASIC16",
            "imageFormat": "image/png",
            "crsCode": "EPSG:3857",
        },
    )
    problems = ao.validate(neo)
    assert any("Choose pansharpened-fs or bundle-fs" in p for p in problems)
    assert any("BASIC16" in p and "Choose DISPLAY or REFLECTANCE" in p for p in problems)
    assert any("image/png" in p for p in problems)
    assert any("EPSG:3857" in p for p in problems)

    tiny = ArchiveSpec(
        provider="oneatlas",
        captures=(CaptureRef(id="t", geometry=box(10, 50, 10.002, 50.002), collection="PHR"),),
        options=ao.default_options("oneatlas"),
    )
    (message,) = ao.validate(tiny)
    assert "0.1 km²" in message and "Enlarge the AOI" in message

    geopera = ArchiveSpec(provider="geopera", captures=neo.captures, options={"license_type": "gold"})
    assert any("Choose standard" in p for p in ao.validate(geopera))


def test_up42_archive_products_come_from_the_glossary():
    products = [
        DataProduct(id="p1", name="phr-display", collection="phr", type="ARCHIVE"),
        DataProduct(id="p2", name="phr-tasking", collection="phr", type="TASKING"),
        DataProduct(id="p3", name="spot", collection="spot", type="ARCHIVE"),
    ]
    assert [p.id for p in ao.up42_products(products, ["phr"])] == ["p1"]
    assert ao.default_options("up42") == {"data_product": ""}


def test_the_adapters_read_these_option_names():
    """The options built here land in the providers' bodies (seed 003 and 004 fields)."""
    plan = ao.plan_archive(
        [capture(), capture(provider="geopera", id_="g")],
        box(10.05, 50.05, 11, 51),
        {
            "oneatlas": {
                "crsCode": "EPSG:32632",
                "imageFormat": "image/jp2",
                "radiometricProcessing": "REFLECTANCE",
                "productType": "bundle",
            },
            "geopera": {"split_by_date": True},
        },
    )
    oneatlas, geopera = (p.spec for p in plan.specs)
    (product,) = oneatlas_wire.order_body(oneatlas)["products"]
    assert (product["productType"], product["imageFormat"], product["radiometricProcessing"], product["crsCode"]) == (
        "bundle",
        "image/jp2",
        "REFLECTANCE",
        "urn:ogc:def:crs:EPSG::32632",
    )
    body = geopera_models.place_body(geopera, "ref-1")
    assert body["licenseType"] == "standard" and body["splitByDate"] is True
    assert geopera_models.estimate_body(geopera)["splitByDate"] is True


def test_mixed_pleiades_neo_and_spot_captures_get_a_product_type_each():
    """One OneAtlas order may hold both sensors: each product carries its own productType
    (seed 004's body has it per product), so a mixed selection is not refused."""
    plan = ao.plan_archive([capture(id_="p"), capture(id_="n", collection="PNEO")], None)
    (planned,) = plan.specs
    assert planned.spec.options["productType"] == "pansharpened"
    assert planned.spec.options["productTypeNeo"] == "pansharpened-fs"
    assert ao.validate(planned.spec) == []
    products = {p["id"]: p["productType"] for p in oneatlas_wire.order_body(planned.spec)["products"]}
    assert products == {"p": "pansharpened", "n": "pansharpened-fs"}

    wrong = ao.with_options(planned.spec, {**planned.spec.options, "productTypeNeo": "bundle"})
    assert any(
        "Pleiades Neo product type" in p and "Choose pansharpened-fs or bundle-fs" in p for p in ao.validate(wrong)
    )
    wrong = ao.with_options(planned.spec, {**planned.spec.options, "radiometricProcessing": "BASIC16"})
    assert any("Choose DISPLAY or REFLECTANCE" in p for p in ao.validate(wrong))
