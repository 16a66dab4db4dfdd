"""Disclosure control of a census (flyt.disclosure.census): the snapshot's counts per
municipality, hidden below the threshold, and a second line when one alone is small."""

from __future__ import annotations

from flyt.disclosure.census import hidden_lines

# Malvik 1, Melhus 6, Trondheim 9, Skaun none.
COUNTS = {"5031": 1, "5028": 6, "5001": 9, "5029": 0}


def test_one_small_municipality_alone_takes_the_next_smallest_with_it():
    # Malvik (1) is under 5; alone, it would be the total minus the others: Melhus (6),
    # the next smallest, goes with it.
    assert hidden_lines(COUNTS, 5) == {"5031", "5028"}


def test_two_small_municipalities_hide_each_other_and_nothing_more():
    assert hidden_lines({"5031": 1, "5028": 3, "5001": 9}, 5) == {"5031", "5028"}


def test_a_municipality_with_no_patients_is_neither_hidden_nor_taken_along():
    assert hidden_lines({"5031": 2, "5029": 0}, 5) == {"5031"}


def test_the_own_edition_shows_its_line_and_hides_the_others_as_if_it_were_shown():
    # Malvik's own edition: its 1 is exact, so nothing else is small and nothing hidden.
    assert hidden_lines(COUNTS, 5, exact="5031") == set()
    # Melhus's edition: Malvik (1) is small and alone among the others, so the next
    # smallest that Melhus does not know, Trondheim (9), goes with it.
    assert hidden_lines(COUNTS, 5, exact="5028") == {"5031", "5001"}


def test_a_threshold_of_one_hides_nothing():
    assert hidden_lines(COUNTS, 1) == set()
