"""Who a signed-in user is, and the roles there are.

Roles: admin; analyst (all data, imports); municipality (bound to one municipality: its
exact figures and its own current UKP patients); reader (the shared, suppressed figures).
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("admin", "analyst", "municipality", "reader")


@dataclass(frozen=True)
class User:
    name: str
    role: str  # admin | analyst | municipality | reader
    municipality: str | None = None  # the kommunenummer of a municipality user

    @property
    def sees_exact(self) -> bool:
        """Exact figures for the whole community (the hospital's analysts)."""
        return self.role in ("admin", "analyst")

    @property
    def own_municipality(self) -> str | None:
        """The municipality whose edition this user gets (its rows exact); None: the
        hospital's or the shared edition."""
        return self.municipality if self.role == "municipality" else None

    def own(self, municipality: str) -> bool:
        return self.own_municipality == municipality
