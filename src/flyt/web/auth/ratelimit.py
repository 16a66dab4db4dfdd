"""Rate-limited sign-in: after `limit` failures within `window` seconds for one user
name or one client address, further attempts get 429 until the oldest failure ages out.

In memory and per process (docs/web-security.md): with several workers an attacker gets
`limit` tries per worker, which still stops guessing; a restart forgets the counts.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable


class FailureLimiter:
    def __init__(self, limit: int = 5, window: float = 15 * 60,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def blocked(self, *keys: str) -> bool:
        with self._lock:
            return any(self._count(key) >= self.limit for key in keys)

    def fail(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures[key].append(self.clock())

    def clear(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def _count(self, key: str) -> int:
        failures = self._failures.get(key)
        if failures is None:
            return 0
        while failures and failures[0] <= self.clock() - self.window:
            failures.popleft()
        if not failures:  # forget quiet keys: memory stays bounded
            del self._failures[key]
        return len(failures)
