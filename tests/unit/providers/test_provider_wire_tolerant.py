"""Geopera and STAC readers skip members of the wrong type instead of raising (issue 15);
found by test_properties_adapters (a ``"groups": true`` in Geopera's place answer ended
the placement with a TypeError)."""

from __future__ import annotations

import json

import pytest

from nadir.core import errors
from nadir.providers import stac
from nadir.providers.geopera import models as geopera_models

ORDER = {"id": "o1", "status": "processing", "orderType": "archive", "totalAud": 10}


@pytest.mark.parametrize("bad", [True, 5, "abc", {"a": 1}, 1.5])
def test_geopera_order_lists_of_the_wrong_type_are_skipped(bad):
    order = geopera_models.order_from_json({**ORDER, "groups": bad, "captures": bad}, "orders.get")
    assert order.id == "o1" and "captures" not in order.extra


@pytest.mark.parametrize("bad", [True, 5, {"a": 1}])
def test_geopera_estimate_and_assets_with_lists_of_the_wrong_type(bad):
    try:
        geopera_models.estimate_from_json({"groups": bad, "errors": bad, "totalAud": 10}, "orders.estimate")
    except errors.NadirError:
        pass
    with pytest.raises(errors.InvalidResponse, match="not a STAC FeatureCollection"):
        geopera_models.assets_from_json({"features": bad}, "o1", "https://a", "assets")


@pytest.mark.parametrize("bad", [True, 5, {"a": 1}])
def test_stac_assets_with_roles_or_links_of_the_wrong_type(bad):
    feature = {
        "id": "i",
        "links": bad,
        "assets": {"data": {"href": "https://a/x.tif", "type": "image/tiff", "roles": bad}},
    }
    [asset] = stac.stac_assets([feature], "up42", "o1", needs_auth=lambda h: True, streamable=lambda h, m: False)
    assert asset.href == "https://a/x.tif" and asset.roles == ()


@pytest.mark.parametrize("amount", ["NaN", "Infinity", float("nan"), float("inf"), "-inf"])
def test_a_price_that_is_not_a_finite_number_is_no_price(amount):
    """Found by test_properties_adapters: Decimal('NaN') reached Money and raised a
    pydantic ValidationError out of the Geopera estimate reader."""
    from nadir.providers.wire import as_decimal, as_float

    assert as_decimal(amount) is None and as_float(amount) is None
    assert geopera_models.money(amount, "AUD") is None
    assert as_float(10**400) is None


@pytest.mark.parametrize(
    ("answer", "lifetime"),
    [
        ({"expires_in": 10**400}, 300.0),
        ({"expires_in": float("nan")}, 300.0),
        ({"expires_in": -5}, 300.0),
        ({"expires_in": True}, 300.0),
        ({"expires_in": "120"}, 120.0),
    ],
)
def test_token_lifetimes_that_are_not_positive_numbers_take_the_default(answer, lifetime):
    """Found by test_properties_adapters: a huge expires_in raised OverflowError."""
    from nadir.providers.http.auth import _seconds

    assert _seconds(answer["expires_in"], 300.0) == lifetime


def test_an_access_token_a_header_cannot_carry_is_an_invalid_response():
    """Found by test_properties_adapters: a non-ASCII token raised UnicodeEncodeError when
    httpx built the Authorization header of the next request."""
    import httpx

    from nadir.providers.http.auth import TokenGrant
    from nadir.providers.http.session import HttpSession

    def answer(request):
        return httpx.Response(200, json={"access_token": "abc\u0080def", "expires_in": 300})

    with httpx.Client(transport=httpx.MockTransport(answer)) as client:
        grant = TokenGrant(
            "https://auth.example/token", {"grant_type": "client_credentials"}, HttpSession("geopera", client)
        )
        with pytest.raises(errors.InvalidResponse, match="characters a header cannot carry"):
            grant.headers()


def test_numbers_beyond_float_range_in_geometries_and_bboxes_are_unreadable():
    """Found by test_properties_adapters: 10**400 in a footprint or a STAC bbox raised
    OverflowError."""
    from nadir.providers.wire import as_float, readable_geometry

    huge = 10**400
    assert not readable_geometry({"type": "Polygon", "coordinates": [[[0, 0], [huge, 0], [1, 1], [0, 0]]]})
    assert stac.bbox_of([0, 0, huge, 1]) is None and stac.bbox_of([0, 0, 1, 1]) == (0.0, 0.0, 1.0, 1.0)
    assert as_float("1e400") is None and as_float(huge) is None


@pytest.mark.parametrize("depth", [100, 700, 950])
def test_coordinates_nested_deeper_than_any_geometry_are_unreadable(depth):
    """Found while probing the property tests: JSON nested 700 deep is read by json.loads,
    then shapely's recursive reader ran out of stack (RecursionError) in Geopera's order
    and search readers."""
    from nadir.providers.wire import readable_geometry

    deep = json.loads("[" * depth + "1" + "]" * depth)
    geometry = {"type": "Polygon", "coordinates": deep}
    assert not readable_geometry(geometry)
    order = geopera_models.order_from_json({**ORDER, "aoi": geometry}, "orders.get")
    assert order.aoi is None
    feature = {"type": "Feature", "id": "a", "geometry": geometry, "properties": {}}
    assert geopera_models.search_page({"features": [feature]}, "oneatlas", "search")[0] == []
    collection = {
        "type": "GeometryCollection",
        "geometries": json.loads('[{"type":"GeometryCollection","geometries":' * 300 + "[]" + "}]" * 300),
    }
    assert not readable_geometry(collection)
