"""The linear algebra of disclosure control (flyt.disclosure.gauss): hand-worked
systems, and a property test against an independent exact rational reference."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from flyt.disclosure.gauss import disclosed, suppress
from tests.support.linalg import in_span


def col(*atoms: int, coefficient: int = 1) -> dict[int, int]:
    return dict.fromkeys(atoms, coefficient)


# Region T = A + B + C over atoms a=0, b=1, c=2.
T, A, B, C = col(0, 1, 2), col(0), col(1), col(2)


def test_a_second_cell_is_hidden_when_the_total_and_the_others_would_give_a_primary_away():
    # Wanted shown in the order T, B, C: with T and B shown, C would give A = T - B - C.
    assert suppress([T, A, B, C], primary=[1], order=[0, 2, 3]) == {3}


def test_the_last_wanted_cell_is_the_one_hidden():
    assert suppress([T, A, B, C], primary=[1], order=[0, 3, 2]) == {2}
    # Wanting the parts more than the total hides the total.
    assert suppress([T, A, B, C], primary=[1], order=[2, 3, 0]) == {0}


def test_a_cell_equal_to_a_primary_one_is_hidden_with_it():
    region, only_municipality = col(0), col(0)
    assert suppress([only_municipality, region], primary=[0], order=[1]) == {1}


def test_integer_multiples_count_as_the_same_cell():
    # 2a + 2b shown gives a + b (a primary) away: the span is over the rationals.
    assert suppress([col(0, 1), col(0, 1, coefficient=2)], primary=[0], order=[1]) == {1}


def test_the_audit_finds_a_hidden_cell_given_away_by_subtraction_and_no_other():
    assert disclosed([T, A, B, C], shown=[0, 2, 3], hidden=[1]) == {1}
    assert disclosed([T, A, B, C], shown=[0, 2], hidden=[1, 3]) == set()
    # A - B is shown (a difference): with B shown, A is known.
    assert disclosed([col(0), col(1), {0: 1, 1: -1}], shown=[1, 2], hidden=[0]) == {0}


# --- against an exact reference -----------------------------------------------------------


columns_strategy = st.lists(
    st.dictionaries(st.integers(0, 7), st.sampled_from([1, 1, 1, 2, -1]), min_size=1,
                    max_size=5), min_size=2, max_size=12)


@settings(max_examples=150, deadline=None)
@given(columns_strategy, st.data())
def test_every_hidden_cell_ends_outside_the_span_of_the_shown_ones(columns, data):
    n = len(columns)
    primary = data.draw(st.sets(st.integers(0, n - 1), max_size=3))
    order = data.draw(st.permutations([j for j in range(n) if j not in primary]))
    secondary = suppress(columns, primary, order)
    shown = [columns[j] for j in range(n) if j not in primary and j not in secondary]
    for j in primary | secondary:
        assert not in_span(columns[j], shown)
    # Each secondary cell was needed: shown at its turn, it would have given a primary away.
    for j in secondary:
        before = [columns[k] for k in order[:order.index(j)] if k not in secondary]
        assert any(in_span(columns[p], before + [columns[j]]) for p in primary)


@settings(max_examples=150, deadline=None)
@given(columns_strategy, st.data())
def test_the_audit_agrees_with_exact_rational_arithmetic(columns, data):
    n = len(columns)
    hidden = data.draw(st.sets(st.integers(0, n - 1)))
    shown = [j for j in range(n) if j not in hidden]
    expected = {j for j in hidden if in_span(columns[j], [columns[k] for k in shown])}
    assert disclosed(columns, shown, hidden) == expected
