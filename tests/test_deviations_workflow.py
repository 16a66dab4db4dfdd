"""The workflow of a deviation (spec/deviations.md, "Workflow"): every step it allows,
by the side that may take it, and every other one refused with its reason."""

from __future__ import annotations

import itertools

import pytest

from flyt.deviations.errors import TransitionRefused
from flyt.deviations.workflow import check, next_statuses

STATUSES = ("meldt", "mottatt", "under_behandling", "besvart", "lukket", "avvist",
            "gjenapnet")
SIDES = ("reporter", "receiver", "system")
# Written from the spec's diagram, not from the code: (from, to) → the sides that may.
ALLOWED = {
    ("meldt", "mottatt"): {"receiver"},
    ("mottatt", "under_behandling"): {"receiver"},
    ("under_behandling", "besvart"): {"receiver"},
    ("besvart", "lukket"): {"reporter", "system"},
    ("meldt", "avvist"): {"receiver"},
    ("mottatt", "avvist"): {"receiver"},
    ("under_behandling", "avvist"): {"receiver"},
    ("besvart", "gjenapnet"): {"reporter"},
    ("lukket", "gjenapnet"): {"reporter"},
    ("avvist", "gjenapnet"): {"reporter"},
    ("gjenapnet", "under_behandling"): {"receiver"},
}


@pytest.mark.parametrize(("current", "to", "side"), [
    (current, to, side) for (current, to), sides in ALLOWED.items() for side in sorted(sides)])
def test_every_step_of_the_workflow_is_allowed_to_its_side(current, to, side):
    check(current, to, side, answer="Rutinen er endret.", reason="Gjelder ikke oss.")


@pytest.mark.parametrize(("current", "to"), [
    pair for pair in itertools.product(STATUSES, STATUSES) if pair not in ALLOWED])
def test_every_step_outside_the_workflow_is_refused_by_every_side(current, to):
    for side in SIDES:
        with pytest.raises(TransitionRefused) as refused:
            check(current, to, side, answer="Svar.", reason="Grunn.")
        assert refused.value.message("nb") == (
            f"Et avvik med status «{current}» kan ikke få status «{to}».")


@pytest.mark.parametrize(("current", "to", "side"), [
    (current, to, side) for (current, to), sides in ALLOWED.items()
    for side in SIDES if side not in sides])
def test_a_step_of_the_other_side_is_refused_naming_who_may(current, to, side):
    with pytest.raises(TransitionRefused) as refused:
        check(current, to, side, answer="Svar.", reason="Grunn.")
    expected = {
        "reporter": f"Only the receiver can change the status from \"{current}\" to \"{to}\".",
        "receiver": f"Only the reporter can change the status from \"{current}\" to \"{to}\".",
        "system": f"The status change \"{current}\" → \"{to}\" is not made automatically.",
    }[side]
    assert refused.value.message("en") == expected


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_rejection_without_a_reason_is_refused(reason):
    with pytest.raises(TransitionRefused) as refused:
        check("mottatt", "avvist", "receiver", reason=reason)
    assert refused.value.message("nb") == "Et avvik kan bare avvises med en begrunnelse."


@pytest.mark.parametrize("answer", [None, "", "\n"])
def test_an_answer_step_without_a_written_answer_is_refused(answer):
    with pytest.raises(TransitionRefused) as refused:
        check("under_behandling", "besvart", "receiver", answer=answer)
    assert refused.value.message("en") == (
        "A deviation can only be answered with a written answer.")


def test_an_unknown_status_is_refused_naming_it():
    with pytest.raises(TransitionRefused, match="ferdig"):
        check("meldt", "ferdig", "receiver")


def test_each_side_is_offered_only_its_own_next_steps():
    assert next_statuses("meldt", "receiver") == ("mottatt", "avvist")
    assert next_statuses("meldt", "reporter") == ()
    assert next_statuses("besvart", "reporter") == ("lukket", "gjenapnet")
    assert next_statuses("besvart", "receiver") == ()
    assert next_statuses("gjenapnet", "receiver") == ("under_behandling",)
    assert next_statuses("besvart", "system") == ("lukket",)
