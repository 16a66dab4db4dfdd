"""The level grid: the community's municipalities as tiles placed roughly as on a map
(../tiles.csv: kommunenummer, column, row, from 1; Fosen in the north, Trondheim in the
middle, Frøya and Hitra in the west, Røros in the south-east). A municipality the table
does not place is put in a row of its own under the map, so none is ever left out."""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources
from typing import Any

from flyt import i18n
from flyt.capacity.escalation import LEVEL_KEYS
from flyt.capacity.escalation_store import Stored
from flyt.capacity.escalation_text import INDICATOR_KEYS, OCCUPANCY, municipality_label
from flyt.capacity.overview import Overview
from flyt.i18n import t


@cache
def positions() -> dict[str, tuple[int, int]]:
    """kommunenummer → (column, row)."""
    text = resources.files("flyt.capacity").joinpath("tiles.csv").read_text("utf-8")
    return {r["kommunenummer"]: (int(r["col"]), int(r["row"]))
            for r in csv.DictReader(text.splitlines())}


def level_view(stored: Stored | None, exact: bool, lang: str) -> dict[str, Any]:
    """A group's level as the pages show it: number, word, since, and each indicator's
    name, level and value — a UKP ratio's value only where ``exact`` (a municipality's
    census against its normal: a small census shows through it). Occupancy is shown to
    all, as the free-beds table beside it shows the beds."""
    if stored is None:
        return {"level": None, "word": i18n.t("capacity_pages_no_level", lang),
                "since": None, "indicators": []}
    level = stored.level
    indicators = []
    for record in stored.indicators:
        name = record["name"]
        value = record["value"] if exact or name in OCCUPANCY else None
        shown = None if value is None else (
            i18n.percent(value, 1, lang) if name in OCCUPANCY else i18n.number(value, 2, lang))
        indicators.append({"name": name, "label": t(INDICATOR_KEYS[name], lang),
                           "level": record["level"], "value": value, "value_text": shown})
    return {"level": level, "word": t(LEVEL_KEYS[level], lang),
            "since": stored.since.isoformat(timespec="minutes"), "indicators": indicators}


def tiles(found: Overview, hidden: set[str], exact: set[str] | None,
          lang: str) -> list[dict[str, Any]]:
    """One tile per municipality, in reading order (row, then column). ``hidden``: the
    census not shown; ``exact``: the municipalities whose indicator values are shown
    (None: all)."""
    stored = {s.group_id: s for s in found.levels if s.group_type == "municipality"}
    names = {m.code: m.name for m in found.municipalities}
    placed = positions()
    spare_row = max((r for _, r in placed.values()), default=0) + 1
    out = []
    spare = 0
    for m in found.municipalities:
        if m.code in placed:
            col, row = placed[m.code]
        else:
            spare += 1
            col, row = spare, spare_row
        census = None if m.code in hidden else found.census[m.code]
        out.append({"code": m.code, "name": m.name,
                    "label": municipality_label(m.code, names), "col": col, "row": row,
                    "census": census, "census_hidden": m.code in hidden,
                    **level_view(stored.get(m.code), exact is None or m.code in exact,
                                 lang)})
    return sorted(out, key=lambda tile: (tile["row"], tile["col"]))
