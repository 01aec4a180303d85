"""UP42's static world in the sandbox: demo users, the glossary (collections, data
products, hosts), order parameter schemas and prices.

Shapes follow ``contract_data/up42`` (the SDK's own test fixtures and payloads, the most
reliable UP42 source). Names and values that no document gives are the sandbox's choice and
say so where they are defined.
"""

from __future__ import annotations

import copy
import json
import uuid
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

CONTRACTS = Path(__file__).resolve().parent.parent / "contract_data" / "up42"
NAMESPACE = uuid.UUID("9c8c4c4d-1104-4680-82b8-6053a84eeb21")


def stable_id(*parts: str) -> str:
    """Deterministic UUID for sandbox-made ids (same input, same id, across restarts)."""
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


@dataclass(frozen=True)
class User:
    email: str
    password: str
    #: the SDK reads the userinfo ``sub`` as the workspace id (up42-py up42/base.py)
    workspace_id: str
    account_id: str
    name: str


USERS = (
    User(
        "demo@up42.sandbox",
        "sandbox-password",
        "4becba2c-ca8f-4d69-8ed3-ee237e6fc418",
        "0026e00e-690d-46a2-93de-d20095c00e73",
        "Demo User",
    ),
    User(
        "other@up42.sandbox",
        "sandbox-password",
        "5123a259-ce29-4c80-abde-05c52ac6f7d9",
        "cc246367-c4de-48b9-ad25-c0ee39f21e13",
        "Other Workspace User",
    ),
)

#: client ids the token server accepts: ``up42-api`` in docs.up42.com/developers/authentication,
#: ``up42-sdk`` in the SDK (up42/http/oauth.py). Both are accepted.
CLIENT_IDS = ("up42-api", "up42-sdk")


def user_by_email(email: str) -> User | None:
    return next((u for u in USERS if u.email.lower() == email.lower()), None)


def user_by_workspace(workspace_id: str) -> User | None:
    return next((u for u in USERS if u.workspace_id == workspace_id), None)


# -- glossary ------------------------------------------------------------------------

#: The archive collections are served by the catalog host ``oneatlas`` (the host of the
#: SDK's search fixture, ``catalog_search_response.json``). Prices in credits per km² are
#: the sandbox's own: no document gives UP42 prices.
PROVIDERS = {
    "airbus": {"name": "airbus", "title": "Airbus", "description": "Airbus Defence and Space", "roles": ["PRODUCER"]},
    "oneatlas": {"name": "oneatlas", "title": "OneAtlas", "description": "Airbus OneAtlas", "roles": ["HOST"]},
}
ARCHIVE_INTEGRATIONS = ["SEARCH_AVAILABLE", "QUICKLOOK_AVAILABLE", "THUMBNAIL_AVAILABLE", "PRICE_ESTIMATION_AVAILABLE"]


@dataclass(frozen=True)
class Collection:
    name: str
    title: str
    description: str
    type: str  # ARCHIVE | TASKING
    constellation: str  # sandbox.catalog constellation name
    resolution: tuple[float, float]
    resolution_class: str
    integrations: tuple[str, ...]
    product_name: str
    product_title: str
    credits_per_km2: int
    product_id: str = ""
    host: str = "oneatlas"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def data_product_id(self) -> str:
        return self.product_id or stable_id("data-product", self.product_name)

    @property
    def restricted(self) -> bool:
        return "ACCESS_APPROVAL_REQUIRED" in self.integrations

    @property
    def geometry_key(self) -> str:
        """Where the AOI sits in the product schema: ``aoi`` for catalog products (the v1
        estimate example in sdk-test-payloads.json), ``geometry`` for tasking (the PHR
        tasking schema fixture)."""
        return "geometry" if self.type == "TASKING" else "aoi"

    def glossary(self) -> dict[str, Any]:
        """The collection as ``GET /v2/collections`` lists it (sdk-test-payloads.json collections_page)."""
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "type": self.type,
            "integrations": list(self.integrations),
            "providers": [copy.deepcopy(PROVIDERS["airbus"]), copy.deepcopy(PROVIDERS["oneatlas"])],
            "dataProducts": [
                {
                    "name": self.product_name,
                    "title": self.product_title,
                    "description": f"{self.product_title} ({self.title})",
                    "id": self.data_product_id,
                    "eulaId": stable_id("eula", "airbus"),
                }
            ],
            "metadata": {
                "productType": "OPTICAL",
                "resolutionClass": self.resolution_class,
                "resolutionValue": {"minimum": self.resolution[0], "maximum": self.resolution[1]},
            },
        }


COLLECTIONS = (
    Collection(
        "phr",
        "Pléiades",
        "Pléiades 1A/1B archive imagery, 0.5 m",
        "ARCHIVE",
        "PHR",
        (0.5, 2.0),
        "VERY_HIGH",
        tuple(ARCHIVE_INTEGRATIONS),
        "phr-analytic",
        "Analytic",
        480,
    ),
    Collection(
        "pneo",
        "Pléiades Neo",
        "Pléiades Neo archive imagery, 0.3 m",
        "ARCHIVE",
        "PNEO",
        (0.3, 1.2),
        "VERY_HIGH",
        tuple(ARCHIVE_INTEGRATIONS),
        "pneo-analytic",
        "Analytic",
        1080,
    ),
    Collection(
        "spot",
        "SPOT",
        "SPOT 6/7 archive imagery, 1.5 m",
        "ARCHIVE",
        "SPOT",
        (1.5, 6.0),
        "HIGH",
        tuple(ARCHIVE_INTEGRATIONS),
        "spot-analytic",
        "Analytic",
        120,
    ),
    # UP42's "Place an order" tasking guide: the Pléiades analytic tasking product has id
    # bd102407-1814-4f92-8b5a-7697b7a73f5a
    Collection(
        "phr-tasking",
        "Pléiades Tasking",
        "New Pléiades acquisitions over your AOI",
        "TASKING",
        "PHR",
        (0.5, 2.0),
        "VERY_HIGH",
        (
            "ACCESS_APPROVAL_REQUIRED",
            "MANUAL_REQUEST_REQUIRED",
            "FEASIBILITY_STUDY_REQUIRED",
            "QUOTATION_REQUIRED",
            "PRICE_ESTIMATION_AVAILABLE",
        ),
        "phr-tasking-analytic",
        "Analytic",
        1100,
        product_id="bd102407-1814-4f92-8b5a-7697b7a73f5a",
    ),
    # "FEASIBILITY_STUDY_MAY_BE_REQUIRED" (an SDK integration value): the sandbox asks for a
    # study only for AOIs larger than FEASIBILITY_THRESHOLD_KM2, so both tasking paths exist.
    Collection(
        "pneo-tasking",
        "Pléiades Neo Tasking",
        "New Pléiades Neo acquisitions over your AOI",
        "TASKING",
        "PNEO",
        (0.3, 1.2),
        "VERY_HIGH",
        (
            "ACCESS_APPROVAL_REQUIRED",
            "FEASIBILITY_STUDY_MAY_BE_REQUIRED",
            "QUOTATION_REQUIRED",
            "PRICE_ESTIMATION_AVAILABLE",
        ),
        "pneo-tasking-analytic",
        "Analytic",
        2200,
    ),
)
FEASIBILITY_THRESHOLD_KM2 = 100.0

#: Access requests (UP42's "Place an order" tasking guide: "Request tasking access ... You
#: can review the status of your access requests on the Access Requests page"). Initial
#: state per (workspace, collection); /_sandbox/up42/access changes it.
INITIAL_ACCESS = {
    (USERS[0].workspace_id, "phr-tasking"): "APPROVED",
    (USERS[0].workspace_id, "pneo-tasking"): "APPROVED",
    (USERS[1].workspace_id, "pneo-tasking"): "PENDING",
}
ACCESS_STATUSES = ("PENDING", "APPROVED", "REJECTED")


def collection(name: str) -> Collection | None:
    return next((c for c in COLLECTIONS if c.name == name), None)


def collection_by_product(data_product_id: str) -> Collection | None:
    return next((c for c in COLLECTIONS if c.data_product_id == data_product_id), None)


def hosts() -> dict[str, list[Collection]]:
    """Catalog hosts and the searchable collections each one serves."""
    found: dict[str, list[Collection]] = {}
    for item in COLLECTIONS:
        if "SEARCH_AVAILABLE" in item.integrations:
            found.setdefault(item.host, []).append(item)
    return found


def data_products() -> list[dict[str, Any]]:
    """``GET /data-products`` entries, shaped like sdk-fixtures/data_products.json."""
    host = {"name": "oneatlas", "title": "Oneatlas", "isIntegrated": True}
    producer = {"name": "airbus", "title": "Airbus", "isIntegrated": True}
    stamp = "2022-02-10T15:38:18.804420Z"
    out = []
    for item in COLLECTIONS:
        configuration_id = stable_id("product-configuration", item.product_name)
        out.append(
            {
                "id": item.data_product_id,
                "productConfiguration": {
                    "host": dict(host),
                    "hostName": item.host,
                    "title": item.product_title,
                    "id": configuration_id,
                    "configuration": {},
                    "isIntegrated": True,
                },
                "productConfigurationId": configuration_id,
                "collection": {
                    "name": item.name,
                    "title": item.title,
                    "type": item.type,
                    "restricted": item.restricted,
                    "host": dict(host),
                    "hostName": item.host,
                    "producer": dict(producer),
                    "producerName": "airbus",
                    "isIntegrated": True,
                },
                "collectionName": item.name,
                "isIntegrated": True,
                "createdAt": stamp,
                "updatedAt": stamp,
            }
        )
    return out


# -- order parameter schemas ------------------------------------------------------------------


@cache
def _tasking_schema_fixture() -> dict[str, Any]:
    return json.loads((CONTRACTS / "sdk-fixtures" / "data_product_schema_phr_tasking.json").read_text("utf-8"))


def _archive_schema() -> dict[str, Any]:
    """The schema of catalog (archive) products. No fixture exists for one; this follows
    the v1 estimate example (``params: {id, aoi}``, sdk-test-payloads.json v1_estimate_docs)
    written in the style of the PHR tasking fixture (draft-07, ``definitions``)."""
    polygon = copy.deepcopy(_tasking_schema_fixture()["definitions"]["Polygon"])
    multipolygon = {
        "title": "MultiPolygon",
        "description": "MultiPolygon Model.",
        "type": "object",
        "properties": {
            "type": {"title": "Type", "default": "MultiPolygon", "const": "MultiPolygon", "type": "string"},
            "coordinates": {"type": "array", "minItems": 1, "items": polygon["properties"]["coordinates"]},
        },
        "required": ["coordinates"],
    }
    polygon["properties"]["type"]["const"] = "Polygon"
    polygon["required"] = ["type", "coordinates"]
    multipolygon["required"] = ["type", "coordinates"]
    return {
        "$schema": "https://json-schema.org/draft-07/schema",
        "type": "object",
        "properties": {
            "id": {
                "title": "Image ID",
                "description": "Id of the catalog image (a search result's id).",
                "type": "string",
                "minLength": 1,
            },
            "aoi": {
                "title": "Area of interest",
                "type": "object",
                "anyOf": [{"$ref": "#/definitions/Polygon"}, {"$ref": "#/definitions/MultiPolygon"}],
            },
        },
        "required": ["id", "aoi"],
        "additionalProperties": False,
        "definitions": {"Polygon": polygon, "MultiPolygon": multipolygon},
    }


def product_schema(item: Collection) -> dict[str, Any]:
    """``GET /orders/schema/{dataProductId}``: the PHR tasking fixture verbatim for tasking
    products (Pléiades Neo tasking reuses it with its own titles), the archive schema otherwise."""
    if item.type == "TASKING":
        schema = copy.deepcopy(_tasking_schema_fixture())
        if item.name != "phr-tasking":
            schema["title"] = f"{item.title} order parameters"
        return schema
    return _archive_schema()
