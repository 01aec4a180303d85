from __future__ import annotations

from nadir.core.errors import NadirError, PaymentRequired, ProviderError, RateLimited
from nadir.toolbelt.identity import identity


def test_identity_comes_from_metadata():
    ident = identity()
    assert ident.name == "Nadir" and ident.slug == "nadir" and ident.log_tag == "Nadir"
    assert ident.version.count(".") == 2 and ident.min_qgis == "3.22"


def test_payment_required_never_shows_its_client_secret():
    exc = PaymentRequired(
        "3-D Secure confirmation needed",
        reason="3ds",
        billing_mode="card",
        client_secret="pi_123_secret_456",
        provider="geopera",
        endpoint="orders.archive.place",
    )
    assert exc.requires_action and exc.client_secret == "pi_123_secret_456"
    for text in (str(exc), repr(exc), exc.details, str(exc.args)):
        assert "pi_123_secret_456" not in text


def test_error_hierarchy_carries_user_message_and_context():
    exc = RateLimited("Too many requests", retry_after=3.0, provider="up42", endpoint="/v2/orders", status=429)
    assert isinstance(exc, ProviderError) and isinstance(exc, NadirError)
    assert exc.retry_after == 3.0 and exc.status == 429 and str(exc) == "Too many requests"
