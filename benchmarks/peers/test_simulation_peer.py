"""The SimPy peer of the what-if model (simulation_simpy.py) against Flyt's model and
answers worked out by hand, on parameters made by hand (those of
tests/test_simulation_model.py: no store, no uncertainty of the levels). Not part of the
suite (tests/): run it on its own, with the peers' venv made by benchmarks/simulation.py,

    pytest benchmarks/peers/test_simulation_peer.py -q
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

import simulation  # noqa: E402

from tests.test_simulation_model import SHORT, erlang_c_wait, params, run  # noqa: E402


def test_a_fixed_wait_of_three_days_is_three_days_in_both(tmp_path: Path) -> None:
    """One patient a day (Poisson), every wait 3 days, all home: KPI 3 is 3 in every
    replication; KPI 1 is 3 days a patient, 366 x 3 = 1 098 a replication less the
    last days' patients cut at 31.12 (and the Poisson noise, within 5 %)."""
    p = params(wait=3)
    simulation.export(p, 20, tmp_path / "p.npz", date(2024, 1, 1), date(2024, 12, 31))
    peer, _, _ = simulation.run_peer(tmp_path / "p.npz")
    assert np.all(peer.kpi3 == 3.0)
    assert peer.kpi1.mean() == pytest.approx(1098, rel=0.05)
    flyt = simulation.Community.of(run(p, replications=20))
    assert flyt.kpi1.mean() == pytest.approx(peer.kpi1.mean(), rel=0.05)


def test_a_single_bed_queue_agrees_with_flyt_and_erlang_c(tmp_path: Path) -> None:
    """Poisson arrivals of 0.6 a day to 8 beds, geometric lengths of mean 10 days, no own
    wait, three years, 100 replications: the mean wait for a bed (KPI 3) of the peer
    within 15 % of Flyt's and within 20 % of Erlang C's 1.82 days (whole days and the
    empty start shorten it). One replication's mean wait varies by about 1 day, so 100
    replications know the mean to about 6 %; the seed makes the outcome fixed."""
    lengths = np.random.default_rng(3).geometric(0.1, size=200_000)
    p = params(rate=0.6, destination=SHORT, zero=1.0, beds=8, lengths=lengths)
    last = date(2026, 12, 31)
    simulation.export(p, 100, tmp_path / "p.npz", date(2024, 1, 1), last)
    peer, _, _ = simulation.run_peer(tmp_path / "p.npz")
    out = run(p, last=last, replications=100)
    flyt = out.days_of_discharged.sum() / out.discharged.sum()
    expected = erlang_c_wait(0.6, lengths.mean(), 8)
    assert expected == pytest.approx(1.82, abs=0.01)  # by hand, as in the model's test
    assert peer.kpi3.mean() == pytest.approx(flyt, rel=0.15)
    assert peer.kpi3.mean() == pytest.approx(expected, rel=0.2)
