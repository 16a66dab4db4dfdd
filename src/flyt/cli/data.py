"""Data in: ``flyt import …``, ``flyt generate``, and ``flyt demo`` (the newcomer's first run)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import click

from flyt import i18n
from flyt.cli.common import MOMENT, Context, announce, db_option, user_errors
from flyt.config import data_dir
from flyt.domain import clock
from flyt.domain.codes import KPIS
from flyt.domain.months import add_months
from flyt.engine import compute as engine
from flyt.engine import moments
from flyt.engine.read import goal_rows, kpi_rows
from flyt.ingest.echo import escape
from flyt.ingest.importer import ImportReport, import_file
from flyt.ingest.kinds import KIND_SPECS
from flyt.plo.commands import import_plo


def report_text(report: ImportReport) -> str:
    name = escape(report.file_name)  # a file name can hold control characters too
    if report.status == "ok":
        text = (f"{name}: read {report.rows_read} rows, accepted {report.accepted} "
                f"({report.new} new, {report.updated} updated, {report.unchanged} unchanged")
        text += f", {report.removed} periods removed" if report.removed else ""
        return text + "), rejected 0."
    lines = [f"{name}: REJECTED, nothing was imported. {escape(report.message or '')}".rstrip()]
    if report.elsewhere is not None:
        lines.append(report.elsewhere.hint(web=False)("en"))
    for e in report.errors:
        where = f"row {e.row}" + (f", column {e.column}" if e.column else "")
        value = f" (value '{escape(e.value)}')" if e.value not in (None, "") else ""
        lines.append(f"  {where}{value}: {escape(e.reason)}")
    more = report.error_count - len(report.errors)
    if more > 0:
        lines.append(f"  … and {more} more error(s) not listed ({report.rejected_rows} bad rows "
                     "in all; [ingest] max_error_details lists more)")
    return "\n".join(lines)


def _import_command(kind: str) -> click.Command:
    @click.command(name=kind, help=f"Import a {kind} file (CSV or XLSX), all or nothing.")
    @click.argument("file", type=click.Path(path_type=Path))
    @click.option("--source", default="default", show_default=True,
                  help="The system the extract comes from; records are keyed by source + id.")
    @click.option("--new-records", is_flag=True,
                  help="The records are new even where the same patient and time exist under "
                       "another source (else such a file is stopped: it would count twice).")
    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                  show_default=True)
    # Kept for scripts written when an import recomputed: the KPIs are now computed when
    # first asked for, once for every file imported before.
    @click.option("--no-recompute", is_flag=True, hidden=True)
    @db_option
    @user_errors
    def command(file: Path, source: str, new_records: bool, fmt: str, no_recompute: bool,
                db_url: str | None) -> None:
        if not file.exists():
            raise click.ClickException(f"no such file: {file}")
        ctx = Context(db_url)
        report = import_file(ctx.db, kind, file, settings=ctx.settings, source=source,
                             new_records=new_records)
        for text, to_stderr in import_lines(report, fmt):
            click.echo(text, err=to_stderr)
        if report.status != "ok":
            raise SystemExit(1)

    return command


def import_lines(report: ImportReport, fmt: str) -> list[tuple[str, bool]]:
    """What `flyt import KIND` prints (text, whether to standard error); also what it
    prints when `flyt serve` did the import (flyt.cli.channel_server)."""
    lines = [(f"warning: {escape(warning)}", True)
             for warning in (report.warnings if fmt == "text" else ())]
    if fmt == "json":
        return [*lines, (json.dumps(report.as_dict(), ensure_ascii=False, indent=1), False)]
    return [*lines, (report_text(report), report.status != "ok")]


@click.group(name="import")
def import_group() -> None:
    """Import canonical files (spec/formats.md)."""


for _kind in KIND_SPECS:
    import_group.add_command(_import_command(_kind))
import_group.add_command(import_plo)


@click.command()
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for stays.csv, ukp_periods.csv, short_stays.csv, beds.csv.")
@click.option("--stays", type=click.IntRange(min=1000), default=None,
              help="Number of hospital stays in all (default 300 000).")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--until", type=MOMENT, help="Last day of data (default: today).")
@click.option("--plo", "plo_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Also write the stays as PLO pasientlogistikk messages into this folder "
                   "(with receivers.csv: the HER-id of each municipality).")
@user_errors
def generate(output: Path, stays: int | None, seed: int, until: datetime | None,
             plo_dir: Path | None) -> None:
    """Write realistic synthetic demo data (no real patients) as canonical CSV files."""
    from flyt.demo.generate import DEFAULT_STAYS, format_calibration
    from flyt.demo.generate import generate as make

    summary = make(output, stays=stays or DEFAULT_STAYS, seed=seed,
                   until=until.date() if until else None)
    click.echo(f"Wrote {summary.stays} stays, {summary.ukp_periods} extra UKP periods, "
               f"{summary.short_stays} short-term stays and {summary.bed_censuses} bed counts "
               f"to {output}.")
    click.echo(deviations_file_text(output, seed, until.date() if until else None))
    if plo_dir is not None:
        from flyt.demo.plo_stream import write_messages

        n = write_messages(summary, plo_dir, seed=seed)
        click.echo(f"Wrote {n} PLO messages to {plo_dir} (receivers: "
                   f"{plo_dir / 'receivers.csv'}).")
    click.echo(format_calibration(summary))


def kpi_overview(rows, lang: str = "nb") -> str:
    """The KPIs for the whole community, month by month (mm.yy), per sector."""
    lines = []
    for sector in ("somatikk", "psykisk_helsevern"):
        lines.append(f"\n{i18n.t('community', lang)} – {i18n.t(sector, lang)}")
        months = sorted({r.month for r in rows})
        lines.append(f"{'':38}" + "".join(f"{m[5:] + '.' + m[2:4]:>9}" for m in months))
        for number, spec in KPIS.items():
            wanted = "alle" if number == 6 else sector  # KPI 6 is municipal, all sectors
            cells = {r.month: r for r in rows if r.kpi == number
                     and r.group_type == "community" and r.sector == wanted}
            name = spec.name_nb if lang == "nb" else spec.name_en
            values = "".join(
                f"{i18n.number(cells[m].value, spec.decimals, lang) if m in cells else '':>9}"
                for m in months)
            lines.append(f"{number} {name[:36]:<36}{values}")
    return "\n".join(lines) + "\n"


@click.command()
@click.option("--stays", type=click.IntRange(min=1000), default=None,
              help="Size of the demo data (default 300 000 stays).")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--lang", type=click.Choice(i18n.LANGS), default="nb", show_default=True)
@db_option
@user_errors
def demo(stays: int | None, seed: int, lang: str, db_url: str | None) -> None:
    """Generate demo data, import it, and print the last 12 complete months' KPIs and the
    goal status of the last complete month."""
    from flyt.cli.numbers import goals_text
    from flyt.demo.generate import DEFAULT_STAYS, format_calibration
    from flyt.demo.generate import generate as make

    ctx = Context(db_url)
    folder = data_dir() / "demo"
    summary = make(folder, stays=stays or DEFAULT_STAYS, seed=seed)
    click.echo(f"Demo data in {folder}:")
    click.echo(format_calibration(summary))
    for kind in KIND_SPECS:  # the demo's files are named after the kinds, "_" for "-"
        report = import_file(ctx.db, kind, summary.files[kind.replace("-", "_")],
                             settings=ctx.settings, source="demo")
        click.echo(report_text(report))
        if report.status != "ok":
            raise SystemExit(1)
    cutoff = ctx.cutoff(None)
    result = engine.compute(ctx.db, cutoff, ctx.settings.goals)
    month = moments.last_complete_month(cutoff)
    click.echo(f"\nComputed every KPI in {result.seconds:.2f} s (database: {ctx.db.dialect}).")
    click.echo(announce(cutoff, month, lang) + "\n")
    click.echo(kpi_overview(kpi_rows(ctx.db, cutoff, add_months(month, -11), month), lang))
    click.echo(f"Måloppnåelse {month:%m.%Y}:" if lang == "nb" else f"Goals {month:%Y-%m}:")
    click.echo(goals_text(goal_rows(ctx.db, cutoff, month), lang))
    users_text = demo_user_text(ctx, lang)  # first: the deviations' steps are theirs
    click.echo("\n" + demo_deviations_text(ctx, seed, clock.today(), lang))
    click.echo(demo_plan_text(ctx, lang))
    click.echo(demo_escalation_text(ctx, lang))
    click.echo(demo_escalation_plans_text(ctx, lang))
    click.echo(users_text)


def demo_escalation_text(ctx: Context, lang: str) -> str:
    """The escalation levels at the demo's last 08:00 census, stored so that the capacity
    page has levels to show; the line that says so."""
    from flyt.capacity import escalation_inputs, escalation_store
    from flyt.capacity.escalation_settings import load_escalation_settings
    from flyt.capacity.history import CENSUS_HOUR, last_census_day

    moment = datetime.combine(last_census_day(clock.now()), CENSUS_HOUR)
    levels, _ = escalation_inputs.assess_all(ctx.db, moment, load_escalation_settings())
    community = next((g for g in levels if g.group_type == "community"), None)
    if community is None:
        return i18n.t("esc_demo_none", lang)
    escalation_store.save(ctx.db, moment, levels, clock.stamp())
    municipal = [g for g in levels if g.group_type == "municipality"]
    return i18n.t("esc_demo_stored", lang).format(
        at=i18n.moment(moment, lang), level=community.level, count=len(municipal),
        raised=sum(g.level >= 2 for g in municipal))


def demo_plan_text(ctx: Context, lang: str) -> str:
    from flyt.demo import plan as demo_plan

    stored = demo_plan.store(ctx.db, clock.today())
    return i18n.t("demoplan_stored" if stored else "demoplan_kept", lang)


def demo_escalation_plans_text(ctx: Context, lang: str) -> str:
    from flyt.demo import escalation_plans

    stored = escalation_plans.store(ctx.db)
    return i18n.t("escplan_demo_stored", lang).format(count=stored)


def deviations_file_text(output: Path, seed: int, until: date | None) -> str:
    """`flyt generate` writes the demo's deviations as a file of `flyt deviations import`."""
    from flyt.demo import deviations as demo_deviations

    until = until or clock.today()
    items = demo_deviations.generate(seed, until)
    path = output / "deviations.csv"
    demo_deviations.write_csv(path, items)
    return f"Wrote {len(items)} deviations to {path} (flyt deviations import {path.name})."


def demo_deviations_text(ctx: Context, seed: int, until: date, lang: str) -> str:
    """A year of demo deviations stored (a store that has them keeps them), the demo
    users' steps theirs; the line that says so."""
    from flyt.accounts import users
    from flyt.demo import deviations as demo_deviations
    from flyt.deviations.errors import InvalidDeviation

    acting = {r.organisation: r.id for name, *_ in DEMO_USERS
              if (r := users.get(ctx.db, name)) is not None and r.organisation}
    try:
        stored = demo_deviations.store(ctx.db, demo_deviations.generate(seed, until),
                                       users=acting)
    except InvalidDeviation as refused:  # e.g. a [deviations] categories without a code
        return i18n.t("demodev_refused", lang).format(why=refused.message(lang))
    if not stored:
        return i18n.t("demodev_kept", lang).format(count=demo_deviations.stored_count(ctx.db))
    start, end = demo_deviations.demo_period(until)
    return i18n.t("demodev_stored", lang).format(
        count=stored, start=i18n.day(start, lang), end=i18n.day(end - timedelta(days=1), lang))


# The demo's users, one of each kind of organisation: name, role, municipality,
# organisation (None: the role's). `demo` last: its line is the one people look for.
DEMO_USERS = (("demo-kommune", "municipality", "5001", None),
              ("demo-fastlege", "gp", None, "fastlege-5001"),
              ("demo-forbedring", "improvement", None, None),
              ("demo-kompetanse", "competence", None, None),
              ("demo", "analyst", None, None))


def _fresh_password(ctx: Context, name: str, role: str, municipality: str | None,
                    organisation: str | None) -> str:
    """The demo user made, or given a new random password if it exists."""
    import secrets

    from flyt.accounts import users

    password = secrets.token_urlsafe(12)
    if users.get(ctx.db, name) is None:
        users.add(ctx.db, name, role, municipality, password=password,
                  organisation=organisation, by="flyt demo")
    else:
        users.set_password(ctx.db, name, password, by="flyt demo")
    return password


def _who(role: str, org_id: str | None, lang: str) -> str:
    from flyt.store.reference import packaged_organisations

    names = {o.org_id: o.name for o in packaged_organisations()}
    org = names.get(org_id or "", org_id)
    if role == "municipality":
        return i18n.t("demodev_who_municipality", lang).format(org=org)
    if role == "gp":
        return i18n.t("demodev_who_gp", lang).format(org=org)
    if role == "competence":
        return i18n.t("demodev_who_competence", lang)
    return i18n.t("demodev_who_improvement", lang)


def demo_user_text(ctx: Context, lang: str) -> str:
    """The demo users (DEMO_USERS) with fresh random passwords, printed once, so the
    dashboard and the deviations can be tried at once as each kind of organisation; a
    second `flyt demo` gives them new passwords."""
    fresh = {name: _fresh_password(ctx, name, role, municipality, organisation)
             for name, role, municipality, organisation in DEMO_USERS}
    lines = [i18n.t("demodev_users", lang)]
    lines += [i18n.t("demodev_user", lang).format(
        name=name, who=_who(role, municipality or organisation, lang), password=fresh[name])
        for name, role, municipality, organisation in DEMO_USERS if name != "demo"]
    password = fresh["demo"]
    if lang == "nb":
        return "\n".join(lines) + (
            "\nDashbord: kjør `flyt serve` og åpne http://127.0.0.1:8000/ – logg inn som "
            f"demo med passordet {password}")
    return "\n".join(lines) + (
        f"\nDashboard: run `flyt serve` and open http://127.0.0.1:8000/ – sign in as demo "
        f"with the password {password}")
