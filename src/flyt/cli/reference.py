"""``flyt reference``: show and replace the community's municipalities, regions and units.

The packaged St. Olavs data is only the default: a community loads its own lists
(same columns as ``src/flyt/reference/*.csv``). A replacement that would orphan stored
records (a municipality or unit still in use) is refused.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import click
import sqlalchemy as sa

from flyt.cli.common import Context, db_option, user_errors
from flyt.domain.codes import UNIT_KINDS
from flyt.store import schema

LISTS = {
    "municipalities": (schema.municipalities, ["kommunenummer", "name", "region",
                                               "population_approx"]),
    "units": (schema.units, ["unit", "kind", "owner", "beds_default"]),
}


def _int(text: str, what: str, line: int) -> int | None:
    if not text.strip():
        return None
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"line {line}: {what} '{text}' is not a whole number") from None


def parse(kind: str, text: str) -> list[dict]:
    """Rows to store, or ValueError naming the first bad line."""
    _, columns = LISTS[kind]
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"missing column(s): {', '.join(missing)}")
    rows = []
    for line, r in enumerate(reader, start=2):
        if kind == "municipalities":
            code = r["kommunenummer"].strip()
            if not (len(code) == 4 and code.isdigit()):
                raise ValueError(f"line {line}: kommunenummer '{code}' is not 4 digits")
            rows.append({"code": code, "name": r["name"].strip(), "region": r["region"].strip(),
                         "population": _int(r["population_approx"], "population", line)})
        else:
            if r["kind"].strip() not in UNIT_KINDS:
                raise ValueError(f"line {line}: kind '{r['kind']}' is not one of "
                                 f"{', '.join(UNIT_KINDS)}")
            rows.append({"name": r["unit"].strip(), "kind": r["kind"].strip(),
                         "owner": r["owner"].strip(),
                         "beds_default": _int(r["beds_default"], "beds_default", line)})
    keys = [r["code" if kind == "municipalities" else "name"] for r in rows]
    if len(set(keys)) != len(keys):
        raise ValueError("the list names the same entry twice")
    if not rows:
        raise ValueError("the file has no rows")
    return rows


_IN_USE = {
    "municipalities": [("stays", "municipality"), ("short_stays", "municipality")],
    "units": [("stays", "location"), ("short_stays", "unit"), ("bed_census", "unit")],
}


@click.group()
def reference() -> None:
    """The community's municipalities, regions and units (configuration)."""


@reference.command(name="show")
@click.argument("kind", type=click.Choice(list(LISTS)))
@db_option
@user_errors
def show(kind: str, db_url: str | None) -> None:
    """Print the list as CSV (the format `load` takes)."""
    table, columns = LISTS[kind]
    with Context(db_url).db.engine.connect() as conn:
        rows = conn.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(["" if v is None else v for v in row] for row in rows)


@reference.command(name="load")
@click.argument("kind", type=click.Choice(list(LISTS)))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
@user_errors
def load(kind: str, file: Path, db_url: str | None) -> None:
    """Replace the list with FILE (CSV), all or nothing."""
    rows = parse(kind, file.read_text(encoding="utf-8"))
    table, _ = LISTS[kind]
    keys = {r["code" if kind == "municipalities" else "name"] for r in rows}
    db = Context(db_url).db
    with db.engine.begin() as conn:
        for records, column in _IN_USE[kind]:
            used = set(conn.execute(sa.text(
                f"SELECT DISTINCT {column} FROM {records} WHERE {column} IS NOT NULL")).scalars())
            if used - keys:
                raise ValueError(f"refused: {records} still use {', '.join(sorted(used - keys))}")
        conn.execute(table.delete())
        conn.execute(table.insert(), rows)
    click.echo(f"Loaded {len(rows)} {kind}. Run `flyt recompute` to update the KPIs.")
