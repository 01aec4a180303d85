"""Streamed delivery layers: a remote COG read by GDAL, credentials never in the source.

How the credentials travel (measured on GDAL 3.6.2 / QGIS 3.22 and GDAL 3.10 / QGIS 3.40,
see ``tests/qgis/deliveries/test_delivery_streaming.py``):

- GDAL 3.6 ignores path-specific ``GDAL_HTTP_HEADERS`` (and ``GDAL_HTTP_HEADER_FILE``)
  for ``/vsicurl/``: only the process-wide config option works, and that would send the
  key to every host GDAL talks to. QGIS's ``authcfg`` for GDAL sources only injects a
  Basic ``user:password`` into the URL, which none of these APIs accepts.
- What works on both: ``/vsicurl?`` with its own ``header_file`` option pointing into
  GDAL's in-memory file system. The layer source is
  ``/vsicurl?empty_dir=yes&header_file=/vsimem/nadir/auth/<provider>/<hash>.txt&url=<href>``:
  no secret in it, so none in a saved project; the header file exists only in QGIS's
  memory, is read only for that one URL (an unrelated ``/vsicurl/`` URL gets nothing),
  and is written from the provider connection's QGIS auth config when Nadir adds the
  layer, or when a project holding such a layer is read (a ``QgsPathResolver``
  preprocessor runs before the layer opens). The files are removed on unload.
- The header file's name is a hash of the URL. A project that pairs a header file with
  another URL (to send a key elsewhere) has the header file removed from its source, and
  credentials are only written for URLs under that provider's configured API URLs.
- Assets that need no credentials (public or pre-signed links) stream as they are: the
  live layer reads the signed URL, but a project holding it is saved without the link's
  credentials (``signature``, ``X-Amz-*``, Azure ``sig``, ``token``...):
  :func:`guard_project` cleans the project document QGIS is about to write (layer
  sources, the layer tree, custom properties). Reopened, such a layer is unavailable
  until the delivery is loaded again: a signed link expires anyway.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Optional
from urllib.parse import parse_qsl, quote, urlsplit

from qgis.core import QgsPathResolver, QgsProject
from qgis.PyQt.QtXml import QDomNode

from ...core import errors
from ...core.provider_info import PROVIDERS
from ...core.redaction import scrub_urls, strip_url_credentials
from ..settings import SettingsStore

if TYPE_CHECKING:
    from ...core.deliveries.files import StreamRaster

# Start-up cost: this module is imported when the plugin starts (the preprocessor must be
# in place before a project opens), so GDAL, pydantic and the providers are imported only
# when a Nadir streamed layer is really met.

LOGGER = logging.getLogger(__name__)
PREFIX = "/vsicurl?"
HEADER_DIR = "/vsimem/nadir/auth"

#: resolve(authcfg, provider title) -> Credentials (the QGIS auth database)
Resolver = Callable[[str, str], Any]


def _resolve(authcfg: str, title: str) -> Any:
    from .. import auth

    return auth.resolve(authcfg, title)


def header_path(provider: str, href: str) -> str:
    digest = hashlib.sha256(f"{provider}\n{href}".encode()).hexdigest()[:32]
    return f"{HEADER_DIR}/{provider}/{digest}.txt"


def vsicurl_source(href: str, header_file: Optional[str] = None) -> str:
    """A GDAL ``/vsicurl?`` source; ``url`` comes last and every value is percent-encoded."""
    options = [("empty_dir", "yes")]
    if header_file:
        options.append(("header_file", header_file))
    options.append(("url", href))
    return PREFIX + "&".join(f"{key}={quote(value, safe='')}" for key, value in options)


def parse_source(source: str) -> Optional[dict[str, str]]:
    """The options of a ``/vsicurl?`` source, or None for anything else."""
    if not source.startswith(PREFIX):
        return None
    return dict(parse_qsl(source[len(PREFIX) :], keep_blank_values=True))


def scrub_source(value: str) -> str:
    """A layer source (or any saved text) without URL credentials; a ``/vsicurl?`` source
    keeps its options, its ``url`` loses them."""
    options = parse_source(value)
    if options is not None and "url" in options:
        clean = strip_url_credentials(options["url"])
        if clean == options["url"]:
            return value
        options["url"] = clean
        url = options.pop("url")
        return PREFIX + "&".join(f"{k}={quote(v, safe='')}" for k, v in [*options.items(), ("url", url)])
    return scrub_urls(value)


def scrub_node(root: QDomNode) -> int:
    """Remove URL credentials from every attribute and text under ``root`` (a project
    document's node); returns how many values changed."""
    changed = 0
    stack: list[QDomNode] = [root]
    while stack:
        node = stack.pop()
        if node.isNull():
            continue
        if node.isText() or node.isCDATASection():
            value = node.nodeValue()
            if "?" in value:
                clean = scrub_source(value)
                if clean != value:
                    node.setNodeValue(clean)
                    changed += 1
            continue
        if node.isElement():
            attributes = node.attributes()
            for index in range(attributes.count()):
                attribute = attributes.item(index).toAttr()
                value = attribute.value()
                if "?" in value:
                    clean = scrub_source(value)
                    if clean != value:
                        attribute.setValue(clean)
                        changed += 1
        child = node.firstChild()
        while not child.isNull():
            stack.append(child)
            child = child.nextSibling()
    return changed


_GUARD_PROPERTY = "nadirSavesNoUrlCredentials"


def guard_project(project: QgsProject) -> None:
    """Clean what ``project`` writes (:func:`scrub_node`): each layer's element as it is
    written (source, metadata, custom properties) and the rest of the document (layer
    tree...), which QGIS hands over before it appends the layers. Idempotent."""
    if project.property(_GUARD_PROPERTY):
        return

    def clean(node: QDomNode) -> None:
        try:
            if scrub_node(node):
                LOGGER.debug("credentials of signed links removed from the saved project")
        except Exception:  # saving must go on; the failure is logged
            LOGGER.exception("Cleaning signed links from the saved project failed")

    project.writeMapLayer.connect(lambda _layer, element, _document: clean(element))
    project.writeProject.connect(lambda document: clean(document.documentElement()))
    project.setProperty(_GUARD_PROPERTY, True)


def _header_bytes(headers: dict[str, str]) -> bytes:
    lines = []
    for name, value in headers.items():
        if any(c in name + value for c in "\r\n\x00") or ":" in name:
            raise errors.InputError(
                "A credential holds a line break; Nadir will not send it. Check the "
                "authentication configuration in Settings > Options > Nadir."
            )
        lines.append(f"{name}: {value}\r\n")
    return "".join(lines).encode("utf-8")


class StreamAuth:
    """Writes and removes the in-memory header files of streamed layers."""

    def __init__(self, settings: SettingsStore, resolve: Resolver = _resolve) -> None:
        self._settings = settings
        self._resolve = resolve
        self._written: set[str] = set()
        self._preprocessor: Optional[str] = None

    # ------------------------------------------------------------------ sources
    def source_for(self, stream: StreamRaster) -> str:
        """The layer source for a streamed asset; writes its header file first. GUI thread
        (the auth database may ask for the master password)."""
        href = stream.href
        if urlsplit(href).scheme.lower() not in ("http", "https"):
            raise errors.InputError(f"{href[:60]} is not an HTTP(S) address; it cannot be streamed.")
        if not stream.needs_auth:
            return vsicurl_source(href)
        path = header_path(stream.provenance.provider, href)
        self._write(stream.provenance.provider, href, path)
        return vsicurl_source(href, path)

    def _allowed(self, provider: str, href: str) -> bool:
        """Credentials go only to URLs under the provider connection's configured URLs."""
        from ..connections import connection_urls

        if provider not in PROVIDERS:
            return False
        bases = connection_urls(provider, self._settings.current).values()
        return any(href.startswith(base.rstrip("/") + "/") for base in bases if base)

    def _write(self, provider: str, href: str, path: str) -> None:
        title = PROVIDERS[provider].title if provider in PROVIDERS else provider
        if not self._allowed(provider, href):
            raise errors.InputError(
                f"Nadir sends {title} credentials only to the {title} addresses set in Settings > Options > Nadir; "
                f"this asset is elsewhere, so it cannot be streamed with them. Download it instead."
            )
        from osgeo import gdal

        from ...providers.streaming import static_headers

        connection = self._settings.current.connection(provider)
        credentials = self._resolve(connection.authcfg, title)
        data = _header_bytes(static_headers(provider, credentials))
        gdal.FileFromMemBuffer(path, data)
        self._written.add(path)

    # ------------------------------------------------------------------ projects
    def preprocess(self, source: str) -> str:
        """``QgsPathResolver`` preprocessor: prepare the header file of a Nadir streamed
        layer before the layer opens; never raises (it runs for every path QGIS reads)."""
        try:
            options = parse_source(source)
            if options is None or not options.get("header_file", "").startswith(HEADER_DIR + "/"):
                return source
            href = options.get("url", "")
            header_file = options["header_file"]
            provider = header_file[len(HEADER_DIR) + 1 :].split("/", 1)[0]
            if header_path(provider, href) != header_file:
                LOGGER.warning(
                    "A streamed layer's source pairs Nadir credentials with another address; "
                    "the credentials were removed from it."
                )
                return vsicurl_source(href)
            if header_file not in self._written:
                self._write(provider, href, header_file)
        except errors.NadirError as exc:
            LOGGER.warning("A streamed Nadir layer cannot be authenticated: %s", exc.message)
        except Exception:
            LOGGER.exception("Preparing a streamed Nadir layer failed")
        return source

    def install(self) -> None:
        if self._preprocessor is None:
            self._preprocessor = QgsPathResolver.setPathPreprocessor(self.preprocess)

    def uninstall(self) -> None:
        """Remove the preprocessor and every header file (plugin unload)."""
        if self._preprocessor is not None:
            QgsPathResolver.removePathPreprocessor(self._preprocessor)
            self._preprocessor = None
        if self._written:
            from osgeo import gdal

            for path in sorted(self._written):
                gdal.Unlink(path)
        self._written.clear()

    @property
    def written(self) -> frozenset[str]:
        return frozenset(self._written)
