"""Geopera's static world in the sandbox: organisations, principals, projects, catalog
hosts and prices (Geopera's guide "Ordering archive imagery", ``contract_data/geopera``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

NAMESPACE = uuid.UUID("7b50d72e-d2c3-4ef0-8a82-f770eb4b1202")


def stable_id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


READ_SCOPES = ("catalog:read", "orders:read", "items:read", "billing:read")
ALL_SCOPES = (*READ_SCOPES, "orders:write")


@dataclass(frozen=True)
class Org:
    id: str
    name: str
    project_id: str
    #: initial billing state; /_sandbox/geopera/billing changes it
    billing_mode: str = "credit"
    credits: int = 500_000  # A$5,000 (100 credits = A$1, the ordering guide)
    card: str = "ok"


ORGS = (
    Org("org_demo", "Demo Org", stable_id("project", "demo")),
    Org("org_other", "Other Org", stable_id("project", "other")),
)


@dataclass(frozen=True)
class ApiKey:
    key: str
    org: str
    scopes: tuple[str, ...]
    label: str

    @property
    def id(self) -> str:
        return "key_" + stable_id("api-key", self.key)[:8]


API_KEYS = (
    ApiKey("gpra_sandbox_demo_full_3f9c1d2e7b", "org_demo", ALL_SCOPES, "all scopes"),
    ApiKey("gpra_sandbox_demo_readonly_7a2b4c", "org_demo", READ_SCOPES, "read-only: lacks orders:write"),
    ApiKey("gpra_sandbox_demo_catalog_5c1e8f", "org_demo", ("catalog:read",), "catalog only: lacks orders:*"),
    ApiKey("gpra_sandbox_other_full_9d4f0a6b", "org_other", ALL_SCOPES, "another organisation"),
)


@dataclass(frozen=True)
class User:
    email: str
    password: str
    org: str

    @property
    def id(self) -> str:
        return "usr_" + stable_id("user", self.email)[:8]


USERS = (
    User("demo@geopera.sandbox", "sandbox-password", "org_demo"),
    User("other@geopera.sandbox", "sandbox-password", "org_other"),
)
#: docs-examples.json token_client_credentials: ``client_id=geopera``; the CLI's device
#: grant uses ``geopera-cli`` (not implemented: no device grant in the sandbox)
CLIENT_ID = "geopera"


def org(org_id: str) -> Org:
    return next(o for o in ORGS if o.id == org_id)


def api_key(key: str) -> ApiKey | None:
    return next((k for k in API_KEYS if k.key == key), None)


def user(email: str) -> User | None:
    return next((u for u in USERS if u.email.lower() == email.lower()), None)


def user_by_id(user_id: str) -> User | None:
    return next((u for u in USERS if u.id == user_id), None)


# -- catalog hosts ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Collection:
    id: str
    constellation: str  # sandbox.catalog name
    #: credits per km² of AOI (100 credits = A$1); None = open data, not sold (estimate
    #: reports it as "unsupported product", as the ordering guide says)
    credits_per_km2: int | None
    title: str


#: ``host_name`` values: ``earthsearch-aws`` serves open Sentinel-2 and Landsat (the
#: quickstart's example host and collection name, docs-examples.json); ``oneatlas`` is the
#: sandbox's host for Airbus archive (PHR, PNEO, SPOT): no Geopera document names the host
#: of Airbus imagery, and the name is the one UP42's fixtures use for it. The docs' other
#: example hosts exist with no imagery in the sandbox (searches answer an empty page).
HOSTS: dict[str, tuple[Collection, ...]] = {
    "oneatlas": (
        Collection("phr", "PHR", 350, "Pléiades"),
        Collection("pneo", "PNEO", 750, "Pléiades Neo"),
        Collection("spot", "SPOT", 60, "SPOT 6/7"),
    ),
    "earthsearch-aws": (
        Collection("sentinel-2-l2a", "SENTINEL-2", None, "Sentinel-2 L2A"),
        Collection("landsat-c2-l2", "LANDSAT-8", None, "Landsat Collection 2 Level-2"),
    ),
    "twentyoneat": (),
    "cgstl": (),
    "siis": (),
    "spacewill": (),
    "improsat": (),
    "vantor": (),
}


def collection_of(constellation: str) -> tuple[str, Collection] | None:
    for host, collections in HOSTS.items():
        for item in collections:
            if item.constellation == constellation:
                return host, item
    return None
