"""Numbers out: ``flyt kpi``, ``flyt goals``, ``flyt snapshot``, ``flyt recompute``."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path

import click

from flyt import i18n
from flyt.cli.common import MOMENT, MONTH, Context, announce, db_option, user_errors
from flyt.domain.codes import KPIS
from flyt.engine import compute as engine
from flyt.engine import moments
from flyt.engine.read import GoalRow, goal_rows, kpi_columns, kpi_rows
from flyt.engine.snapshot import Snapshot, take
from flyt.output import kpi_table, writers

output_option = click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
                             help="Write to FILE instead of standard output.")


@click.command()
@click.option("--from", "month_from", type=MONTH, help="First month (YYYY-MM).")
@click.option("--to", "month_to", type=MONTH, help="Last month (YYYY-MM).")
@click.option("--cutoff", type=MOMENT, help="Data as of this moment (a date = 00:00). "
              "Default: now (the newest data).")
@click.option("--format", "fmt", type=click.Choice(writers.FORMATS), default="csv",
              show_default=True)
@click.option("--suppress", is_flag=True, help="The shared edition: disclosure control applied "
              "(cells about 1-4 people hidden, and what would give them away), with "
              "'suppressed' columns.")
@click.option("--rolling", is_flag=True, help="Add rolling 12-month columns.")
@output_option
@db_option
@user_errors
def kpi(month_from: date | None, month_to: date | None, cutoff: datetime | None, fmt: str,
        suppress: bool, rolling: bool, output: Path | None, db_url: str | None) -> None:
    """The long KPI table: month x group x sector x KPI."""
    if month_from and month_to and month_from > month_to:
        raise click.UsageError("--from is after --to")
    ctx = Context(db_url)
    cutoff = ctx.cutoff(cutoff)
    ctx.results(cutoff, shared=suppress)
    click.echo(announce(cutoff), err=True)
    if suppress:  # the shared edition covers complete months (flyt.disclosure.pattern)
        last = moments.last_complete_month(cutoff)
        month_to = min(month_to, last) if month_to else last
    if fmt == "csv":  # the contract's format, straight from the stored columns
        text = kpi_table.csv_text(kpi_columns(ctx.db, cutoff, month_from, month_to),
                                  rolling=rolling, suppress=suppress)
        writers.write_text(text, output, sys.stdout)
        return
    records = kpi_table.table(kpi_rows(ctx.db, cutoff, month_from, month_to), rolling=rolling,
                              suppress=suppress)
    writers.write(records, kpi_table.columns(rolling=rolling, suppress=suppress), fmt, output,
                  sys.stdout)


GOAL_KEYS = ["kpi", "sector", "group_type", "group_id", "baseline", "target", "value",
             "achievement", "expected", "status"]


def _goal_record(g: GoalRow) -> dict:
    def r(x: float | None, nd: int) -> float | None:
        return None if x is None else round(x, nd)

    decimals = max(KPIS[g.kpi].decimals, 1)
    return {"kpi": g.kpi, "sector": g.sector, "group_type": g.group_type,
            "group_id": g.group_id, "baseline": r(g.baseline, decimals),
            "target": r(g.target, decimals), "value": r(g.value, decimals),
            "achievement": r(g.achievement, 1), "expected": r(g.expected, 1),
            "status": g.status}


def goals_text(goal_list: list[GoalRow], lang: str = "nb") -> str:
    head = (f"{i18n.t('kpi', lang):<38} {i18n.t('value_12m', lang):>14} "
            f"{i18n.t('target', lang):>9} {i18n.t('achievement', lang):>12} "
            f"{i18n.t('expected', lang):>10}  {i18n.t('status', lang)}")
    lines = [head, "-" * len(head)]
    for g in goal_list:
        spec = KPIS[g.kpi]
        name = spec.name_nb if lang == "nb" else spec.name_en
        label = f"{g.kpi} {name}"
        if g.group_type == "unit":
            label += f" ({g.group_id})"
        nd = spec.decimals
        lines.append(
            f"{label[:38]:<38} {i18n.number(g.value, nd, lang):>14} "
            f"{i18n.number(g.target, nd, lang):>9} "
            f"{i18n.percent(g.achievement, 1, lang):>12} "
            f"{i18n.percent(g.expected, 1, lang):>10}  "
            f"{i18n.t(g.status or 'none', lang)}"
        )
    return "\n".join(lines) + "\n"


@click.command()
@click.option("--month", type=MONTH, help="The month evaluated (default: the last complete "
              "month before the cut-off).")
@click.option("--cutoff", type=MOMENT, help="Data as of this moment. Default: now (the newest "
              "data).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text",
              show_default=True)
@click.option("--lang", type=click.Choice(i18n.LANGS), default="nb", show_default=True)
@output_option
@db_option
@user_errors
def goals(month: date | None, cutoff: datetime | None, fmt: str, lang: str,
          output: Path | None, db_url: str | None) -> None:
    """Goal achievement and status of every configured goal at a month."""
    ctx = Context(db_url)
    cutoff = ctx.cutoff(cutoff)
    month = month or moments.last_complete_month(cutoff)
    ctx.results(cutoff)
    found = goal_rows(ctx.db, cutoff, month)
    if not found:
        raise click.ClickException(
            f"no results for {month:%Y-%m} at cut-off {cutoff:%Y-%m-%d %H:%M}: "
            "the month is outside the data")
    if fmt != "text":
        click.echo(announce(cutoff, month, lang), err=True)
    if fmt == "text":
        text = announce(cutoff, month, lang) + "\n\n" + goals_text(found, lang)
        (output.write_text(text, encoding="utf-8") if output else click.echo(text, nl=False))
        return
    writers.write([_goal_record(g) for g in found], GOAL_KEYS, fmt, output, sys.stdout)


SNAPSHOT_COLUMNS = ["at", "municipality", "name", "region", "patients", "at_hospital",
                    "utlokalisert", "days_waited", "longest_wait"]


def snapshot_records(snap: Snapshot) -> list[dict]:
    at = snap.at.isoformat(timespec="minutes")
    rows = [{"at": at, **m.__dict__} for m in snap.municipalities]
    rows.append({"at": at, "municipality": "all", "name": "", "region": "",
                 "patients": snap.total, "at_hospital": snap.at_hospital,
                 "utlokalisert": snap.utlokalisert,
                 "days_waited": sum(m.days_waited for m in snap.municipalities),
                 "longest_wait": max((m.longest_wait or 0 for m in snap.municipalities),
                                     default=0) if snap.total else None})
    return rows


@click.command()
@click.option("--at", type=MOMENT, help="The moment (default: now).")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json",
              show_default=True)
@output_option
@db_option
@user_errors
def snapshot(at: datetime | None, fmt: str, output: Path | None, db_url: str | None) -> None:
    """UKP patients in hospital at a moment, per municipality, and after-care occupancy."""
    ctx = Context(db_url)
    snap = take(ctx.db, at or moments.now().replace(second=0, microsecond=0))
    if fmt == "json":
        text = json.dumps(snap.as_dict(), ensure_ascii=False, indent=1) + "\n"
        (output.write_text(text, encoding="utf-8") if output else sys.stdout.write(text))
        return
    writers.write(snapshot_records(snap), SNAPSHOT_COLUMNS, "csv", output, sys.stdout)


@click.command()
@click.option("--cutoff", type=MOMENT, help="Data as of this moment. Default: now (the newest "
              "data).")
@db_option
@user_errors
def recompute(cutoff: datetime | None, db_url: str | None) -> None:
    """Recompute and store every KPI and goal for a cut-off."""
    ctx = Context(db_url)
    result = engine.compute(ctx.db, ctx.cutoff(cutoff), ctx.settings.goals)
    click.echo(f"Computed every KPI for cut-off {result.cutoff:%Y-%m-%d %H:%M} "
               f"in {result.seconds:.2f} s.")
