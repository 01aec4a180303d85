"""Redaction for the QGIS side: the patterns and secrets of :mod:`core.redaction`
(one list for the whole plugin), re-exported where the toolbelt has always found them."""

from __future__ import annotations

from ..core.redaction import MASK, forget_secrets, redact, register_secret, strip_queries, strip_url_credentials

__all__ = ["MASK", "forget_secrets", "redact", "register_secret", "strip_queries", "strip_url_credentials"]
