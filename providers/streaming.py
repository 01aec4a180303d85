"""Which credentials let GDAL read a provider's delivered COG remotely.

A streamed layer reads its file long after the adapter is gone, in ranges, from GDAL's
HTTP client. That needs a credential that does not expire while the project is open: an
API key, never a short-lived token. Per provider, from how each authenticates:

- Geopera: the ``gpra_`` API key as ``Authorization: Bearer`` (the SDKs' form). An account
  e-mail and password only yields 5-minute tokens: such a connection cannot stream.
- ClearSKY: ``x-api-key``; its deliveries are POST retrievals, which GDAL cannot stream,
  so this is only reached for assets the provider itself marks streamable.
- UP42 and OneAtlas: tokens of 5 minutes and 1 hour from a password or key exchange: no
  static credential exists, so their assets are downloaded (or streamed only through a
  pre-signed link the asset carries, which needs no credentials at all).

``Authorization`` is preferred where the provider accepts it: libcurl (GDAL) does not send
it on a redirect to another host, unlike custom headers.
"""

from __future__ import annotations

from ..core import errors
from ..core.credentials import Credentials
from ..core.provider_info import PROVIDERS


def static_headers(provider: str, credentials: Credentials) -> dict[str, str]:
    """HTTP headers that authenticate GDAL's reads of ``provider``'s assets, or
    :class:`NotSupported` saying why this connection cannot stream."""
    title = PROVIDERS[provider].title if provider in PROVIDERS else provider
    if not credentials.secret:
        raise errors.InputError(f"No {title} credentials are set. Add them in Settings > Options > Nadir.")
    if provider == "geopera":
        if "@" in credentials.username:
            raise errors.NotSupported(
                "Geopera gives an account e-mail and password only short-lived tokens, which a streamed layer "
                "would outlive. Use a gpra_ API key in the Geopera connection (Settings > Options > Nadir) to "
                "stream, or download the order instead."
            )
        return {"Authorization": f"Bearer {credentials.secret}"}
    if provider == "clearsky":
        return {"x-api-key": credentials.secret}
    raise errors.NotSupported(
        f"{title} grants only short-lived tokens, which a streamed layer would outlive, so its deliveries are "
        f"downloaded instead of streamed."
    )
