"""The demo data as a stream of PLO pasientlogistikk v1.6 messages (`flyt generate --plo`).

From stays.csv and ukp_periods.csv, one file per message, what the hospital
would have sent the patient's municipality:

- every stay: *innlagt* at admission;
- a UKP stay: *utskrivningsklar* at each period's start, *avmelding* at the end
  of a withdrawn period (then *utskrivningsklar* again for a second period);
- a discharged stay: *utskrevet*, with Uttilstand 2 (død) when it ended in
  death (the hospital reports a death in hospital this way; *orientering om
  dødsfall* goes between the municipality and the GP).

What the messages cannot carry directly is put where flyt.plo.replay reads it:
sector in the contact unit's name ("Klinikk for psykisk helsevern"), a planned
admission in the innlagt event's place ("Planlagt innleggelse"), the
destination as code list 8408 code 1 (bosted) for hjem and hjem_med_tjenester
and OTHER_PLACE otherwise. Not carried: location, frailty score, the
destination beyond home/other/death (docs/plo.md, "The demo stream").

The municipality is the receiver: one HER-id per municipality, listed in
receivers.csv (her_id,municipality,name) for `flyt plo receivers add`. National
ids are synthetic fødselsnumre (month + 80) derived from the demo patient_id,
so one patient has one number across stays. Same data and seed, same files.
"""

from __future__ import annotations

import csv
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv

from flyt.domain.identity import make_fnr
from flyt.plo.build import Template

HOME = ("hjem", "hjem_med_tjenester")
HOME_PLACE = ("1", "Bosted/arbeidssted")  # code list 8408
# Not home: code list 8408's other codes are not in the standard's material here; the
# replay reads every code but 1 as `annet`, which is all the KPIs need (not home, alive).
OTHER_PLACE = "9"
DESTINATION_TEXT = {"korttidsopphold": "Korttidsopphold", "langtidsopphold": "Langtidsopphold",
                    "annen_institusjon": "Annen institusjon", "annet": "Annet sted"}
PSYCHIATRY_UNIT = "Klinikk for psykisk helsevern"
PLANNED_PLACE, ACUTE_PLACE = "Planlagt innleggelse", "Akuttmottak"
HER_BASE = 8_000_000  # receiver HER-ids: HER_BASE + 10 × i (the kommune), + 1 (its service)

_COMMON = dict(msg_id="MSGID", gen_date="GEN", at="AT", fnr="FNR", receiver_top="RTOP",
               receiver="RHER", receiver_name="RNAME", department="DEPT",
               contact_unit="UNIT", born="BORN", sex="SEX")


def _templates() -> dict[str, Template]:
    # options named, so that the type checker knows **_COMMON does not fill it
    return {
        "innlagt": Template("innlagt", options=None, place="PLACE", **_COMMON),
        "klar": Template("klar", options=None, admitted="ADM", **_COMMON),
        "avmelding": Template("avmelding", options=None, admitted="ADM", ready="READY",
                              **_COMMON),
        "utskrevet": Template("utskrevet", options=None, discharged_to="TO",
                              discharged_to_text="TODN", **_COMMON),
        "utskrevet_dod": Template("utskrevet", {"dead": True}, discharged_to="TO",
                                  discharged_to_text="TODN", **_COMMON),
    }


def receivers(codes_names: list[tuple[str, str]]) -> list[dict[str, str]]:
    """One receiving service per municipality: its HER-ids and name."""
    return [{"her_id": str(HER_BASE + 10 * i + 1), "top_her_id": str(HER_BASE + 10 * i),
             "municipality": code, "name": f"{name} kommune"}
            for i, (code, name) in enumerate(codes_names)]


def _municipalities() -> list[tuple[str, str]]:
    from flyt.store.reference import packaged_municipalities

    return [(m.code, m.name) for m in packaged_municipalities()]


def patient_numbers(patients: list[tuple[str, int, str]], seed: int) -> dict[str, str]:
    """patient_id → a synthetic fødselsnummer with that birth year and sex, different
    for every patient: a day and individual number drawn from the patient id."""
    used: set[str] = set()
    found: dict[str, str] = {}
    for patient_id, year, sex in sorted(patients):
        h = int(uuid.uuid5(uuid.NAMESPACE_OID, f"{seed}|{patient_id}").hex[:12], 16)
        start = date(year, 1, 1).toordinal()
        length = date(year + 1, 1, 1).toordinal() - start
        first = 500 if 2000 <= year <= 2039 else 0  # individual numbers of the century
        for step in range(length * 250):
            k = h + step
            born = date.fromordinal(start + k % length)
            individual = first + (k // length) % 250 * 2 + (1 if sex == "m" else 0)
            number = make_fnr(born, individual, synthetic=True)
            if number and number not in used:
                break
        else:
            raise ValueError(f"no synthetic number for {patient_id} born {year}")
        used.add(number)
        found[patient_id] = number
    return found


def _read(path: Path) -> pa.Table:
    """A CSV file with every column as text (empty cells null)."""
    with Path(path).open(encoding="utf-8") as f:
        names = f.readline().strip().split(",")
    return pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(
        column_types={name: pa.string() for name in names}, strings_can_be_null=True))


def write_messages(summary_or_csv_dir: Any, out_dir: Path, *, seed: int = 1) -> int:
    """Write the stays of a demo data set (a DemoSummary or the folder with its
    stays.csv and ukp_periods.csv) as PLO messages into out_dir, with receivers.csv.
    Returns the number of messages."""
    files = getattr(summary_or_csv_dir, "files", None)
    if files is None:  # the folder
        folder = Path(summary_or_csv_dir)
        files = {"stays": folder / "stays.csv", "ukp_periods": folder / "ukp_periods.csv"}
    stays_path, periods_path = files["stays"], files["ukp_periods"]
    stays = _read(stays_path).to_pylist()
    periods: dict[str, list[tuple[str, str | None]]] = {}
    for row in _read(periods_path).to_pylist():
        periods.setdefault(row["stay_id"], []).append((row["ready_from"], row["ready_to"]))

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    mapping = receivers(_municipalities())
    with (out_dir / "receivers.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=["her_id", "municipality", "name", "top_her_id"])
        writer.writeheader()
        writer.writerows(mapping)
    by_code = {r["municipality"]: r for r in mapping}
    fnr = patient_numbers(list({(s["patient_id"], int(s["birth_year"]), s["sex"])
                                for s in stays}), seed)
    templates = _templates()

    messages: list[tuple[str, int, str, dict[str, str]]] = []  # (gen, n, kind, values)
    for stay in stays:
        receiver = by_code[stay["municipality"]]
        born = fnr[stay["patient_id"]]
        common = {"FNR": born, "RTOP": receiver["top_her_id"], "RHER": receiver["her_id"],
                  "RNAME": receiver["name"], "DEPT": stay["department"],
                  "UNIT": PSYCHIATRY_UNIT if stay["sector"] == "psykisk_helsevern"
                  else stay["department"],
                  "BORN": f"{stay['birth_year']}-{int(born[2:4]) - 80:02d}-{born[:2]}",
                  "SEX": "2" if stay["sex"] == "k" else "1"}
        admitted = stay["admitted_at"] + ":00"
        events: list[tuple[str, str, dict[str, str]]] = [
            ("innlagt", stay["admitted_at"], {"AT": admitted, "PLACE": PLANNED_PLACE if
                                              stay["admission_type"] == "planlagt"
                                              else ACUTE_PLACE})]
        spans = periods.get(stay["stay_id"]) or (
            [(stay["ready_at"], None)] if stay["ready_at"] else [])
        for ready_from, ready_to in spans:
            events.append(("klar", ready_from, {"AT": ready_from + ":00", "ADM": admitted}))
            if ready_to:
                events.append(("avmelding", ready_to, {"AT": ready_to + ":00", "ADM": admitted,
                                                       "READY": ready_from + ":00"}))
        if stay["discharged_at"]:
            destination = stay["discharge_destination"]
            kind = "utskrevet_dod" if destination == "dod" else "utskrevet"
            to, text = HOME_PLACE if destination in HOME else (
                OTHER_PLACE, DESTINATION_TEXT.get(destination, "Annet sted"))
            events.append((kind, stay["discharged_at"], {
                "AT": stay["discharged_at"] + ":00", "TO": to, "TODN": text}))
        for seq, (kind, at, values) in enumerate(events):
            # GenDate: the event's minute, seconds = the order within the stay, so that
            # messages written in the same minute keep their order in the replay.
            messages.append((f"{at}:{seq:02d}", len(messages), kind, common | values))
    messages.sort()
    for n, (gen, _, kind, values) in enumerate(messages):
        msg_id = str(uuid.UUID(int=(seed % 2**32) << 64 | n))
        data = templates[kind].fill(MSGID=msg_id, GEN=gen, **values)
        (out_dir / f"plo-{n:07d}.xml").write_bytes(data)
    return len(messages)
