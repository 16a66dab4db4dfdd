"""The ``flyt`` command (spec/formats.md is the contract for its flags)."""

from __future__ import annotations

import click

from flyt import __version__
from flyt.cli.data import demo, generate, import_group
from flyt.cli.numbers import goals, kpi, recompute, snapshot
from flyt.cli.plo import plo
from flyt.cli.reference import reference
from flyt.cli.reports import report
from flyt.cli.users import audit_group, user
from flyt.cli.web import serve
from flyt.config import use_private_files
from flyt.distribution import commands as distribution
from flyt.payment import commands as payment


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="flyt")
def cli() -> None:
    """Flyt: patient flow between hospital and municipalities (UKP statistics)."""


cli.add_command(import_group)
cli.add_command(generate)
cli.add_command(demo)
cli.add_command(kpi)
cli.add_command(goals)
cli.add_command(snapshot)
cli.add_command(recompute)
cli.add_command(reference)
cli.add_command(plo)
cli.add_command(report)
report.add_command(payment.payment)  # flyt report payment
cli.add_command(distribution.send)
cli.add_command(distribution.schedule)
cli.add_command(serve)
cli.add_command(user)
cli.add_command(audit_group)


def main() -> None:
    use_private_files()  # the data folder is for this user alone (flyt.config)
    cli(prog_name="flyt")
