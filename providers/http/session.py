"""The HTTP executor every adapter uses: auth, retries, error mapping, JSON, NDJSON, downloads.

Adapters never call ``httpx`` directly; they hold one :class:`HttpSession` per API host
group and call it. The ``httpx.Client`` comes from outside (``toolbelt.http.make_client``
in QGIS, :func:`plain_client` elsewhere) so proxy, CA trust, timeouts and User-Agent are
decided in one place.

API (stable; the UP42 and Geopera adapters build on it)::

    session = HttpSession("clearsky", client, authenticator=ApiKeyHeader("x-api-key", key),
                          policy=RetryPolicy(), error_parser=my_envelope_parser,
                          auth_origins=[base_url])
    response = session.request("GET", url, endpoint="orders.list", params={...})
    data = session.json("POST", url, endpoint="orders.estimate", json=body)
    data = session.json("POST", url, endpoint="orders.place", json=body, write=True,
                        idempotency_key=key)          # re-sent with the same key header
    for line in session.stream_lines("POST", url, endpoint="search.stream", json=body,
                                     cancelled=task.isCanceled): ...
    path = session.download(href, Path("x.tif"), endpoint="download", progress=cb,
                            cancelled=task.isCanceled, expected_size=n, checksum="sha256:..")
    order = write_with_lookup(send, lookup, policy=..., sleep=..., cancelled=...)

- ``Authenticator`` (see :mod:`providers.http.auth`): ``headers()`` for each attempt,
  ``refresh()`` once after a 401 (True: retry once with the new credentials). Credentials
  are only sent to ``auth_origins`` (all origins when None) and never across a redirect
  to another origin.
- Retry policy (:mod:`core.retry`): reads retry transport errors and 5xx with jittered
  backoff and wait for 429's ``Retry-After``; writes (``write=True``) are resent only when
  they never reached the server, or with ``idempotency_key``. A write whose answer is
  lost raises :class:`core.errors.OutcomeUnknown`: use :func:`write_with_lookup`.
- Errors: 401/403 :class:`ProviderAuthError` (one message naming the provider and
  Settings > Options > Nadir), 402 :class:`PaymentRequired` (billing mode, reason and a
  3-D Secure ``client_secret`` kept out of ``str``/``repr``), 404 :class:`NotFound`, 409
  :class:`Conflict`, other 4xx :class:`ProviderRejected` with the provider's message
  (``error_parser(response) -> (message, code)``), 429 :class:`RateLimited`, 5xx and
  transport :class:`ProviderUnavailable`, untrusted TLS :class:`CertificateError`,
  unreadable bodies :class:`InvalidResponse` naming provider, endpoint and status.
- Deadlines (:class:`core.retry.Deadlines`, per session, ``deadline=`` per call): httpx
  times out single reads only, so every call also has a wall-clock limit checked
  between the chunks of its body (read as they arrive): JSON calls ``call`` seconds
  (120) retries included, NDJSON streams ``stream`` (300), downloads no total but at
  least ``stall_bytes`` every ``stall_window`` seconds (256 KiB per 60 s). Passing it
  raises :class:`ProviderUnavailable` ("... did not finish answering ... within N s"),
  or :class:`OutcomeUnknown` for a write whose answer was cut. ``cancelled`` is checked
  between chunks too (not while a write's answer arrives: its outcome must be known).
- Logging: one DEBUG line per attempt (method, endpoint, path, status, time); never
  headers, query strings or bodies.
"""

from __future__ import annotations

import logging
import os
import ssl
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Optional, Protocol, TypeVar
from urllib.parse import urlsplit

import httpx

from ...core import errors
from ...core.errors import SETTINGS_HINT, storage_error
from ...core.ports import Cancelled, Progress, never_cancelled
from ...core.provider_info import PROVIDERS
from ...core.redaction import redact, strip_queries
from ...core.retry import Clock, Deadlines, Failure, RetryPolicy, StallWatch, classify_status, parse_retry_after
from .envelopes import default_error_parser, default_payment_parser, load_json, safe_json
from .transfer import Check, iter_body_lines, read_whole, verify_file, write_body

LOGGER = logging.getLogger(__name__)

CA_HINT = "Settings > Options > Authentication > Certificate Manager"
PROXY_HINT = "Settings > Options > Network"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
__all__ = [
    "SETTINGS_HINT",
    "Authenticator",
    "HttpSession",
    "default_error_parser",
    "default_payment_parser",
    "plain_client",
    "safe_json",
    "write_with_lookup",
]
MAX_REDIRECTS = 5

T = TypeVar("T")
E = TypeVar("E", bound=errors.ProviderError)


class QueryFreeRequestLog(logging.Filter):
    """On httpx's and httpcore's loggers: no query string and no credential in their lines.

    httpx logs every request's full URL (``HTTP Request: GET <url> ...``, INFO) and
    httpcore, at DEBUG, every response's headers (a redirect's ``Location``,
    ``Set-Cookie``). Query strings carry signed links' signatures or keys, so URLs lose
    them and the text goes through :func:`core.redaction.redact`. Inside QGIS the record
    factory of ``toolbelt.log`` has already formatted the record (``args`` None) before
    this filter runs, so the formatted text is cleaned too: the order does not matter."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any(isinstance(a, httpx.URL) for a in record.args):
            record.args = tuple(
                a.copy_with(query=None, fragment=None) if isinstance(a, httpx.URL) and a.query else a
                for a in record.args
            )
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string must not break logging
            message = str(record.msg)
        record.msg, record.args = redact(strip_queries(message)), None
        return True


#: httpx logs under "httpx"; httpcore under one logger per module (a filter on a parent
#: logger does not see its children's records).
NETWORK_LOGGERS = (
    "httpx",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
)


def _install_request_log_filter() -> None:
    for name in NETWORK_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, QueryFreeRequestLog) for f in logger.filters):
            logger.addFilter(QueryFreeRequestLog())


_install_request_log_filter()


def uninstall_request_log_filter() -> None:
    """Take the filter off the ``httpx`` logger (plugin unload; also copies from a reloaded module)."""
    logger = logging.getLogger("httpx")
    for installed in [f for f in logger.filters if type(f).__name__ == QueryFreeRequestLog.__name__]:
        logger.removeFilter(installed)


class Authenticator(Protocol):
    """Adds credentials to requests (see :mod:`providers.http.auth`)."""

    def headers(self) -> dict[str, str]:
        """Headers for the next attempt (may fetch or renew a token)."""
        ...

    def refresh(self) -> bool:
        """Called once after a 401; True if new credentials were obtained (retry once)."""
        ...


#: ``error_parser(response) -> (message, code)``: the provider's own error text and code.
ErrorParser = Callable[[httpx.Response], tuple[str, str]]
#: ``payment_parser(response, message, code) -> PaymentRequired`` for a 402.
PaymentParser = Callable[[httpx.Response, str, str], errors.PaymentRequired]


def plain_client(user_agent: str | None = None, timeout: httpx.Timeout = DEFAULT_TIMEOUT) -> httpx.Client:
    """A client for use outside QGIS (unit tests, sandbox, scripts): explicit timeouts,
    system CA store, environment proxies, no automatic redirects (the session follows
    them itself so credentials never leak to another origin)."""
    agent = user_agent or f"Nadir python-httpx/{httpx.__version__}"
    return httpx.Client(timeout=timeout, headers={"User-Agent": agent}, follow_redirects=False)


def _origin(url: str | httpx.URL) -> tuple[str, str, int]:
    parts = urlsplit(str(url))
    scheme = (parts.scheme or "http").lower()
    port = parts.port or (443 if scheme == "https" else 80)
    return scheme, (parts.hostname or "").lower(), port


def _certificate_problem(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            return True
        if "CERTIFICATE_VERIFY_FAILED" in str(current):
            return True
        current = current.__cause__ or current.__context__
    return False


def _classify_transport(exc: httpx.TransportError) -> Failure:
    if isinstance(exc, (httpx.ProxyError, httpx.UnsupportedProtocol, httpx.LocalProtocolError)):
        return Failure.FINAL
    if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)):
        return Failure.NOT_SENT
    return Failure.TRANSPORT


def _describe_transport(exc: httpx.TransportError) -> str:
    if isinstance(exc, httpx.ReadTimeout):
        return "the answer stopped arriving: read timeout"
    if isinstance(exc, httpx.TimeoutException):
        return "the request timed out"
    if isinstance(exc, httpx.ConnectError):
        return "the connection could not be opened"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "the connection was closed before the answer was complete"
    return "the connection failed"


# --------------------------------------------------------------------------- session
class HttpSession:
    """One provider's HTTP calls over a shared client, with the failure policy applied."""

    def __init__(
        self,
        provider: str,
        client: httpx.Client,
        authenticator: Optional[Authenticator] = None,
        policy: Optional[RetryPolicy] = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        error_parser: ErrorParser = default_error_parser,
        payment_parser: PaymentParser = default_payment_parser,
        auth_origins: Optional[Iterable[str]] = None,
        title: str = "",
        deadlines: Optional[Deadlines] = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.provider = provider
        self.client = client
        self.authenticator = authenticator
        self.policy = policy or RetryPolicy()
        self.sleep = sleep
        self.deadlines = deadlines or Deadlines()
        self.clock = clock
        self.error_parser = error_parser
        self.payment_parser = payment_parser
        self._auth_origins = None if auth_origins is None else {_origin(url) for url in auth_origins}
        info = PROVIDERS.get(provider)
        self.title = title or (info.title if info else provider)

    def __repr__(self) -> str:
        return f"HttpSession(provider={self.provider!r})"

    # ------------------------------------------------------------------ public calls
    def request(
        self,
        method: str,
        url: str,
        *,
        endpoint: str,
        json: Any = None,
        data: Optional[Mapping[str, Any]] = None,
        content: Optional[bytes] = None,
        params: Optional[Mapping[str, Any]] = None,
        headers: Optional[Mapping[str, str]] = None,
        write: bool = False,
        idempotency_key: Optional[str] = None,
        idempotency_header: str = "Idempotency-Key",
        cancelled: Cancelled = never_cancelled,
        authenticate: bool = True,
        timeout: Optional[httpx.Timeout] = None,
        deadline: Optional[float] = None,
    ) -> httpx.Response:
        """Send with retries; return the successful response (body read) or raise.
        ``deadline``: seconds for the whole call (default ``deadlines.call``)."""
        extra = dict(headers or {})
        if idempotency_key:
            extra[idempotency_header] = idempotency_key
        return self._send(
            method,
            url,
            endpoint=endpoint,
            stream=False,
            write=write,
            idempotent=bool(idempotency_key),
            cancelled=cancelled,
            authenticate=authenticate,
            limit=Clock(deadline or self.deadlines.call, self.clock),
            build={
                "json": json,
                "data": data,
                "content": content,
                "params": params,
                "headers": extra,
                "timeout": timeout,
            },
        )

    def json(self, method: str, url: str, *, endpoint: str, allow_empty: bool = False, **kwargs: Any) -> Any:
        """:meth:`request` and parse the body as JSON (:class:`InvalidResponse` otherwise)."""
        response = self.request(method, url, endpoint=endpoint, **kwargs)
        return self.parse_json(response, endpoint, allow_empty=allow_empty)

    def parse_json(self, response: httpx.Response, endpoint: str, *, allow_empty: bool = False) -> Any:
        status = response.status_code
        if not response.content.strip():
            if allow_empty:
                return None
            raise self.invalid(endpoint, status, "an empty body instead of JSON")
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type and "json" not in content_type and not content_type.startswith("text/plain"):
            raise self.invalid(endpoint, status, f"{content_type} instead of JSON")
        try:
            return load_json(response.content)
        except (ValueError, UnicodeDecodeError) as exc:
            raise self.invalid(endpoint, status, "malformed or truncated JSON", detail=str(exc)) from None
        except RecursionError:
            raise self.invalid(endpoint, status, "JSON nested too deeply to read") from None

    def invalid(self, endpoint: str, status: Optional[int], what: str, *, detail: str = "") -> errors.InvalidResponse:
        """An :class:`InvalidResponse` naming provider, endpoint and status (for adapters too)."""
        where = f"{endpoint}, HTTP {status}" if status is not None else endpoint
        return errors.InvalidResponse(
            f"{self.title} returned {what} ({where}). Try again later; if it persists, the service "
            f"or a proxy in between is misbehaving.",
            provider=self.provider,
            endpoint=endpoint,
            status=status,
            details=self._scrub(detail),
        )

    def stream_lines(
        self,
        method: str,
        url: str,
        *,
        endpoint: str,
        json: Any = None,
        params: Optional[Mapping[str, Any]] = None,
        headers: Optional[Mapping[str, str]] = None,
        cancelled: Cancelled = never_cancelled,
        deadline: Optional[float] = None,
    ) -> Iterator[str]:
        """Non-empty lines of a streamed body (NDJSON). Retries apply until the response
        starts; cancellation and the deadline (``deadlines.stream`` seconds from the call
        to the last line unless ``deadline`` is given) are checked between network chunks
        and between lines."""
        limit = Clock(deadline or self.deadlines.stream, self.clock)
        response = self._send(
            method,
            url,
            endpoint=endpoint,
            stream=True,
            write=False,
            idempotent=False,
            cancelled=cancelled,
            authenticate=True,
            build={"json": json, "params": params, "headers": dict(headers or {})},
            limit=limit,
        )
        try:
            for line in iter_body_lines(response, self._checker(endpoint, limit, cancelled)):
                if cancelled():
                    raise errors.OperationCancelled()
                if line.strip():
                    yield line
        except httpx.TransportError as exc:
            raise errors.ProviderUnavailable(
                f"The stream from {self.title} was interrupted ({_describe_transport(exc)}). Try again.",
                provider=self.provider,
                endpoint=endpoint,
                status=response.status_code,
            ) from None
        finally:
            response.close()

    def stream_json(self, method: str, url: str, *, endpoint: str, **kwargs: Any) -> Iterator[Any]:
        """:meth:`stream_lines` parsed line by line (NDJSON)."""
        for line in self.stream_lines(method, url, endpoint=endpoint, **kwargs):
            try:
                yield load_json(line)
            except (ValueError, RecursionError):  # RecursionError: nested too deeply
                raise self.invalid(endpoint, 200, "a malformed line in its NDJSON stream") from None

    def download(
        self,
        url: str,
        destination: Path,
        *,
        endpoint: str = "download",
        progress: Optional[Progress] = None,
        cancelled: Cancelled = never_cancelled,
        expected_size: Optional[int] = None,
        checksum: Optional[str] = None,
        method: str = "GET",
        json: Any = None,
        headers: Optional[Mapping[str, str]] = None,
        authenticate: bool = True,
        deadlines: Optional[Deadlines] = None,
    ) -> Path:
        """Download to ``destination`` through ``<destination>.part``.

        An existing ``.part`` is resumed with ``Range`` when the server answers 206 and
        restarted cleanly on 200. Transfers interrupted mid-body resume the same way
        under the read retry policy. Size and checksum (``"sha256:<hex>"``, ``md5``...)
        are checked before the atomic rename; a file failing them is deleted. Only the
        ``.part`` file is ever deleted. Cancellation is checked between chunks and keeps
        the ``.part`` for a later resume. No total deadline: each attempt's headers must
        arrive within ``deadlines.call``, then at least ``stall_bytes`` every
        ``stall_window`` seconds (``deadlines`` overrides the session's), else
        :class:`ProviderUnavailable` and the ``.part`` stays.
        """
        limits = deadlines or self.deadlines
        destination = Path(destination)
        part = destination.with_name(destination.name + ".part")
        try:
            destination.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise storage_error(exc, destination) from None
        failures = 0

        def invalid(what: str, status: Optional[int]) -> errors.InvalidResponse:
            return self.invalid(endpoint, status, what)

        while True:
            if cancelled():
                raise errors.OperationCancelled()
            offset = part.stat().st_size if part.exists() else 0
            if expected_size is not None and offset > expected_size:
                part.unlink()
                offset = 0
            extra = dict(headers or {})
            if offset:
                extra["Range"] = f"bytes={offset}-"
            response = self._send(
                method,
                url,
                endpoint=endpoint,
                stream=True,
                write=False,
                idempotent=False,
                cancelled=cancelled,
                authenticate=authenticate,
                build={"json": json, "headers": extra},
                accept=(416,),
                limit=Clock(limits.call, self.clock),
            )
            try:
                if response.status_code == 416:
                    read_whole(response, self._checker(endpoint, Clock(limits.call, self.clock), cancelled))
                    if offset and expected_size == offset:
                        break  # the part file already holds everything
                    part.unlink(missing_ok=True)
                    continue
                total = write_body(
                    response,
                    part,
                    offset,
                    progress,
                    cancelled,
                    self._stall_check(endpoint, StallWatch(limits, self.clock)),
                    invalid,
                )
            except httpx.TransportError as exc:
                failures += 1
                if not self.policy.should_retry(_classify_transport(exc), failures, write=False):
                    raise errors.ProviderUnavailable(
                        f"The download from {self.title} was interrupted ({_describe_transport(exc)}). "
                        f"Start it again to resume.",
                        provider=self.provider,
                        endpoint=endpoint,
                    ) from None
                LOGGER.debug("%s %s interrupted, resuming (%d)", self.provider, endpoint, failures)
                self._wait(self.policy.backoff(failures), cancelled)
                continue
            finally:
                response.close()
            expected_size = expected_size if expected_size is not None else total
            break
        verify_file(part, expected_size, checksum, invalid)
        try:
            os.replace(part, destination)
        except OSError as exc:
            raise storage_error(exc, destination) from None
        LOGGER.debug("%s %s saved %s", self.provider, endpoint, destination.name)
        return destination

    # ------------------------------------------------------------------ internals
    def too_slow(self, endpoint: str, limit: Clock, *, write: bool = False, last: str = "") -> errors.ProviderError:
        """The error for a call whose deadline passed (``write``: its answer was cut short)."""
        seconds = f"{limit.seconds:g} s"
        why = f" (last attempt: {last})" if last else ""
        if write:
            return errors.OutcomeUnknown(
                f"{self.title} did not finish answering {endpoint} within {seconds}, so it may or may not have "
                f"been carried out.",
                provider=self.provider,
                endpoint=endpoint,
                details=f"deadline={seconds}",
            )
        return errors.ProviderUnavailable(
            f"{self.title} did not finish answering {endpoint} within {seconds}{why}. The service or the "
            f"connection is too slow right now; try again later.",
            provider=self.provider,
            endpoint=endpoint,
            details=f"deadline={seconds}",
        )

    def _checker(self, endpoint: str, limit: Clock, cancelled: Cancelled, *, write: bool = False) -> Check:
        """Between chunks: the call's deadline, and cancellation (not for a write's answer)."""

        def check(_done: int) -> None:
            if limit.expired():
                raise self.too_slow(endpoint, limit, write=write)
            if not write and cancelled():
                raise errors.OperationCancelled()

        return check

    def _stall_check(self, endpoint: str, watch: StallWatch) -> Check:
        def check(done: int) -> None:
            if watch.stalled(done):
                raise errors.ProviderUnavailable(
                    f"The download from {self.title} stalled: less than {watch.need // 1024} KiB arrived in "
                    f"{watch.window:g} s. Start it again to resume.",
                    provider=self.provider,
                    endpoint=endpoint,
                    details=f"stall_window={watch.window:g}s stall_bytes={watch.need}",
                )

        return check

    def _timeout(self, timeout: Optional[httpx.Timeout], limit: Clock) -> httpx.Timeout:
        """The attempt's httpx timeouts, none longer than what is left of the deadline."""
        base = timeout or self.client.timeout
        left = max(limit.remaining(), 0.001)

        def cap(value: Optional[float]) -> float:
            return left if value is None else min(value, left)

        return httpx.Timeout(connect=cap(base.connect), read=cap(base.read), write=cap(base.write), pool=cap(base.pool))

    def _pause(self, seconds: float, cancelled: Cancelled, endpoint: str, limit: Clock, last: str) -> None:
        """Wait before a retry, unless the deadline would pass first."""
        if limit.remaining() <= seconds:
            raise self.too_slow(endpoint, limit, last=last)
        self._wait(seconds, cancelled)

    def _wait(self, seconds: float, cancelled: Cancelled) -> None:
        """Sleep in short slices so a cancelled task stops promptly."""
        deadline = time.monotonic() + seconds
        remaining = seconds
        while remaining > 0:
            if cancelled():
                raise errors.OperationCancelled()
            self.sleep(min(0.1, remaining))
            remaining = min(remaining - 0.1, deadline - time.monotonic())
        if cancelled():
            raise errors.OperationCancelled()

    def _auth_headers(self, url: httpx.URL, authenticate: bool) -> dict[str, str]:
        if not authenticate or self.authenticator is None:
            return {}
        if self._auth_origins is not None and _origin(url) not in self._auth_origins:
            return {}
        return self.authenticator.headers()

    def _send(
        self,
        method: str,
        url: str,
        *,
        endpoint: str,
        stream: bool,
        write: bool,
        idempotent: bool,
        cancelled: Cancelled,
        authenticate: bool,
        build: dict[str, Any],
        limit: Clock,
        accept: tuple[int, ...] = (),
    ) -> httpx.Response:
        """One call: attempts, redirects, retries. The response comes back with its body
        read (``stream`` False) or ready to stream; every attempt is bounded by ``limit``."""
        failures = limited = hops = 0
        refreshed = False
        target = httpx.URL(url)
        extra_headers: dict[str, str] = build.pop("headers", None) or {}
        timeout = build.pop("timeout", None)
        last = ""
        body_check = self._checker(endpoint, limit, cancelled, write=write and not idempotent)
        while True:
            if cancelled():
                raise errors.OperationCancelled()
            if limit.expired():
                raise self.too_slow(endpoint, limit, last=last)
            headers = {**extra_headers, **self._auth_headers(target, authenticate)}
            kwargs = {k: v for k, v in build.items() if v is not None}
            kwargs["timeout"] = self._timeout(timeout, limit)
            request = self.client.build_request(method, target, headers=headers, **kwargs)
            started = time.monotonic()
            try:
                response = self.client.send(request, stream=True)
                if not stream:
                    response = read_whole(response, body_check)
            except httpx.TransportError as exc:
                failures += 1
                self._raise_unless_retryable(exc, endpoint, write, idempotent, failures)
                LOGGER.debug(
                    "%s %s %s failed (%s), retry %d", self.provider, method, endpoint, type(exc).__name__, failures
                )
                last = _describe_transport(exc)
                self._pause(self.policy.backoff(failures), cancelled, endpoint, limit, last)
                continue
            except httpx.DecodingError:
                raise self.invalid(endpoint, None, "a body that cannot be decoded") from None
            status = response.status_code
            LOGGER.debug(
                "%s %s %s %s -> %d (%d ms)",
                self.provider,
                method,
                endpoint,
                target.path,
                status,
                (time.monotonic() - started) * 1000,
            )
            if 300 <= status < 400 and status != 304 and "location" in response.headers and hops < MAX_REDIRECTS:
                hops += 1
                target = target.join(response.headers["location"])
                response.close()
                if status == 303 or (status in (301, 302) and method == "POST"):
                    method, build = "GET", {}
                continue
            if status < 400 or status in accept:
                return response
            if stream:
                try:
                    response = read_whole(response, body_check)
                except (httpx.TransportError, httpx.DecodingError):
                    pass  # the error body is lost; the status is what matters
            if status == 401 and not refreshed and self.authenticator is not None and authenticate:
                refreshed = True
                if self.authenticator.refresh():
                    LOGGER.debug("%s %s: credentials renewed after 401, retrying once", self.provider, endpoint)
                    continue
            failure = classify_status(status)
            if failure is Failure.RATE_LIMITED:
                limited += 1
                retry_after = parse_retry_after(response.headers.get("retry-after"))
                wait = self.policy.rate_limit_wait(retry_after)
                if wait is not None and self.policy.should_retry(failure, limited, write=write):
                    LOGGER.debug("%s %s rate limited, waiting %.1f s", self.provider, endpoint, wait)
                    self._pause(wait, cancelled, endpoint, limit, f"HTTP {status}")
                    continue
            elif failure is Failure.SERVER:
                failures += 1
                if self.policy.should_retry(failure, failures, write=write, idempotent=idempotent):
                    LOGGER.debug("%s %s got %d, retry %d", self.provider, endpoint, status, failures)
                    self._pause(self.policy.backoff(failures), cancelled, endpoint, limit, f"HTTP {status}")
                    continue
            raise self.status_error(response, endpoint, write=write and not idempotent)

    def _raise_unless_retryable(
        self, exc: httpx.TransportError, endpoint: str, write: bool, idempotent: bool, attempt: int
    ) -> None:
        """Return if the failed attempt may be retried, else raise the mapped error."""
        if _certificate_problem(exc):
            raise errors.CertificateError(
                f"The TLS certificate of {self.title} (or of a proxy in between) is not trusted, so Nadir "
                f"did not connect. If your organisation uses its own certificate authority, add its CA "
                f"certificate to QGIS's trusted authorities in {CA_HINT}.",
                provider=self.provider,
                endpoint=endpoint,
                details=self._scrub(str(exc)),
            ) from None
        failure = _classify_transport(exc)
        if self.policy.should_retry(failure, attempt, write=write, idempotent=idempotent):
            return
        if isinstance(exc, httpx.ProxyError):
            raise errors.ProviderUnavailable(
                f"The proxy refused the connection to {self.title} ({self._scrub(str(exc))}). Check the proxy "
                f"settings in {PROXY_HINT}.",
                provider=self.provider,
                endpoint=endpoint,
            ) from None
        if write and not idempotent and failure is Failure.TRANSPORT:
            raise errors.OutcomeUnknown(
                f"{self.title} did not confirm {endpoint}: {_describe_transport(exc)} after the request was "
                f"sent, so it may or may not have been carried out.",
                provider=self.provider,
                endpoint=endpoint,
            ) from None
        if isinstance(exc, httpx.ReadTimeout):
            raise errors.ProviderUnavailable(
                f"{self.title} stopped answering {endpoint} (read timeout: no data arrived for too long). Try "
                f"again later; if it persists, check the network connection and the proxy settings in {PROXY_HINT}.",
                provider=self.provider,
                endpoint=endpoint,
                details=type(exc).__name__,
            ) from None
        raise errors.ProviderUnavailable(
            f"{self.title} could not be reached ({_describe_transport(exc)}). Check the network connection "
            f"and the proxy settings in {PROXY_HINT}, then try again.",
            provider=self.provider,
            endpoint=endpoint,
            details=type(exc).__name__,
        ) from None

    def status_error(self, response: httpx.Response, endpoint: str, *, write: bool = False) -> errors.ProviderError:
        """The core error for an HTTP error response (also for adapters' envelope errors)."""
        status = response.status_code
        try:
            message, code = self.error_parser(response)
        except Exception:  # noqa: BLE001 - a broken error body must not hide the status
            message, code = "", ""
        message = self._scrub(str(message or "").strip())[:500]
        said = f": {message.rstrip('.')}" if message else ""
        details = f"endpoint={endpoint} status={status}" + (f" code={code}" if code else "")

        def make(kind: type[E], text: str) -> E:
            return kind(
                text, provider=self.provider, endpoint=endpoint, status=status, details=details, code=str(code or "")
            )

        if status == 401:
            return make(
                errors.ProviderAuthError,
                f"{self.title} did not accept the credentials (HTTP 401{said}). Check the {self.title} "
                f"credentials in {SETTINGS_HINT}.",
            )
        if status == 403:
            return make(
                errors.ProviderAuthError,
                f"{self.title} refused access (HTTP 403{said}): the credentials are not allowed to do "
                f"this. Check the {self.title} account and credentials in {SETTINGS_HINT}.",
            )
        if status == 402:
            text = f"{self.title} could not take payment for {endpoint}{said or '.'}"
            payment = self.payment_parser(response, text, str(code))
            payment.provider, payment.endpoint, payment.details = self.provider, endpoint, details
            payment.code = str(code or "")
            return payment
        if status == 407:
            return make(
                errors.ProviderUnavailable,
                f"The proxy refused to forward the request to {self.title} (HTTP 407): it wants other "
                f"credentials. Check the proxy user and password in {PROXY_HINT}.",
            )
        if status == 404:
            return make(errors.NotFound, f"{self.title} has no such resource ({endpoint}, HTTP 404){said}.")
        if status == 409:
            return make(errors.Conflict, f"{self.title} reports a conflict ({endpoint}, HTTP 409){said}.")
        if status == 429:
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            wait = f" Wait {retry_after:.0f} s and try again." if retry_after is not None else " Try again later."
            return errors.RateLimited(
                f"{self.title} is limiting the request rate ({endpoint}).{wait}",
                retry_after=retry_after,
                provider=self.provider,
                endpoint=endpoint,
                status=status,
                details=details,
                code=str(code or ""),
            )
        if status >= 500 and write:
            return make(
                errors.OutcomeUnknown,
                f"{self.title} failed while handling {endpoint} (HTTP {status}{said}); it may or may not "
                f"have been carried out.",
            )
        if status >= 500:
            return make(
                errors.ProviderUnavailable,
                f"{self.title} is not available right now ({endpoint}, HTTP {status}{said}). Try again later.",
            )
        return make(errors.ProviderRejected, f"{self.title} rejected the request ({endpoint}, HTTP {status}){said}.")

    def _scrub(self, text: str) -> str:
        """Remove the authenticator's secrets from text meant for an exception."""
        secrets = getattr(self.authenticator, "secrets", None)
        if text and callable(secrets):
            for value in secrets():
                if value and len(value) >= 4:
                    text = text.replace(value, "***")
        return text


def write_with_lookup(
    send: Callable[[], T],
    lookup: Callable[[], Optional[T]],
    *,
    policy: Optional[RetryPolicy] = None,
    sleep: Callable[[float], None] = time.sleep,
    cancelled: Cancelled = never_cancelled,
    attempts: int = 3,
) -> T:
    """Run a non-idempotent write so that it takes effect at most once.

    When ``send`` ends with :class:`OutcomeUnknown` (answer lost after sending) or an
    unreadable success body, ``lookup`` (a read, by the client reference the write
    carried) decides: found, it is the result; not found after an unknown outcome, the
    write never happened and is sent again; not found after a success status, Nadir
    stops rather than risk a duplicate. A lookup that itself fails stops too.
    """
    policy = policy or RetryPolicy()
    last: errors.ProviderError | None = None
    for attempt in range(1, attempts + 1):
        if cancelled():
            raise errors.OperationCancelled()
        try:
            return send()
        except (errors.OutcomeUnknown, errors.InvalidResponse) as exc:
            last = exc
            LOGGER.debug("write outcome unknown (%s); looking it up", type(exc).__name__)
        sleep(policy.backoff(attempt))
        try:
            found = lookup()
        except errors.ProviderError as exc:
            assert last is not None
            raise errors.OutcomeUnknown(
                f"{last.message} Nadir could not check whether it was carried out ({exc.message}); look at the "
                f"orders list before trying again.",
                provider=last.provider,
                endpoint=last.endpoint,
                status=last.status,
            ) from None
        if found is not None:
            return found
        if isinstance(last, errors.InvalidResponse):
            raise last
    assert last is not None
    raise last
