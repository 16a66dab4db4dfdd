"""Sign-in limits that stop guessing without letting anyone lock a user out.

* Per (user name, client address): after `pair_limit` failures within `window` seconds
  that address may not try that name again until the oldest failure ages out.
* Per client address: after `address_limit` failures (any names) the address is stopped.
* Per user name alone nothing is ever refused, since anyone can fail for any name: after
  `name_limit` failures for a name, every attempt for it first waits `delay_seconds`.

So a right password from an address that has not failed is always accepted (perhaps a
second later). Requests sent at once must not slip past the limits while their passwords
are being checked (an Argon2 check takes a while): an attempt counts against its (name,
address) pair from the moment it starts (`attempt`) and is forgiven when the password
was right (`finished`), and one address may have at most `max_in_flight` attempts under
way at once. The in-flight cap is generous, so that many people behind one address (a
hospital's NAT) signing in at the same moment are not refused. An IPv6 address counts as
its /64 network, which whoever has one address usually holds whole.

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
                 max_in_flight: int = 50,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.pair_limit = pair_limit
        self.max_in_flight = max_in_flight
        self._in_flight: dict[str, int] = {}
        self.address_limit = address_limit
        self.name_limit = name_limit
        self.window = window
        self.delay_seconds = delay_seconds
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def attempt(self, name: str, address: str) -> bool:
        """False when this address may not try this name now; else True, and the attempt
        counts against the pair until `finished` says it was right (checked and counted
        under one lock, so concurrent attempts see each other). Every True must be
        followed by one `finished`."""
        address_key = _address(address)
        with self._lock:
            if (self._count(_pair(name, address)) >= self.pair_limit
                    or self._count(address_key) >= self.address_limit
                    or self._in_flight.get(address_key, 0) >= self.max_in_flight):
                return False
            self._record(_pair(name, address))
            self._in_flight[address_key] = self._in_flight.get(address_key, 0) + 1
            return True

    def finished(self, name: str, address: str, right: bool) -> None:
        """The attempt's password was right (forgiven, with that address's earlier
        failures for that name) or not (a failure of the address and the name too)."""
        address_key = _address(address)
        with self._lock:
            left = self._in_flight.pop(address_key, 1) - 1
            if left > 0:
                self._in_flight[address_key] = left
            if right:
                self._failures.pop(_pair(name, address), None)
            else:
                self._record(address_key)
                self._record(_name(name))

    def delay(self, name: str) -> float:
        """Seconds to wait before checking a password for `name` (0: not under attack)."""
        with self._lock:
            return self.delay_seconds if self._count(_name(name)) >= self.name_limit else 0.0

    def _record(self, key: str) -> None:
        if len(self._failures) >= MAX_KEYS:
            self._make_room()
        # Re-inserted: the dict's order is then the order of the latest failures.
        failures = self._failures.pop(key, None) or deque(maxlen=100)
        failures.append(self.clock())  # a bounded record per key: the limits need no more
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
        # Still full: forget the longest quiet, leaving room for the key to be recorded.
        while len(self._failures) > MAX_KEYS - 1:
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
