"""From received PLO messages to stays, UKP periods and KPIs: the same messages give
the same numbers in whatever order they arrive. Both engines."""

from __future__ import annotations

import itertools
from datetime import date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from flyt.domain.identity import make_fnr
from flyt.engine import compute as engine
from flyt.engine.read import kpi_rows
from flyt.plo.receivers import add_receiver
from flyt.plo.replay import replay_messages
from flyt.plo.storing import receive_bytes
from tests.support.plo import plo_message, plo_settings, synthetic_fnr

SETTINGS = plo_settings()
FNR = synthetic_fnr(100)
OTHER = synthetic_fnr(200)
CUTOFF = datetime(2024, 6, 1)
ADMITTED = "2024-03-01T10:00:00"


def patient(fnr: str = FNR) -> dict:
    return {"ids": [("FNR", fnr)]}


def stream(fnr: str = FNR, prefix: str = "a") -> list[bytes]:
    """Admitted 1 March, ready 5 March (an estimate 4 March first), withdrawn 6 March,
    ready again 8 March, discharged home 10 March: 1 + 2 = 3 UKP days."""
    p = patient(fnr)
    return [
        plo_message("innlagt", f"{prefix}1", at=ADMITTED, **p),
        plo_message("klar", f"{prefix}2", at="2024-03-04", admitted=ADMITTED, estimate=True,
                    gen_date="2024-03-02T09:00:00", **p),
        plo_message("klar", f"{prefix}3", at="2024-03-05T08:00:00", admitted=ADMITTED,
                    gen_date="2024-03-05T08:05:00", **p),
        plo_message("avmelding", f"{prefix}4", at="2024-03-06T09:00:00", admitted=ADMITTED,
                    ready="2024-03-05T08:00:00", gen_date="2024-03-06T09:05:00", **p),
        plo_message("klar", f"{prefix}5", at="2024-03-08T09:00:00", admitted=ADMITTED,
                    gen_date="2024-03-08T09:05:00", **p),
        plo_message("utskrevet", f"{prefix}6", at="2024-03-10T12:00:00",
                    gen_date="2024-03-10T12:05:00", **p),
    ]


@pytest.fixture
def alvdal(db):
    add_receiver(db, "5078", "5001")
    return db


def send_all(db, messages: list[bytes], tmp_path: Path) -> None:
    for n, data in enumerate(messages):
        receive_bytes(db, data, f"{n}.xml", SETTINGS, tmp_path / "receipts")
    replay_messages(db, recompute=False)


def records(db) -> tuple[list, list]:
    with db.engine.connect() as conn:
        stays = conn.execute(sa.text(
            "SELECT stay_id, patient_id, municipality, sector, admission_type, admitted_at, "
            "ready_at, discharged_at, discharge_destination FROM stays WHERE source = 'plo' "
            "ORDER BY stay_id")).all()
        periods = conn.execute(sa.text(
            "SELECT stay_id, ready_from, ready_to FROM ukp_periods WHERE source = 'plo' "
            "ORDER BY stay_id, ready_from")).all()
    return stays, periods


def ukp_days(db, month: date = date(2024, 3, 1)) -> float | None:
    engine.compute(db, CUTOFF)
    rows = kpi_rows(db, CUTOFF, month, month)
    found = [r.value for r in rows if r.kpi == 1 and r.group_type == "municipality"
             and r.group_id == "5001" and r.sector == "somatikk"]
    return found[0] if found else None


def test_a_stream_of_messages_becomes_a_stay_with_its_periods(alvdal, tmp_path):
    send_all(alvdal, stream(), tmp_path)
    stays, periods = records(alvdal)
    assert len(stays) == 1
    stay = stays[0]
    assert stay.patient_id.startswith("h:") and stay.municipality == "5001"
    assert (stay.sector, stay.admission_type) == ("somatikk", "akutt")
    assert stay.ready_at == datetime(2024, 3, 5, 8)  # the firm time replaced the estimate
    assert (stay.discharged_at, stay.discharge_destination) == (
        datetime(2024, 3, 10, 12), "hjem")
    assert [(p.ready_from, p.ready_to) for p in periods] == [
        (datetime(2024, 3, 5, 8), datetime(2024, 3, 6, 9)), (datetime(2024, 3, 8, 9), None)]


def test_the_replayed_stay_gives_the_expected_ukp_days(alvdal, tmp_path):
    send_all(alvdal, stream(), tmp_path)
    assert ukp_days(alvdal) == 3


def test_out_of_order_arrival_gives_the_same_records_and_kpis(db, tmp_path):
    add_receiver(db, "5078", "5001")
    messages = stream() + stream(OTHER, "b")
    send_all(db, messages, tmp_path)
    expected, expected_days = records(db), ukp_days(db)
    for n, order in enumerate(itertools.islice(itertools.permutations(range(6)), 3, 60, 19)):
        with db.engine.begin() as conn:
            for table in ("plo_receipts", "plo_messages", "plo_patient_links"):
                conn.execute(sa.text(f"DELETE FROM {table}"))
        shuffled = [messages[i] for i in reversed(order)] + [messages[6 + i] for i in order]
        send_all(db, shuffled, tmp_path / str(n))
        assert records(db) == expected
        assert ukp_days(db) == expected_days == 6


def test_events_before_their_innlagt_wait_and_join_it_when_it_comes(alvdal, tmp_path):
    first, *rest = stream()
    send_all(alvdal, rest, tmp_path)
    assert records(alvdal) == ([], [])
    result = replay_messages(alvdal, recompute=False)
    assert result.pending == 5 and result.stays == 0
    send_all(alvdal, [first], tmp_path)
    assert len(records(alvdal)[0]) == 1
    assert replay_messages(alvdal, recompute=False).pending == 0


def test_a_cancelled_innlagt_removes_the_stay_it_had_opened(alvdal, tmp_path):
    send_all(alvdal, stream()[:1], tmp_path)
    assert len(records(alvdal)[0]) == 1
    cancel = plo_message("innlagt", "c1", at=ADMITTED, status="C", refers_to="a1", **patient())
    send_all(alvdal, [cancel], tmp_path)
    assert records(alvdal) == ([], [])


def test_a_death_ends_the_stay_with_dod(alvdal, tmp_path):
    add_receiver(alvdal, "91100", "5001")  # the death notice goes to the GP
    messages = stream()[:3] + [plo_message("dod", "d1", at="2024-03-07", receiver=(
        "91096", "91100"), **patient())]
    send_all(alvdal, messages, tmp_path)
    stay = records(alvdal)[0][0]
    assert (stay.discharged_at, stay.discharge_destination) == (datetime(2024, 3, 7), "dod")


def test_a_discharge_in_state_dead_is_dod(alvdal, tmp_path):
    messages = stream()[:1] + [plo_message("utskrevet", "u1", at="2024-03-02T12:00:00",
                                           dead=True, **patient())]
    send_all(alvdal, messages, tmp_path)
    assert records(alvdal)[0][0].discharge_destination == "dod"


def test_a_patient_known_by_two_identifiers_has_one_stay(alvdal, tmp_path):
    dnr = make_fnr(date(1965, 7, 15), 101, d_number=True)  # synthetic: month + 80
    assert dnr is not None
    messages = [
        plo_message("innlagt", "h1", at=ADMITTED, ids=[("DNR", dnr)]),
        plo_message("klar", "h2", at="2024-03-05T08:00:00", admitted=ADMITTED,
                    ids=[("FNR", FNR)]),
        plo_message("utskrevet", "h3", at="2024-03-06T08:00:00",
                    ids=[("FNR", FNR), ("DNR", dnr)]),
    ]
    send_all(alvdal, messages, tmp_path)
    stays, periods = records(alvdal)
    assert len(stays) == 1 and len(periods) == 1
    assert ukp_days(alvdal) == 1
