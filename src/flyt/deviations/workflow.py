"""The workflow of a deviation (spec/deviations.md, "Workflow"), pure: no I/O.

    meldt → mottatt → under_behandling → besvart → lukket
    meldt | mottatt | under_behandling → avvist   (reason required)
    besvart | lukket | avvist → gjenapnet → under_behandling

Which side moves (docs/deviations.md): the receiver acknowledges, handles, answers,
rejects and resumes a reopened deviation; the reporter closes and reopens. The only
step the system takes is the automatic close of an answered deviation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from flyt.deviations.codes import STATUSES
from flyt.deviations.errors import TransitionRefused

Side = Literal["reporter", "receiver", "system"]

# to-status → (the statuses it may come from, the side that may take it)
TRANSITIONS: Mapping[str, tuple[frozenset[str], frozenset[str]]] = {
    "mottatt": (frozenset({"meldt"}), frozenset({"receiver"})),
    "under_behandling": (frozenset({"mottatt", "gjenapnet"}), frozenset({"receiver"})),
    "besvart": (frozenset({"under_behandling"}), frozenset({"receiver"})),
    "avvist": (frozenset({"meldt", "mottatt", "under_behandling"}), frozenset({"receiver"})),
    "lukket": (frozenset({"besvart"}), frozenset({"reporter", "system"})),
    "gjenapnet": (frozenset({"besvart", "lukket", "avvist"}), frozenset({"reporter"})),
}


# The refusal when the step is the other side's (or not the system's to take).
_NOT_THIS_SIDE: Mapping[str, str] = {
    "reporter": "dev_transition_not_reporter",
    "receiver": "dev_transition_not_receiver",
    "system": "dev_transition_not_system",
}


def allowed(current: str, to: str) -> bool:
    """Whether the workflow has the step current → to (whoever takes it)."""
    return to in TRANSITIONS and current in TRANSITIONS[to][0]


def next_statuses(current: str, side: Side) -> tuple[str, ...]:
    """The steps `side` may take from `current`, in the workflow's order (for buttons)."""
    return tuple(to for to in STATUSES if allowed(current, to) and side in TRANSITIONS[to][1])


def check(current: str, to: str, side: Side, *, answer: str | None = None,
          reason: str | None = None) -> None:
    """Refuse (TransitionRefused, a specific reason) unless `side` may move the
    deviation from `current` to `to` with what it gives."""
    if to not in STATUSES:
        raise TransitionRefused("dev_unknown_status", status=to, known=", ".join(STATUSES))
    if not allowed(current, to):
        raise TransitionRefused("dev_transition_not_allowed", current=current, to=to)
    if side not in TRANSITIONS[to][1]:
        raise TransitionRefused(_NOT_THIS_SIDE[side], current=current, to=to)
    if to == "avvist" and not (reason or "").strip():
        raise TransitionRefused("dev_reason_required")
    if to == "besvart" and not (answer or "").strip():
        raise TransitionRefused("dev_answer_required")
