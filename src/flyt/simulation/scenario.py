"""A what-if scenario file (spec/capacity.md, "What-if simulation"; docs/simulation.md):
TOML with an optional ``name`` and a list of ``[[change]]`` tables, each changing one
thing — short-term beds, the length of stay, UKP readiness (arrivals) or the wait as
UKP — for a municipality, a short-term unit or everyone, optionally for a period.

Pure: the known municipality codes and unit names (name → kind) are arguments. A file
with any problem is refused whole with every problem found (ScenarioError), each an
i18n `Text` naming the change (1-based) and the key at fault.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Callable, Mapping, Set
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flyt.ingest.echo import shown
from flyt.ingest.errors import Text

MAX_BYTES = 64 * 1024  # a scenario is a handful of lines; anything bigger is a mistake
MAX_CHANGES = 200
MAX_NAME = 200  # characters
MAX_BEDS = 1_000  # beds added or removed by one change
MAX_RELATIVE = 10.0  # +1 000 %; a relative change must also be above -1 (-100 %)

BEDS = "short_term_beds"
RELATIVE_KINDS = ("length_of_stay", "arrivals", "ukp_wait")
KINDS = (BEDS, *RELATIVE_KINDS)
# The targets each kind accepts; a kind without None needs a target.
TARGETS: dict[str, tuple[str | None, ...]] = {
    BEDS: ("municipality", "unit"),
    "length_of_stay": ("municipality", "unit", None),
    "arrivals": ("municipality", None),
    "ukp_wait": ("municipality", None),
}
SHORT_TERM = "short_term"  # the unit kind whose beds and stays a change may touch
_CHANGE_KEYS = frozenset((*KINDS, "municipality", "unit", "from", "to"))
_TOP_KEYS = frozenset(("name", "change"))
_CHANGE_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*change[ \t]*\]\]", re.MULTILINE)
_TOML_PLACE = re.compile(r"\(at line (\d+), column (\d+)\)")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

Refuse = Callable[[str | None, Text], None]  # notes one problem of the change being read


@dataclass(frozen=True)
class Change:
    """One ``[[change]]``: `kind` (one of KINDS) by `value` — beds added (an int, negative
    removes) or a relative change (-0.2 = 20 % less) — for `municipality` or `unit` or,
    with neither, everyone; from `first` to `last` (inclusive; None: open)."""

    kind: str
    value: float
    municipality: str | None = None
    unit: str | None = None
    first: date | None = None
    last: date | None = None

    def applies(self, day: date, municipality: str | None, unit: str | None) -> bool:
        """Whether it touches `unit` of `municipality` (or the municipality itself) on
        `day`: a change without a target touches all; one for a municipality, all of it."""
        return ((self.municipality is None or self.municipality == municipality)
                and (self.unit is None or self.unit == unit)
                and (self.first is None or self.first <= day)
                and (self.last is None or day <= self.last))


@dataclass(frozen=True)
class Scenario:
    changes: tuple[Change, ...]
    name: str | None = None

    def factor(self, kind: str, day: date, *, municipality: str | None = None,
               unit: str | None = None) -> float:
        """What the baseline's `kind` (a relative kind) is multiplied by on `day` for
        `unit` (owned by `municipality`) or for `municipality`: the product of
        (1 + change) over the changes that touch it, 1.0 when none. Always > 0."""
        if kind not in RELATIVE_KINDS:
            raise ValueError(f"not a relative kind: {kind}")
        result = 1.0
        for change in self.changes:
            if change.kind == kind and change.applies(day, municipality, unit):
                result *= 1.0 + change.value
        return result

    def beds(self, day: date, *, municipality: str | None = None,
             unit: str | None = None) -> int:
        """The short-term beds added (negative: removed) on `day` to exactly this target:
        a unit's own changes (``unit=``), or a municipality's changes for all its
        short-term units together (``municipality=``). Changes add up; the model
        adds the municipality's and its units' to its beds (and keeps them ≥ 0)."""
        if (municipality is None) == (unit is None):
            raise ValueError("give exactly one of municipality and unit")
        return sum(int(c.value) for c in self.changes
                   if c.kind == BEDS and c.municipality == municipality and c.unit == unit
                   and c.applies(day, municipality, unit))


@dataclass(frozen=True)
class Problem:
    """Something wrong in the file: `change` is the change's number (1-based; None for
    the file itself), `key` the key at fault (None when it is the whole change)."""

    change: int | None
    key: str | None
    text: Text

    def message(self, lang: str = "nb") -> str:
        if self.change is None:
            return self.text(lang)
        return Text.of("sim_scenario_in_change", change=self.change, problem=self.text)(lang)


class ScenarioError(ValueError):
    """A refused scenario file: every problem found, in the file's order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(self.message("en"))

    def messages(self, lang: str = "nb") -> list[str]:
        return [p.message(lang) for p in self.problems]

    def message(self, lang: str = "nb") -> str:
        return "\n".join(self.messages(lang))


def load(path: Path, municipalities: Set[str], units: Mapping[str, str]) -> Scenario:
    """The scenario in the file at `path` (UTF-8 TOML); ScenarioError when it cannot be
    read or is wrong. At most MAX_BYTES are read."""
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_BYTES + 1)
    except OSError as error:
        raise ScenarioError([Problem(None, None, Text.of(
            "sim_scenario_unreadable", path=str(path), why=error.strerror or ""))]) from None
    if len(raw) > MAX_BYTES:
        raise ScenarioError([_too_large()])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ScenarioError([Problem(None, None, Text.of("sim_scenario_not_utf8"))]) from None
    return parse(text, municipalities, units)


def parse(text: str, municipalities: Set[str], units: Mapping[str, str]) -> Scenario:
    """The scenario written in `text`; ScenarioError with every problem when it is wrong.

    The size and the number of ``[[change]]`` headers are bounded before TOML reads it."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise ScenarioError([_too_large()])
    if len(_CHANGE_HEADER.findall(text)) > MAX_CHANGES:
        raise ScenarioError([_too_many()])
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError([_syntax(text, str(error))]) from None
    problems: list[Problem] = []
    for key in document:
        if key not in _TOP_KEYS:
            problems.append(Problem(None, shown(key), Text.of("sim_scenario_unknown_top",
                                                               name=shown(key))))
    name = document.get("name")
    if name is not None and not isinstance(name, str):
        problems.append(Problem(None, "name", Text.of(
            "sim_scenario_not_text", name="name", found=_as_written(name))))
    elif name is not None and len(name) > MAX_NAME:
        problems.append(Problem(None, "name", Text.of("sim_scenario_name_too_long",
                                                      limit=MAX_NAME)))
    tables = document.get("change", [])
    changes: list[Change] = []
    if not isinstance(tables, list):
        problems.append(Problem(None, "change", Text.of("sim_scenario_change_not_list")))
    elif len(tables) > MAX_CHANGES:  # written inline, not counted by the headers
        raise ScenarioError([_too_many()])
    elif not tables:
        problems.append(Problem(None, "change", Text.of("sim_scenario_no_changes")))
    else:
        for number, table in enumerate(tables, start=1):
            change, found = _change(number, table, municipalities, units)
            problems += found
            if change is not None:
                changes.append(change)
    if problems:
        raise ScenarioError(problems)
    return Scenario(tuple(changes), name.strip() or None if isinstance(name, str) else None)


def _too_large() -> Problem:
    return Problem(None, None, Text.of("sim_scenario_too_large", limit=MAX_BYTES // 1024))


def _too_many() -> Problem:
    return Problem(None, "change", Text.of("sim_scenario_too_many", limit=MAX_CHANGES))


def _syntax(text: str, detail: str) -> Problem:
    """tomllib stops at the first error and says where in English: keep its place."""
    if place := _TOML_PLACE.search(detail):
        line, column = int(place[1]), int(place[2])
    else:  # "at end of document"
        line, column = text.count("\n") + 1, 1
    return Problem(None, None, Text.of("sim_scenario_syntax", line=line, column=column))


def _change(number: int, table: object, municipalities: Set[str],
            units: Mapping[str, str]) -> tuple[Change | None, list[Problem]]:
    """One ``[[change]]`` checked: the change, or None and its problems."""
    if not isinstance(table, dict):
        return None, [Problem(number, None, Text.of("sim_scenario_change_not_table"))]
    problems: list[Problem] = []

    def refuse(key: str | None, text: Text) -> None:
        problems.append(Problem(number, key, text))

    for key in table:
        if key not in _CHANGE_KEYS:
            refuse(shown(key), Text.of("sim_scenario_unknown_key", name=shown(key)))
    kinds = [k for k in KINDS if k in table]
    if not kinds:
        refuse(None, Text.of("sim_scenario_no_kind", kinds=", ".join(KINDS)))
    elif len(kinds) > 1:
        refuse(None, Text.of("sim_scenario_two_kinds", kinds=", ".join(kinds)))
    values = {kind: _value(kind, table[kind], refuse) for kind in kinds}
    municipality = _target("municipality", table, refuse)
    if municipality is not None and municipality not in municipalities:
        refuse("municipality", Text.of("sim_scenario_unknown_municipality",
                                       code=shown(municipality)))
    unit = _target("unit", table, refuse)
    if unit is not None and unit not in units:
        refuse("unit", Text.of("sim_scenario_unknown_unit", unit=shown(unit)))
    elif unit is not None and units[unit] != SHORT_TERM:
        refuse("unit", Text.of("sim_scenario_not_short_term", unit=shown(unit)))
    if "municipality" in table and "unit" in table:
        refuse(None, Text.of("sim_scenario_both_targets"))
    elif len(kinds) == 1:
        given = "municipality" if "municipality" in table else "unit" if "unit" in table else None
        if given not in TARGETS[kinds[0]]:  # every kind takes a municipality
            refuse(given, Text.of("sim_scenario_target_missing" if given is None
                                  else "sim_scenario_target_unit", kind=kinds[0]))
    first = _day("from", table, refuse)
    last = _day("to", table, refuse)
    if first is not None and last is not None and last < first:
        # quoted as the file writes them, like every value quoted back
        refuse("to", Text.of("sim_scenario_to_before_from", first=_as_written(first),
                             last=_as_written(last)))
    if problems:
        return None, problems
    kind = kinds[0]
    return Change(kind, values[kind], municipality, unit, first, last), []


def _value(kind: str, value: object, refuse: Refuse) -> float:
    """The change's amount: whole beds, or a finite relative change in (-1, MAX_RELATIVE]."""
    found = _as_written(value)
    if kind == BEDS:
        if isinstance(value, bool) or not isinstance(value, int):
            refuse(kind, Text.of("sim_scenario_not_whole", name=kind, found=found))
        elif abs(value) > MAX_BEDS:
            refuse(kind, Text.of("sim_scenario_beds_bounds", name=kind, found=found,
                                 limit=MAX_BEDS))
        else:
            return value
        return 0
    if isinstance(value, bool) or not isinstance(value, int | float):
        refuse(kind, Text.of("sim_scenario_not_number", name=kind, found=found))
    elif not (math.isfinite(value) and -1.0 < value <= MAX_RELATIVE):
        refuse(kind, Text.of("sim_scenario_relative_bounds", name=kind, found=found))
    else:
        return float(value)
    return 0.0


def _target(key: str, table: dict[str, object], refuse: Refuse) -> str | None:
    value = table.get(key)
    if value is None or isinstance(value, str):
        return value
    refuse(key, Text.of("sim_scenario_not_text", name=key, found=_as_written(value)))
    return None


def _day(key: str, table: dict[str, object], refuse: Refuse) -> date | None:
    """A TOML date (2024-01-31) or the same in quotes; not a date with a time."""
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, date) and type(value) is date:
        return value
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    refuse(key, Text.of("sim_scenario_bad_date", name=key, found=_as_written(value)))
    return None


def _as_written(value: object) -> str:
    """A value as TOML writes it, to quote back to whoever wrote it: escaped and cut
    (flyt.ingest.echo.shown)."""
    if isinstance(value, bool):
        written = "true" if value else "false"
    elif isinstance(value, str):
        written = f'"{value}"'
    elif isinstance(value, dict):
        written = "{…}"
    elif isinstance(value, list):
        written = "[…]"
    else:
        written = str(value)
    return shown(written) or ""
