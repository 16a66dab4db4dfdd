"""Empirical samples drawn from by group, vectorised: the model resamples observed waits
and lengths of stay instead of fitting a distribution to them (their long tails are what
the KPIs are about)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# Keys of (group, value) in one sorted array: values stay far below this.
_SPAN = 1 << 32


@dataclass(frozen=True)
class Pool:
    """Whole-day samples per group: group g's values are ``values[start[g]:start[g] +
    count[g]]``, ascending. Every group has at least one value."""

    values: np.ndarray  # int64
    start: np.ndarray  # int64, per group
    count: np.ndarray  # int64, per group
    tags: np.ndarray  # int64 beside each value (e.g. the unit a length was seen in)

    @classmethod
    def of(cls, groups: Sequence[np.ndarray], tags: Sequence[np.ndarray] | None = None
           ) -> Pool:
        """One pool from each group's samples (and their tags); an empty group is refused."""
        if any(len(g) == 0 for g in groups):
            raise ValueError("every group of a pool needs a sample")
        tagged = tags or [np.zeros(len(g), dtype=np.int64) for g in groups]
        orders = [np.argsort(np.asarray(g), kind="stable") for g in groups]
        values = np.concatenate([np.asarray(g, dtype=np.int64)[o]
                                 for g, o in zip(groups, orders, strict=True)])
        tag = np.concatenate([np.asarray(t, dtype=np.int64)[o]
                              for t, o in zip(tagged, orders, strict=True)])
        count = np.array([len(g) for g in groups], dtype=np.int64)
        start = np.concatenate([[0], np.cumsum(count)[:-1]]).astype(np.int64)
        return cls(values, start, count, tag)

    def draw(self, u: np.ndarray, group: np.ndarray) -> np.ndarray:
        """One value per entry of ``group``, uniformly from that group's samples, chosen
        by the uniform numbers ``u`` (the caller's dice, so that two runs can share them);
        the positions (for ``tags``) with ``draw_at``."""
        return self.values[self.draw_at(u, group)]

    def draw_at(self, u: np.ndarray, group: np.ndarray) -> np.ndarray:
        n = self.count[group]
        return self.start[group] + np.minimum((u * n).astype(np.int64), n - 1)

    def draw_above(self, u: np.ndarray, group: np.ndarray, above: np.ndarray) -> np.ndarray:
        """A value > ``above`` from the group's samples (the rest of a wait or a stay
        under way, given how long it has lasted); where none is that long, ``above`` + a
        geometric tail with mean ``above`` / 2 + 1 (the sample cannot say more)."""
        group = np.asarray(group, dtype=np.int64)
        above = np.asarray(above, dtype=np.int64)
        owner = np.repeat(np.arange(len(self.count), dtype=np.int64), self.count)
        keyed = owner * _SPAN + self.values
        first = np.searchsorted(keyed, group * _SPAN + above, side="right")
        end = self.start[group] + self.count[group]
        left = end - first
        pick = first + np.minimum((u * np.maximum(left, 1)).astype(np.int64),
                                  np.maximum(left - 1, 0))
        found = self.values[np.minimum(pick, len(self.values) - 1)]
        tail = above + _geometric(u, 1.0 / (above / 2.0 + 1.0))
        return np.where(left > 0, found, tail)


def _geometric(u: np.ndarray, p: np.ndarray) -> np.ndarray:
    """1, 2, ... with success chance p, from uniform numbers (inverse distribution)."""
    with np.errstate(divide="ignore"):
        return np.maximum(np.ceil(np.log1p(-u) / np.log1p(-np.minimum(p, 1 - 1e-12))),
                          1).astype(np.int64)


def stochastic_round(u: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Whole days with the same mean: 2.3 becomes 2 seven times in ten and 3 three times
    (by the uniform numbers ``u``)."""
    low = np.floor(values)
    return (low + (u < values - low)).astype(np.int64)
