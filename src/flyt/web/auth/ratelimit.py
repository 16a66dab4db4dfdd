"""Sign-in limits that stop guessing without letting anyone lock a user out.

* Per (user name, client address): after `pair_limit` failures within `window` seconds
  that address may not try that name again until the oldest failure ages out.
* Per client address: after `address_limit` failures (any names) the address is stopped.
* Per user name alone nothing is ever refused, since anyone can fail for any name: after
  `name_limit` failures for a name, every attempt for it first waits `delay_seconds`.

So a right password from an address that has not failed is always accepted (perhaps a
second later). An attempt counts as a failure from the moment it starts (`attempt`) and
is forgiven when the password was right (`succeeded`): requests sent at once cannot slip
past the limit while their passwords are being checked. An IPv6 address counts as its
/64 network, which whoever has one address usually holds whole.

In memory and per process (docs/web-security.md): with several workers an attacker gets
the limits once per worker; a restart forgets the counts.
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections import deque
from collections.abc import Callable

# Keys kept at most: past this, quiet keys are swept and then the keys that failed
# longest ago are dropped, so an attacker who tries a million names cannot fill the
# memory (a few hundred bytes a key).
MAX_KEYS = 50_000


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

    def attempt(self, name: str, address: str) -> bool:
        """False when this address may not try this name now; else True, and the attempt
        counts as a failure until `succeeded` forgives it (checked and counted under one
        lock, so concurrent attempts see each other)."""
        with self._lock:
            if (self._count(_pair(name, address)) >= self.pair_limit
                    or self._count(_address(address)) >= self.address_limit):
                return False
            self._record(name, address)
            return True

    def delay(self, name: str) -> float:
        """Seconds to wait before checking a password for `name` (0: not under attack)."""
        with self._lock:
            return self.delay_seconds if self._count(_name(name)) >= self.name_limit else 0.0

    def succeeded(self, name: str, address: str) -> None:
        """A right password: the attempt is forgiven, and so are that address's earlier
        failures for that name."""
        with self._lock:
            self._failures.pop(_pair(name, address), None)
            for key in (_address(address), _name(name)):
                failures = self._failures.get(key)
                if failures:
                    failures.pop()

    def _record(self, name: str, address: str) -> None:
        if len(self._failures) >= MAX_KEYS:
            self._make_room()
        now = self.clock()
        for key in (_pair(name, address), _address(address), _name(name)):
            # Re-inserted: the dict's order is then the order of the latest failures.
            failures = self._failures.pop(key, None) or deque(maxlen=100)
            failures.append(now)  # a bounded record per key: the limits never need more
            self._failures[key] = failures

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

    def _make_room(self) -> None:
        for key in list(self._failures):
            self._count(key)
        # Still full: forget the longest quiet, leaving room for the 3 keys of an attempt.
        while len(self._failures) > MAX_KEYS - 3:
            del self._failures[next(iter(self._failures))]


def _normal(name: str) -> str:
    return name.strip().lower()


def _network(address: str) -> str:
    """An IPv4 address as it is, an IPv6 address as its /64 network."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address  # not an address (a test client, a Unix socket): itself
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _pair(name: str, address: str) -> str:
    return f"pair:{_network(address)}:{_normal(name)}"


def _address(address: str) -> str:
    return f"ip:{_network(address)}"


def _name(name: str) -> str:
    return f"name:{_normal(name)}"
