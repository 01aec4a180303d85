"""Geopera and STAC readers skip members of the wrong type instead of raising (issue 15);
found by test_properties_adapters (a ``"groups": true`` in Geopera's place answer ended
the placement with a TypeError)."""

from __future__ import annotations

import pytest

from nadir.core import errors
from nadir.providers import geopera_models, stac

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
    feature = {"id": "i", "links": bad, "assets": {"data": {"href": "https://a/x.tif", "type": "image/tiff",
                                                            "roles": bad}}}
    [asset] = stac.stac_assets([feature], "up42", "o1", needs_auth=lambda h: True, streamable=lambda h, m: False)
    assert asset.href == "https://a/x.tif" and asset.roles == ()
