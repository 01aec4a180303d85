"""The provider registry: lookup, URL defaults, capabilities by protocol."""

from __future__ import annotations

import pytest

from nadir.core import ports as base
from nadir.core.errors import NotSupported
from nadir.providers import registry


def test_unknown_provider_is_not_supported():
    with pytest.raises(NotSupported, match="no adapter"):
        registry.adapter_class("planet")


def test_urls_fall_back_to_documented_defaults_per_role():
    urls = registry.resolve_urls("oneatlas", {"auth": "http://127.0.0.1:1/oneatlas-auth/", "data": ""})
    assert urls["auth"] == "http://127.0.0.1:1/oneatlas-auth"
    assert urls["data"] == "https://data.api.oneatlas.airbus.com"
    assert set(urls) == {"data", "auth", "search", "access"}


def test_capability_members_come_from_the_protocols():
    assert registry._members(base.SupportsGrid) == ["tiles", "minitiles", "cells"]
    assert "download" in registry._members(base.SupportsDeliveries)
