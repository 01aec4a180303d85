"""Contract checks for the Geopera stand-in (a stateful server checked against the
provider's own spec): its requests and responses against Geopera's ``openapi.json`` with
``openapi-core``, and ``catalog.search`` output against the STAC API v1.0.0 itemCollection
schema of the item-search spec (its relative ``$ref``s resolved across the spec's YAML
files).

Used by the tests on every exchange with the sandbox; importable by anyone who wants to
check traffic (``check_exchange``). Readings:

* statuses the spec does not declare but the docs do in prose (400, 402, 409, 410, 429:
  docs errors page) are checked against the spec's ``Problem`` schema and content type;
* the spec secures every operation with ``HTTPBearer`` only; the API also accepts
  ``X-API-Key`` (Geopera's authentication page; the CLI sends it), so a request
  authenticated that way skips the security part of request validation;
* a request is checked when the sandbox accepted it (2xx): anything the sandbox takes must
  be valid per the spec. Refused requests are checked on the response side only;
* routes outside the spec (the resource-style alias, the guide's ``GET orders.get``, file
  downloads) are checked on the response side as the operation they run, where they have one;
* ``catalog.search_stream`` answers NDJSON (docs: "an NDJSON variant") where the spec says
  ``application/json`` with an empty schema: each line is checked as a STAC item instead.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from openapi_core.validation.request.exceptions import SecurityValidationError
from openapi_schema_validator import OAS30Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

DATA = Path(__file__).resolve().parent / "contract_data"
GEOPERA_SPEC = DATA / "geopera" / "openapi.json"
STAC_DIR = DATA / "stac-api" / "v1.0.0"
PROSE_STATUSES = (400, 402, 409, 410, 429)
HOST = "https://api.geopera.com"


class ContractViolation(AssertionError):
    """A request or response the provider's spec does not allow."""


def _config() -> Config:
    # spec validation of the provider file is skipped (slow, and not what is being checked)
    return Config(spec_validator_cls=None, extra_media_type_deserializers={"application/problem+json": json.loads})


@cache
def geopera_openapi() -> OpenAPI:
    return OpenAPI.from_file_path(str(GEOPERA_SPEC), config=_config())


@cache
def _raw_spec() -> dict[str, Any]:
    return dict(json.loads(GEOPERA_SPEC.read_text("utf-8")))


def operation_path(path: str) -> str | None:
    """``/v1/op/x`` for a sandbox path under ``/v1`` that runs operation ``x`` (None otherwise)."""
    if path.startswith("/v1/op/"):
        return path
    if path.startswith(("/v1/items/", "/v1/catalog/quicklook/")):
        return None
    if path.startswith("/v1/"):
        return "/v1/op/" + path[len("/v1/") :].strip("/").replace("/", ".")
    return None


def _cause(exc: Exception) -> str:
    cause = exc.__cause__
    errors = getattr(cause, "schema_errors", None)
    if errors:
        return "; ".join(str(getattr(e, "message", e)) for e in errors)
    return f"{exc} {cause or ''}".strip()


def check_request(method: str, path: str, headers: dict[str, str], body: bytes) -> None:
    lowered = {k.lower(): v for k, v in headers.items()}
    request = MockRequest(
        HOST,
        method,
        path,
        headers=lowered,
        data=body,
        content_type=lowered.get("content-type", "application/json").split(";")[0],
    )
    try:
        geopera_openapi().validate_request(request)
    except SecurityValidationError:
        if "x-api-key" not in lowered:
            raise ContractViolation(f"{path}: request not authenticated the way the spec says") from None
    except Exception as exc:  # openapi-core raises a family of errors; every one is a violation
        raise ContractViolation(f"{path}: request violates openapi.json: {_cause(exc)}") from exc


def check_response(method: str, path: str, status: int, content_type: str, body: bytes) -> None:
    media = content_type.split(";")[0].strip()
    operation = _raw_spec()["paths"].get(path, {}).get(method.lower())
    if operation is None and status < 400:
        raise ContractViolation(f"{path}: a success for an operation openapi.json does not have")
    declared = (operation or {}).get("responses", {})
    if operation is None or str(status) not in declared:
        if operation is not None and status not in PROSE_STATUSES:
            raise ContractViolation(f"{path}: status {status} is neither in openapi.json nor in the docs")
        if media != "application/problem+json":
            raise ContractViolation(f"{path}: a {status} must be application/problem+json, got {media}")
        problem = _raw_spec()["components"]["schemas"]["Problem"]
        try:
            jsonschema.validate(json.loads(body), problem)
        except (ValueError, jsonschema.ValidationError) as exc:
            raise ContractViolation(f"{path}: {status} body is not a Problem: {exc}") from None
        return
    request = MockRequest(HOST, method, path, headers={"authorization": "Bearer x"}, data=b"{}")
    response = MockResponse(body, status_code=status, content_type=media)
    try:
        geopera_openapi().validate_response(request, response)
    except Exception as exc:  # openapi-core raises a family of errors; every one is a violation
        raise ContractViolation(f"{path}: {status} response violates openapi.json: {_cause(exc)}") from exc


@cache
def stac_item_collection_validator() -> Any:
    """The STAC API ``itemCollection`` schema with its relative ``$ref``s resolved from the
    YAML files (OpenAPI 3.0 dialect: ``nullable`` honoured). openapi-core validates the same
    schema but takes seconds per 100 items; this takes milliseconds."""
    resources = []
    for relative in ("fragments/itemcollection/openapi.yaml", "core/commons.yaml", "item-search/openapi.yaml"):
        path = STAC_DIR / relative
        resources.append(
            (path.as_uri(), Resource(contents=yaml.safe_load(path.read_text("utf-8")), specification=DRAFT4))
        )
    registry: Registry[Any] = Registry().with_resources(resources)
    root = (STAC_DIR / "fragments" / "itemcollection" / "openapi.yaml").as_uri()
    return OAS30Validator({"$ref": f"{root}#/components/schemas/itemCollection"}, registry=registry)


def check_stac_item_collection(body: bytes | dict[str, Any]) -> None:
    """``body`` is what a STAC API ``POST /search`` may answer (itemCollection)."""
    value = json.loads(body) if isinstance(body, bytes) else body
    errors = list(stac_item_collection_validator().iter_errors(value))
    if errors:
        where = "; ".join(f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in errors[:5])
        raise ContractViolation(f"not a STAC ItemCollection: {where}")


def check_exchange(
    method: str,
    path: str,
    request_headers: dict[str, str],
    request_body: bytes,
    status: int,
    content_type: str,
    body: bytes,
) -> None:
    """Check one exchange with the Geopera stand-in (``path`` without the ``/geopera`` prefix)."""
    op_path = operation_path(path)
    if op_path is None:
        return
    in_spec = path.startswith("/v1/op/") and method.upper() == "POST"
    if in_spec and 200 <= status < 300:
        check_request("post", path, request_headers, request_body)
    if op_path.endswith("catalog.search_stream") and status == 200:
        lines = [json.loads(line) for line in body.decode().splitlines() if line.strip()]
        check_stac_item_collection({"type": "FeatureCollection", "features": lines})
        return
    check_response("post", op_path, status, content_type, body)
    if op_path.endswith("/catalog.search") and status == 200:
        check_stac_item_collection(body)
