"""The plan in and out of files (spec/plan.md "Command line"): the JSON of `plan show`
and the committee's XLSX layout (sheets `visjon`, `forandringsteori`, `tiltak`).

Reading is all or nothing: every bad row and cell is listed (sheet or JSON path, row,
column, why) and nothing is returned for storing when there is one. Sizes are bounded
before anything is parsed. Values take the Norwegian habits (formats.md): dates
dd.mm.yyyy (ISO too), Høy/Middel/Lav, Stort/Middels/Lite, grønn/gul/rød, ja/nei; the
export writes them so, and every cell as text (no live formulas).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from flyt.i18n import t
from flyt.ingest import readers, xlsx_guard
from flyt.ingest.errors import InputError, Text
from flyt.ingest.limits import Limits
from flyt.output.spreadsheet import workbook
from flyt.plan.model import (
    PRIORITIES,
    SCOPES,
    STATUSES,
    Activity,
    Element,
    Measure,
    Plan,
    check,
    parse_day,
)

MAX_FILE_BYTES = 5 << 20  # a plan is some hundred rows: a bigger file is not one
MAX_ROWS = 2_000  # rows of a sheet, items of a JSON list
XLSX_LIMITS = Limits(max_file_bytes=MAX_FILE_BYTES, max_cells=100_000,
                     max_uncompressed_bytes=64 << 20, max_rows=MAX_ROWS, max_columns=30)
SHEETS = ("visjon", "forandringsteori", "tiltak")
TOC_COLUMNS = ("id", "kind", "text", "kpi", "links")
PLAN_COLUMNS = ("type", "id", "parent", "name", "description", "start", "end", "priority",
                "scope", "responsible", "status", "done", "comment", "toc")
SEPARATOR = ";"
# The words read for each code (lower case) and the one written.
PRIORITY_WORDS = {"hoy": "hoy", "høy": "hoy", "middel": "middel", "lav": "lav"}
SCOPE_WORDS = {s: s for s in SCOPES}
STATUS_WORDS = {"green": "green", "grønn": "green", "gronn": "green", "yellow": "yellow",
                "gul": "yellow", "red": "red", "rød": "red", "rod": "red"}
BOOLEAN_WORDS = {"ja": True, "nei": False, "true": True, "false": False, "yes": True,
                 "no": False, "1": True, "0": False}
WRITTEN = {**{"hoy": "Høy", "middel": "Middel", "lav": "Lav"},
           **{"stort": "Stort", "middels": "Middels", "lite": "Lite"},
           **{"green": "grønn", "yellow": "gul", "red": "rød"}}


@dataclass(frozen=True)
class Bad:
    """One bad cell or field: `place` is the XLSX sheet or the JSON path, `row` the XLSX
    row (header = 1; None in JSON), `column` the column or field."""

    place: str
    row: int | None
    column: str
    text: Text

    def line(self, lang: str = "nb") -> str:
        key = "plan_bad_cell" if self.row is not None else "plan_bad_field"
        return t(key, lang).format(place=self.place, row=self.row, column=self.column,
                                   reason=self.text(lang))


class PlanRejected(Exception):
    """A file with bad rows: nothing is stored; `problems` lists every one."""

    def __init__(self, problems: list[Bad]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


# --- values ----------------------------------------------------------------------

class _Refused(Exception):
    def __init__(self, text: Text) -> None:
        self.text = text


_EXCEL_MIDNIGHT = re.compile(r"T00:00(?::00)?$")  # an Excel date cell read as text


def _date(raw: object) -> date | None:
    text = _text(raw)
    if not text:
        return None
    try:
        return parse_day(_EXCEL_MIDNIGHT.sub("", text, count=1))
    except ValueError:
        raise _Refused(Text.of("plan_bad_date", value=text)) from None


def _word(words: Mapping[str, str], allowed: tuple[str, ...]) -> Callable[[object], Any]:
    def parse(raw: object) -> str | None:
        text = _text(raw)
        if not text:
            return None
        if text.lower() in words:
            return words[text.lower()]
        shown = ", ".join(WRITTEN.get(a, a) for a in allowed)
        raise _Refused(Text.of("plan_bad_value", value=text, allowed=shown))
    return parse


def _boolean(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    text = _text(raw)
    if not text:
        return False
    if text.lower() in BOOLEAN_WORDS:
        return BOOLEAN_WORDS[text.lower()]
    raise _Refused(Text.of("plan_bad_value", value=text, allowed="ja, nei"))


def _kpi(raw: object) -> int | None:
    text = _text(raw)
    if not text:
        return None
    if text.isascii() and text.isdigit() and 1 <= int(text) <= 6:
        return int(text)
    raise _Refused(Text.of("plan_bad_kpi", value=text))


def _ids(raw: object) -> tuple[str, ...]:
    if isinstance(raw, list):
        if not all(isinstance(x, str) for x in raw):
            raise _Refused(Text.of("plan_bad_ids"))
        return tuple(x.strip() for x in raw)
    text = _text(raw) or ""
    return tuple(x.strip() for x in text.split(SEPARATOR) if x.strip())


def _text(raw: object) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise _Refused(Text.of("plan_bad_type"))
    return str(raw).strip()


def _string(raw: object) -> str:
    return _text(raw) or ""


PARSERS: dict[str, Callable[[object], Any]] = {
    "id": _string, "text": _string, "name": _string, "description": _string,
    "responsible": _string, "comment": _string, "kind": _string, "kpi": _kpi,
    "links": _ids, "toc": _ids, "start": _date, "end": _date, "done": _boolean,
    "priority": _word(PRIORITY_WORDS, PRIORITIES), "scope": _word(SCOPE_WORDS, SCOPES),
    "status": _word(STATUS_WORDS, STATUSES),
}


class _Reader:
    """Parses the fields of rows, collecting every problem with its place."""

    def __init__(self) -> None:
        self.problems: list[Bad] = []
        # item id → where it stands (more than one place when an id is used twice)
        self.places: dict[str, list[tuple[str, int | None]]] = {}

    def fields(self, raw: Mapping[str, object], names: tuple[str, ...], place: str,
               row: int | None) -> dict[str, Any]:
        """Every field parsed; a bad one is listed and stands empty, so that the item is
        still checked as a whole (its links, its parent) and every problem is found."""
        out: dict[str, Any] = {}
        for name in names:
            try:
                out[name] = PARSERS[name](raw.get(name))
            except _Refused as refused:
                self.problems.append(Bad(place, row, name, refused.text))
                out[name] = PARSERS[name](None)
        self.places.setdefault(out["id"], []).append((place, row))
        return out

    def checked(self, plan: Plan, vision_place: tuple[str, int | None, str]) -> Plan:
        """The plan when nothing is wrong with it; else PlanRejected listing everything."""
        for problem in check(plan):
            if problem.item == "":
                place, row, column = vision_place
            else:  # a repeated id is refused where it is repeated, the rest the first time
                places = self.places.get(problem.item, [("", None)])
                place, row = places[-1] if problem.field == "id" else places[0]
                column = problem.field
            self.problems.append(Bad(place, row, column, problem.text))
        if self.problems:
            raise PlanRejected(sorted(self.problems, key=_order))
        return plan


COLUMN_ORDER = {c: i for i, c in enumerate(("visjon", *TOC_COLUMNS, *PLAN_COLUMNS))}


def _order(bad: Bad) -> tuple:
    """XLSX: by sheet, row and column, as the user reads them; JSON: as found."""
    if bad.row is None:
        return (len(SHEETS), 0, 0)
    return (SHEETS.index(bad.place) if bad.place in SHEETS else len(SHEETS), bad.row,
            COLUMN_ORDER.get(bad.column, len(COLUMN_ORDER)))


ELEMENT_FIELDS = ("id", "kind", "text", "kpi", "links")
MEASURE_FIELDS = ("id", "name", "description", "start", "end", "priority", "scope",
                  "responsible", "status", "comment", "toc")
ACTIVITY_FIELDS = ("id", "name", "start", "end", "priority", "scope", "responsible",
                   "done", "status", "comment")


# --- JSON ------------------------------------------------------------------------

def document(plan: Plan, computed: Mapping[str, str | None] | None = None) -> dict:
    """The JSON of `plan show`: the plan's fields, and each item's `computed_status` (by
    the rules, keyed by item id) when given."""
    def status(item_id: str) -> dict:
        return {} if computed is None else {"computed_status": computed.get(item_id)}

    def dates(x: Measure | Activity) -> dict:
        return {"start": x.start.isoformat() if x.start else None,
                "end": x.end.isoformat() if x.end else None}

    return {
        "vision": plan.vision,
        "elements": [{"id": e.id, "kind": e.kind, "text": e.text, "kpi": e.kpi,
                      "links": list(e.links), **status(e.id)} for e in plan.elements],
        "measures": [{
            "id": m.id, "name": m.name, "description": m.description, **dates(m),
            "priority": m.priority, "scope": m.scope, "responsible": m.responsible,
            "status": m.status, **status(m.id), "comment": m.comment, "toc": list(m.toc),
            "version": m.version,
            "activities": [{
                "id": a.id, "name": a.name, **dates(a), "priority": a.priority,
                "scope": a.scope, "responsible": a.responsible, "done": a.done,
                "status": a.status, **status(a.id), "comment": a.comment,
                "version": a.version} for a in m.activities],
        } for m in plan.measures],
    }


def from_document(doc: object) -> tuple[Plan, list[Bad]]:
    """A plan from the JSON of `plan show` (computed statuses and versions are ignored;
    keys starting with `_` are notes) and every problem of it."""
    reader = _Reader()
    if not isinstance(doc, dict) or not isinstance(doc.get("vision"), str) or not all(
            isinstance(doc.get(k, []), list) for k in ("elements", "measures")):
        return Plan(""), [Bad("", None, "", Text.of("plan_json_shape"))]
    lists = [doc.get("elements", []), doc.get("measures", [])]
    lists += [m.get("activities", []) for m in lists[1] if isinstance(m, dict)]
    if sum(len(x) for x in lists if isinstance(x, list)) > MAX_ROWS:
        raise InputError(Text.of("plan_too_many_rows", limit=MAX_ROWS))
    elements = [_json_element(reader, raw, i) for i, raw in enumerate(doc.get("elements", []))]
    measures = [_json_measure(reader, raw, i) for i, raw in enumerate(doc.get("measures", []))]
    plan = Plan(doc["vision"].strip(), tuple(e for e in elements if e),
                tuple(m for m in measures if m))
    try:
        return reader.checked(plan, ("vision", None, "vision")), []
    except PlanRejected as rejected:
        return plan, rejected.problems


def _json_item(reader: _Reader, raw: object, names: tuple[str, ...],
               place: str) -> dict[str, Any] | None:
    if not isinstance(raw, dict):
        reader.problems.append(Bad(place, None, "", Text.of("plan_json_shape")))
        return None
    return reader.fields(raw, names, place, None)


def _json_element(reader: _Reader, raw: object, i: int) -> Element | None:
    found = _json_item(reader, raw, ELEMENT_FIELDS, f"elements[{i}]")
    return Element(**found) if found else None


def _json_measure(reader: _Reader, raw: object, i: int) -> Measure | None:
    place = f"measures[{i}]"
    found = _json_item(reader, raw, MEASURE_FIELDS, place)
    if found is None:
        return None
    activities = raw.get("activities", []) if isinstance(raw, dict) else []
    if not isinstance(activities, list):
        reader.problems.append(Bad(place, None, "activities", Text.of("plan_json_shape")))
        activities = []
    acts = [_json_item(reader, a, ACTIVITY_FIELDS, f"{place}.activities[{j}]")
            for j, a in enumerate(activities)]
    return Measure(**found, activities=tuple(Activity(**a) for a in acts if a))


# --- XLSX ------------------------------------------------------------------------

def write_xlsx(plan: Plan, path: Path) -> None:
    """The committee's layout, every value as text in the Norwegian habits."""
    book = workbook(path)
    sheets = {name: book.add_worksheet(name) for name in SHEETS}
    _write_rows(sheets["visjon"], [("visjon",), (plan.vision,)])
    _write_rows(sheets["forandringsteori"], [TOC_COLUMNS] + [
        (e.id, e.kind, e.text, str(e.kpi or ""), SEPARATOR.join(e.links))
        for e in plan.elements])
    rows: list[Sequence[str]] = [PLAN_COLUMNS]
    for m in plan.measures:
        rows.append(("tiltak", m.id, "", m.name, m.description, *_shared(m), "",
                     m.comment, SEPARATOR.join(m.toc)))
        rows += [("aktivitet", a.id, m.id, a.name, "", *_shared(a),
                  "ja" if a.done else "nei", a.comment, "") for a in m.activities]
    _write_rows(sheets["tiltak"], rows)
    book.close()


def _shared(x: Measure | Activity) -> tuple[str, ...]:
    """start, end, priority, scope, responsible, status as written."""
    def day(d: date | None) -> str:
        return f"{d:%d.%m.%Y}" if d else ""
    return (day(x.start), day(x.end), WRITTEN.get(x.priority or "", ""),
            WRITTEN.get(x.scope or "", ""), x.responsible, WRITTEN.get(x.status or "", ""))


def _write_rows(sheet: Any, rows: Sequence[Sequence[str]]) -> None:
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value:
                sheet.write_string(r, c, value)


def read_xlsx(data: bytes) -> Plan:
    """A plan from the committee's workbook; PlanRejected listing every bad cell."""
    import io

    import python_calamine

    xlsx_guard.inspect(io.BytesIO(data), XLSX_LIMITS)  # before anything is inflated
    names = {n.strip().lower() for n in
             python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).sheet_names}
    missing = [s for s in SHEETS if s not in names]
    if missing:
        raise InputError(Text.of("plan_missing_sheet", sheet=missing[0]))
    reader = _Reader()
    vision = _rows(data, "visjon", ("visjon",), reader)
    vision_text = next((_text(r.get("visjon")) or "" for _, r in vision), "")
    elements = [Element(**reader.fields(raw, ELEMENT_FIELDS, "forandringsteori", n))
                for n, raw in _rows(data, "forandringsteori", TOC_COLUMNS, reader)]
    measures = _measures(_rows(data, "tiltak", PLAN_COLUMNS, reader), reader)
    vision_row = vision[0][0] if vision else 2
    return reader.checked(Plan(vision_text, tuple(elements), measures),
                          ("visjon", vision_row, "A"))


def _rows(data: bytes, sheet: str, columns: tuple[str, ...],
          reader: _Reader) -> list[tuple[int, dict[str, str | None]]]:
    """The sheet's non-empty rows by column name, with their row numbers."""
    raw = readers.read_xlsx(data, sheet)
    header = [h.strip().lower() for h in raw.header]
    missing = [c for c in columns if c not in header]
    if missing:
        raise InputError(Text.of("plan_missing_column", sheet=sheet, column=missing[0]))
    index = {c: header.index(c) for c in columns}
    cells = {c: raw.columns[i].to_pylist() for c, i in index.items()}
    numbers = [int(n or 0) for n in raw.rows.to_pylist()]  # the reader numbers every row
    if len(numbers) > MAX_ROWS:
        raise InputError(Text.of("plan_too_many_rows", limit=MAX_ROWS))
    out = []
    for k, number in enumerate(numbers):
        row = {c: cells[c][k] for c in columns}
        if any(v is not None and v.strip() for v in row.values()):
            out.append((number, row))
    return out


def _measures(rows: list[tuple[int, dict[str, str | None]]],
              reader: _Reader) -> tuple[Measure, ...]:
    measures: list[Measure] = []
    activities: list[tuple[str, int, Activity]] = []
    for number, raw in rows:
        kind = (raw.get("type") or "").strip().lower()
        if kind == "tiltak":
            _unused(reader, raw, number, ("parent", "done"))
            measures.append(Measure(**reader.fields(raw, MEASURE_FIELDS, "tiltak", number)))
        elif kind == "aktivitet":
            _unused(reader, raw, number, ("description", "toc"))
            found = reader.fields(raw, ACTIVITY_FIELDS, "tiltak", number)
            activities.append(((raw.get("parent") or "").strip(), number, Activity(**found)))
        else:
            reader.problems.append(Bad("tiltak", number, "type", Text.of(
                "plan_bad_value", value=raw.get("type") or "", allowed="tiltak, aktivitet")))
    by_measure: dict[str, list[Activity]] = {}
    known = {m.id for m in measures}
    for parent, number, activity in activities:
        if parent not in known:
            reader.problems.append(Bad("tiltak", number, "parent",
                                       Text.of("plan_unknown_parent", id=parent)))
        by_measure.setdefault(parent, []).append(activity)
    # A repeated measure id gets its activities once (the check refuses the repetition).
    given: set[str] = set()
    out = []
    for m in measures:
        out.append(replace(m, activities=tuple(by_measure.get(m.id, ()))
                           if m.id not in given else ()))
        given.add(m.id)
    return tuple(out)


def _unused(reader: _Reader, raw: Mapping[str, str | None], number: int,
            columns: tuple[str, ...]) -> None:
    """A value in a column the row's type does not have would be lost: refused."""
    for column in columns:
        if (raw.get(column) or "").strip():
            reader.problems.append(Bad("tiltak", number, column,
                                       Text.of("plan_column_not_used", column=column)))


# --- files -----------------------------------------------------------------------

def read_file(path: Path) -> Plan:
    """A plan from an XLSX or JSON file (told apart by content); InputError for a file
    that is not one, PlanRejected listing every bad row."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(Text.of("plan_file_too_big", limit=MAX_FILE_BYTES >> 20))
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror or e}") from e
    if data.startswith(readers.ZIP_MAGIC):
        return read_xlsx(data)
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InputError(Text.of("plan_not_a_plan_file")) from e
    plan, problems = from_document(doc)
    if problems:
        raise PlanRejected(problems)
    return plan


def write_json(plan: Plan, path: Path,
               computed: Mapping[str, str | None] | None = None) -> None:
    doc = document(plan, computed)
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
