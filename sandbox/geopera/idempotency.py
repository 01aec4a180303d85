"""``Idempotency-Key`` on Geopera's spend operations (Geopera's idempotency page): the
server claims (org, path, key) atomically; the same key with the same body within 24 h
replays the stored response byte for byte, with no second execution; the same key with
another body is a 409.

Readings the documents leave open, and the sandbox's choice:

* "path" is the operation, so ``/v1/op/orders.archive.place`` and its resource-style alias
  ``/v1/orders/archive/place`` share keys (the docs: the alias "runs the identical
  operation underneath, with the same … idempotency");
* "same body" is the same JSON value (key order and whitespace do not matter);
* the 24 h run on the sandbox clock;
* only successful (2xx) responses are stored: a 4xx releases the claim. Otherwise the
  3-D Secure flow could never work ("complete the bank challenge, then retry with the same
  Idempotency-Key", the ordering guide): the retry would replay the 402 for a day;
* a second request arriving while the first still runs gets a 409 (claims older than 60 s
  of sandbox time are treated as abandoned).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from fastapi.responses import Response

from ..store import Store
from .errors import Problem

KIND = "geopera.idempotency"
WINDOW = 24 * 3600.0
ABANDONED_AFTER = 60.0


def body_hash(body: Any) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


@dataclass
class Claim:
    doc_id: str
    key: str
    digest: str
    at: float


class Keys:
    def __init__(self, store: Store) -> None:
        self.store = store

    def claim(self, org: str, op: str, key: str, digest: str, now: float) -> Claim | Response:
        """A fresh claim, or the stored response to replay; 409 ``Problem`` on a conflict."""
        doc_id = f"{org}|{op}|{key}"
        with self.store.transaction():
            found = self.store.get(KIND, doc_id)
            live = found is not None and now - float(found["at"]) < WINDOW
            if live and found is not None:
                if found["hash"] != digest:
                    raise Problem(
                        409,
                        "this Idempotency-Key was already used with a different request body; "
                        "use a new key for a new request",
                        kind="idempotency-key-reused",
                    )
                if found["state"] == "done":
                    response = Response(
                        found["body"].encode("utf-8"), status_code=int(found["status"]), media_type=found["media_type"]
                    )
                    response.headers["Idempotent-Replayed"] = "true"
                    return response
                if now - float(found["at"]) < ABANDONED_AFTER:
                    raise Problem(
                        409,
                        "a request with this Idempotency-Key is still being processed; retry later",
                        kind="idempotency-key-in-use",
                    )
            self.store.delete(KIND, doc_id)
            self.store.put(KIND, doc_id, {"state": "running", "hash": digest, "at": now})
        return Claim(doc_id, key, digest, now)

    def finish(self, claim: Claim, status: int, body: bytes, media_type: str) -> None:
        """Store a success (call inside the transaction that commits the operation's effects)."""
        self.store.put(
            KIND,
            claim.doc_id,
            {
                "state": "done",
                "hash": claim.digest,
                "at": claim.at,
                "status": status,
                "body": body.decode("utf-8"),
                "media_type": media_type,
            },
        )

    def release(self, claim: Claim) -> None:
        self.store.delete(KIND, claim.doc_id)
