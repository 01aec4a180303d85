"""Failure policy shared by every adapter: pure, no I/O.

What is retried:

- **reads** (GET, searches, estimates, token grants, downloads): transport errors,
  timeouts and 5xx, with jittered exponential backoff capped at ``max_delay``, for at
  most ``max_attempts`` attempts in all; 429 waits for ``Retry-After`` (seconds or an
  HTTP date) when it is at most ``max_retry_after`` seconds, at most
  ``rate_limit_attempts`` times;
- **writes** (placing or cancelling an order): only what provably never reached the
  server's handler: a connection that could not be opened, and 429 (rejected before
  processing). A timeout, a dropped response or a 5xx after sending leaves the outcome
  unknown; the write is then retried only with the same idempotency key, where the
  provider supports one. Otherwise the adapter looks the order up by its client
  reference before sending again (:func:`providers.http.write_with_lookup`).

Never retried: 4xx other than 429 (401 is refreshed once by the authenticator, not
retried blindly), 402 in particular.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from enum import Enum


class Failure(str, Enum):
    """What went wrong with one attempt, as far as retrying is concerned."""

    NOT_SENT = "not_sent"  # connection refused/unreachable, connect timeout, pool timeout
    TRANSPORT = "transport"  # timeout or connection lost after the request was sent
    SERVER = "server"  # HTTP 5xx
    RATE_LIMITED = "rate_limited"  # HTTP 429
    FINAL = "final"  # anything else: never retried


def classify_status(status: int) -> Failure:
    if status == 429:
        return Failure.RATE_LIMITED
    if 500 <= status <= 599:
        return Failure.SERVER
    return Failure.FINAL


@dataclass(frozen=True)
class RetryPolicy:
    """Attempt limits and waits. Defaults suit an interactive plugin; tests shrink them."""

    max_attempts: int = 4  # attempts in all for one read (3 retries)
    base_delay: float = 0.5  # seconds before the first retry (before jitter)
    max_delay: float = 8.0  # cap of one backoff wait
    max_retry_after: float = 60.0  # longest Retry-After honoured; longer fails at once
    rate_limit_attempts: int = 3  # 429s waited through in one call
    default_retry_after: float = 2.0  # when a 429 carries no usable Retry-After

    def should_retry(self, failure: Failure, attempt: int, *, write: bool, idempotent: bool = False) -> bool:
        """Retry after the ``attempt``-th failure (1-based) of this kind?

        For :attr:`Failure.RATE_LIMITED` ``attempt`` counts the 429s of the call, which
        have their own limit; for the others it counts the other failed attempts.
        ``idempotent`` means the write carries an idempotency key the provider honours,
        so repeating it cannot create a second resource.
        """
        if failure is Failure.FINAL:
            return False
        if failure is Failure.RATE_LIMITED:
            return attempt <= self.rate_limit_attempts
        if attempt >= self.max_attempts:
            return False
        if not write or idempotent:
            return True
        return failure is Failure.NOT_SENT

    def backoff(self, attempt: int, rng: Callable[[], float] = random.random) -> float:
        """Wait before retry number ``attempt`` (1-based): "equal jitter" exponential.

        Half the exponential step is fixed, half random, so waits never collapse to zero
        and concurrent clients spread out; never more than ``max_delay``.
        """
        step = min(self.max_delay, self.base_delay * 2.0 ** max(0, attempt - 1))
        return step / 2 + rng() * step / 2

    def rate_limit_wait(self, retry_after: float | None) -> float | None:
        """Seconds to wait for a 429, or None when the wait is too long to sit through."""
        wait = self.default_retry_after if retry_after is None else retry_after
        return wait if wait <= self.max_retry_after else None


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds from now: delta-seconds or an HTTP date; None if unusable."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if seconds == seconds else None  # NaN is unusable

    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    current = now or datetime.now(timezone.utc)
    return max(0.0, (when - current).total_seconds())


@dataclass(frozen=True)
class Deadlines:
    """Wall-clock limits of one call, on top of httpx's per-read timeout.

    httpx times out only a single socket read, so a server that answers 200 and then
    trickles its body one byte at a time never times out. These limits bound the call
    as a whole:

    - ``call``: an API call (JSON or any body read whole), from the first attempt to
      the last byte of the answer, retries and waits included;
    - ``stream``: a streamed answer (NDJSON search), from the call to its last line;
    - downloads have no total (a multi-GB file on a slow line may rightly take hours):
      each attempt must get its headers within ``call``, and the body must bring at
      least ``stall_bytes`` every ``stall_window`` seconds, or the download stops (the
      ``.part`` file stays for a resume). The defaults, 256 KiB per 60 s (about 4 KiB/s),
      only stop a transfer that is effectively stalled.

    A server that sends nothing at all is still caught by the per-read timeout.
    """

    call: float = 120.0
    stream: float = 300.0
    stall_window: float = 60.0
    stall_bytes: int = 256 * 1024


class Clock:
    """The deadline of one call: ``remaining()`` seconds, ``expired()``."""

    def __init__(self, seconds: float, now: Callable[[], float]) -> None:
        self.seconds = seconds
        self._now = now
        self.end = now() + seconds

    def remaining(self) -> float:
        return self.end - self._now()

    def expired(self) -> bool:
        return self.remaining() <= 0


class StallWatch:
    """Downloads: at least ``stall_bytes`` must arrive every ``stall_window`` seconds.

    ``stalled(done)`` after each chunk: True when the last ``stall_bytes`` took longer
    than the window to arrive.
    """

    def __init__(self, deadlines: Deadlines, now: Callable[[], float], done: int = 0) -> None:
        self.window = deadlines.stall_window
        self.need = deadlines.stall_bytes
        self._now = now
        self._mark_time = now()
        self._mark_bytes = done

    def stalled(self, done: int) -> bool:
        now = self._now()
        if done - self._mark_bytes >= self.need:
            self._mark_time, self._mark_bytes = now, done
            return False
        return now - self._mark_time > self.window
