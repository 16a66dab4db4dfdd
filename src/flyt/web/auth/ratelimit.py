"""Sign-in limits that stop guessing without letting anyone lock a user out.

* Per (user name, client address): after `pair_limit` failures within `window` seconds
  that address may not try that name again until the oldest failure ages out.
* Per client address: after `address_limit` failures (any names) the address is stopped.
* Per user name alone nothing is ever refused, since anyone can fail for any name: after
  `name_limit` failures for a name, every attempt for it first waits `delay_seconds`.

So a right password from an address that has not failed is always accepted (perhaps a
second later). In memory and per process (docs/web-security.md): with several workers
an attacker gets the limits once per worker; a restart forgets the counts.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

# Keys kept at most: a sweep of quiet keys runs past this, so an attacker who tries a
# million names cannot fill the memory.
MAX_KEYS = 10_000


class SignInLimiter:
    def __init__(self, pair_limit: int = 5, address_limit: int = 20, name_limit: int = 5,
                 window: float = 15 * 60, delay_seconds: float = 1.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.pair_limit = pair_limit
        self.address_limit = address_limit
        self.name_limit = name_limit
        self.window = window
        self.delay_seconds = delay_seconds
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def blocked(self, name: str, address: str) -> bool:
        """True when this address may not try this name now."""
        with self._lock:
            return (self._count(_pair(name, address)) >= self.pair_limit
                    or self._count(_address(address)) >= self.address_limit)

    def delay(self, name: str) -> float:
        """Seconds to wait before checking a password for `name` (0: not under attack)."""
        with self._lock:
            return self.delay_seconds if self._count(_name(name)) >= self.name_limit else 0.0

    def failed(self, name: str, address: str) -> None:
        with self._lock:
            if len(self._failures) >= MAX_KEYS:
                self._sweep()
            now = self.clock()
            for key in (_pair(name, address), _address(address), _name(name)):
                # A bounded record per key: the limits never need more.
                self._failures.setdefault(key, deque(maxlen=100)).append(now)

    def succeeded(self, name: str, address: str) -> None:
        """A right password: that address's failures for that name are forgiven."""
        with self._lock:
            self._failures.pop(_pair(name, address), None)

    def _count(self, key: str) -> int:
        failures = self._failures.get(key)
        if failures is None:
            return 0
        oldest_kept = self.clock() - self.window
        while failures and failures[0] <= oldest_kept:
            failures.popleft()
        if not failures:  # forget quiet keys: memory stays bounded
            del self._failures[key]
        return len(failures)

    def _sweep(self) -> None:
        for key in list(self._failures):
            self._count(key)


def _normal(name: str) -> str:
    return name.strip().lower()


def _pair(name: str, address: str) -> str:
    return f"pair:{address}:{_normal(name)}"


def _address(address: str) -> str:
    return f"ip:{address}"


def _name(name: str) -> str:
    return f"name:{_normal(name)}"
