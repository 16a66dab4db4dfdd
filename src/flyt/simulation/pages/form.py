"""The what-if form: its fields read, bounded and turned into a scenario.

The change rows are written as a TOML scenario text and read by
flyt.simulation.scenario.parse, so the page and a scenario file share one validation
(and one set of messages); a pasted TOML text goes the same way. Every problem found
is kept by the field (or change row) it belongs to, for the form to show beside it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from flyt.domain import clock
from flyt.ingest.echo import shown
from flyt.ingest.errors import Text
from flyt.simulation import scenario
from flyt.simulation.model import MAX_DAYS
from flyt.simulation.scenario import BEDS, KINDS, SHORT_TERM, Scenario, ScenarioError

ROWS = 8  # change rows on the form
REPLICATIONS = (10, 5000)  # the form's bounds (the command allows more)
DEFAULT_REPLICATIONS = 1000
MAX_SEED = 2**63 - 1
MAX_FIELD = 40  # characters of a one-line field (a date, a number, a target's code)
MAX_TARGET = 200  # a unit's name
_NUMBER = re.compile(r"[+-]?\d{1,12}(?:[.,]\d{1,12})?")
_WHOLE = re.compile(r"\d{1,19}")
ALL = ""  # the target "everyone"
MUNICIPALITY, UNIT = "m:", "u:"  # a target's value: "m:5031", "u:Øya helsehus korttid"
FILE = "file"  # the key of problems that belong to the pasted text or the whole scenario


@dataclass
class Filled:
    """What the user asked for: a period, the dice and a scenario (None: baseline
    only), or the problems by field ("first", "change3", FILE …)."""

    first: date | None = None
    last: date | None = None
    replications: int = DEFAULT_REPLICATIONS
    seed: int = 1
    scenario: Scenario | None = None
    problems: dict[str, list[str]] = field(default_factory=dict)

    def refuse(self, key: str, message: str) -> None:
        self.problems.setdefault(key, []).append(message)


def defaults() -> dict[str, str]:
    """The form as first shown: this year, 1 000 replications, seed 1, no change."""
    year = clock.today().year
    values = {"first": date(year, 1, 1).isoformat(), "last": date(year, 12, 31).isoformat(),
              "replications": str(DEFAULT_REPLICATIONS), "seed": "1", "toml": ""}
    for row in range(1, ROWS + 1):
        values |= {f"kind{row}": "", f"target{row}": ALL, f"value{row}": "",
                   f"from{row}": "", f"to{row}": ""}
    return values


def targets(municipalities: Mapping[str, str], units: Mapping[str, str]) -> list[
        tuple[str, str]]:
    """The target list's (value, label): everyone, each municipality «5031 Malvik»,
    each short-term unit; the label of everyone is the template's."""
    found = [(f"{MUNICIPALITY}{code}", f"{code} {name}")
             for code, name in sorted(municipalities.items())]
    found += [(f"{UNIT}{name}", name) for name, kind in sorted(units.items())
              if kind == SHORT_TERM]
    return found


def read(values: Mapping[str, str], municipalities: Mapping[str, str],
         units: Mapping[str, str], lang: str) -> Filled:
    """The form's values checked; `filled.problems` is empty when it can run."""
    filled = Filled()
    filled.first = _day(values.get("first", ""), "first", filled, lang, required=True)
    filled.last = _day(values.get("last", ""), "last", filled, lang, required=True)
    if filled.first and filled.last and not 1 <= (filled.last - filled.first).days + 1 <= MAX_DAYS:
        filled.refuse("last", Text.of("simpage_period_bad", most=MAX_DAYS)(lang))
    filled.replications = _whole(values.get("replications", ""), "replications",
                                 REPLICATIONS, filled, lang) or DEFAULT_REPLICATIONS
    filled.seed = _whole(values.get("seed", ""), "seed", (0, MAX_SEED), filled, lang) or 0
    text, rows = _scenario_text(values, filled, lang)
    if text is not None and not filled.problems:
        try:
            filled.scenario = scenario.parse(text, set(municipalities), units)
        except ScenarioError as error:
            for problem in error.problems:
                key = (FILE if problem.change is None or not rows
                       else f"change{rows[problem.change - 1]}")
                # beside its row the change's number would be a number the user never saw
                message = problem.text(lang) if key != FILE else problem.message(lang)
                filled.refuse(key, message)
    return filled


def _day(raw: str, key: str, filled: Filled, lang: str, required: bool = False) -> date | None:
    """A day as <input type=date> sends it (yyyy-mm-dd)."""
    text = raw.strip()
    if not text:
        if required:
            filled.refuse(key, Text.of("simpage_date_missing")(lang))
        return None
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        filled.refuse(key, Text.of("simpage_date_bad", found=shown(text[:MAX_FIELD]))(lang))
        return None


def _whole(raw: str, key: str, bounds: tuple[int, int], filled: Filled,
           lang: str) -> int | None:
    text = raw.strip()
    if _WHOLE.fullmatch(text) and bounds[0] <= int(text) <= bounds[1]:
        return int(text)
    filled.refuse(key, Text.of("simpage_whole_bad", found=shown(text[:MAX_FIELD]) or "",
                               low=bounds[0], high=bounds[1])(lang))
    return None


def _scenario_text(values: Mapping[str, str], filled: Filled,
                   lang: str) -> tuple[str | None, list[int]]:
    """The scenario as TOML (None: no change asked for) and the form row of each
    [[change]] in it (empty for a pasted text)."""
    pasted = values.get("toml", "")
    blocks, rows = [], []
    for row in range(1, ROWS + 1):
        block = _change(row, values, filled, lang)
        if block is not None:
            blocks.append(block)
            rows.append(row)
    if pasted.strip():
        if blocks:
            filled.refuse(FILE, Text.of("simpage_rows_and_text")(lang))
        return pasted, []
    return ("\n".join(blocks) if blocks else None), rows


def _change(row: int, values: Mapping[str, str], filled: Filled, lang: str) -> str | None:
    """One row as a [[change]] table, or None when it is empty."""
    kind = values.get(f"kind{row}", "").strip()
    target = values.get(f"target{row}", "")
    value = values.get(f"value{row}", "").strip()
    first, last = values.get(f"from{row}", "").strip(), values.get(f"to{row}", "").strip()
    if not (kind or value or first or last):
        return None  # an unused row, whatever its target list says
    key = f"change{row}"
    if kind not in KINDS:
        filled.refuse(key, Text.of("simpage_kind_missing")(lang))
        return None
    if not _NUMBER.fullmatch(value):
        filled.refuse(key, Text.of("simpage_value_bad", found=shown(value[:MAX_FIELD]) or "")(
            lang))
        return None
    lines = ["[[change]]", f"{kind} = {_amount(kind, value)}"]
    if target.startswith(MUNICIPALITY) and len(target) <= MAX_FIELD:
        lines.append(f"municipality = {json.dumps(target[len(MUNICIPALITY):])}")
    elif target.startswith(UNIT) and len(target) <= MAX_TARGET:
        lines.append(f"unit = {json.dumps(target[len(UNIT):])}")
    elif target != ALL:
        filled.refuse(key, Text.of("simpage_target_bad")(lang))
        return None
    # the dates go on as text: parse refuses what is not a day, as in a file
    for name, day in (("from", first), ("to", last)):
        if day:
            lines.append(f"{name} = {json.dumps(day[:MAX_FIELD])}")
    return "\n".join(lines) + "\n"


def _amount(kind: str, value: str) -> str:
    """The value as the file writes it: whole beds as typed (a decimal stays a decimal,
    for parse to refuse), a percentage as a fraction (-20 → -0.2)."""
    number = value.replace(",", ".")
    if kind == BEDS and "." not in number:
        return str(int(number))  # TOML refuses "03" and "+03"; the user meant 3
    return repr(float(number) / (1 if kind == BEDS else 100))
