"""The ``flyt`` command (spec/formats.md is the contract for its flags).

The shell: the UKP statistics' own commands (cli/*), and each area's commands from its
``commands`` module, registered below.
"""

from __future__ import annotations

import click

from flyt import __version__
from flyt.accounts import commands as accounts
from flyt.cli.data import demo, generate, import_group
from flyt.cli.numbers import goals, kpi, recompute, snapshot
from flyt.cli.reference import reference
from flyt.cli.reports import report
from flyt.cli.web import serve
from flyt.config import use_private_files
from flyt.distribution import commands as distribution
from flyt.payment import commands as payment
from flyt.plo import commands as plo


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="flyt")
def cli() -> None:
    """Flyt: patient flow between hospital and municipalities (UKP statistics)."""


for command in (import_group, generate, demo, kpi, goals, snapshot, recompute, reference, plo.plo,
                report, distribution.send, distribution.schedule, serve, accounts.user,
                accounts.audit_group):
    cli.add_command(command)
report.add_command(payment.payment)  # flyt report payment


def main() -> None:
    use_private_files()  # the data folder is for this user alone (flyt.config)
    cli(prog_name="flyt")
