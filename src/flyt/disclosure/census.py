"""Disclosure control of a census: counts of people at one moment per municipality (the
snapshot's UKP patients in hospital now, spec/kpi.md).

A count of 1 to threshold - 1 is hidden (one patient's wait is that person's); when that
hides exactly one line, the next smallest is hidden too, so that the total, which is
shown, does not give it away. A municipality's own edition shows its own line exact
(its reader knows it) and hides the others as if that line were shown.
"""

from __future__ import annotations

from collections.abc import Mapping


def hidden_lines(counts: Mapping[str, int], threshold: int,
                 exact: str | None = None) -> set[str]:
    """The lines (keys of ``counts``) to hide; ``exact``: the edition's own line."""
    small = {line for line, count in counts.items()
             if 0 < count < threshold and line != exact}
    if len(small) == 1:  # the total minus the others would give it away
        others = sorted((count, line) for line, count in counts.items()
                        if count > 0 and line not in small | {exact})
        if others:
            small.add(others[0][1])
    return small
