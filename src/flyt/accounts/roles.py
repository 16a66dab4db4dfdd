"""Who a signed-in user is, and the roles there are.

Roles: admin; analyst (all data, imports); municipality (bound to one municipality: its
exact figures and its own current UKP patients); reader (the shared, suppressed figures);
gp (a GP party, `fastlege-<kommunenummer>`), improvement (the improvement group,
forbedringsgruppen) and competence (the competence group, kompetansegruppen, which drives
the action plan: it edits the plan as analysts do), who see the UKP pages as a reader does.

Each user acts for one organisation (spec/deviations.md, "Organisations"): the deviations
it reports and receives are theirs (flyt.deviations.access).
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("admin", "analyst", "municipality", "reader", "gp", "improvement", "competence")
# The hospital's org_id: admins and analysts act for it unless told otherwise.
HOSPITAL = "stolav"
# Roles that get the UKP pages' shared edition (suppressed, aggregated) and nothing more:
# no exact figures, no patient rows, no payment basis.
SHARED_EDITION_ROLES = ("reader", "gp", "improvement", "competence")
# Roles that may change the action plan (spec/plan.md: analysts and the competence group).
PLAN_EDITOR_ROLES = ("admin", "analyst", "competence")


def default_organisation(role: str, municipality: str | None) -> str | None:
    """The organisation a user of `role` acts for when none is given: a municipality
    user its municipality, the hospital's staff the hospital, others none (a `gp` must
    name its GP party; the improvement group has none of its own)."""
    if role == "municipality":
        return municipality
    if role in ("admin", "analyst"):
        return HOSPITAL
    return None


@dataclass(frozen=True)
class User:
    name: str
    role: str  # one of ROLES
    municipality: str | None = None  # the kommunenummer of a municipality user
    # The org_id the user acts for; None: derived from the role (default_organisation).
    organisation: str | None = None

    def __post_init__(self) -> None:
        if self.organisation is None:
            object.__setattr__(self, "organisation",
                               default_organisation(self.role, self.municipality))

    @property
    def sees_exact(self) -> bool:
        """Exact figures for the whole community (the hospital's analysts)."""
        return self.role in ("admin", "analyst")

    @property
    def shared_edition_only(self) -> bool:
        """Only the shared figures a reader gets (readers, GPs, the improvement and the
        competence group)."""
        return self.role in SHARED_EDITION_ROLES

    @property
    def edits_plan(self) -> bool:
        """May change the action plan's measures, activities and statuses."""
        return self.role in PLAN_EDITOR_ROLES

    @property
    def own_municipality(self) -> str | None:
        """The municipality whose edition this user gets (its rows exact); None: the
        hospital's or the shared edition."""
        return self.municipality if self.role == "municipality" else None

    def own(self, municipality: str) -> bool:
        return self.own_municipality == municipality
