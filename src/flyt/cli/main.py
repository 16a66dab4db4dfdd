"""The ``flyt`` command (spec/formats.md is the contract for its flags).

The shell: the UKP statistics' own commands (cli/*), and each area's commands from its
``commands`` module, registered below by name. A command's module is imported when the
command runs (click's lazy group pattern): ``flyt kpi`` does not pay for the web, the
mail or the PDF libraries.
"""

from __future__ import annotations

import importlib

import click

from flyt import __version__
from flyt.config import use_private_files

# name → "module:attribute" (the click command); subcommands an area adds to a shell
# group: group name → its extra commands, loaded with the group.
COMMANDS = {
    "import": "flyt.cli.data:import_group",
    "generate": "flyt.cli.data:generate",
    "demo": "flyt.cli.data:demo",
    "kpi": "flyt.cli.numbers:kpi",
    "goals": "flyt.cli.numbers:goals",
    "snapshot": "flyt.cli.numbers:snapshot",
    "recompute": "flyt.cli.numbers:recompute",
    "reference": "flyt.cli.reference:reference",
    "plo": "flyt.plo.commands:plo",
    "report": "flyt.cli.reports:report",
    "send": "flyt.distribution.commands:send",
    "schedule": "flyt.distribution.commands:schedule",
    "serve": "flyt.cli.web:serve",
    "user": "flyt.accounts.commands:user",
    "audit": "flyt.accounts.commands:audit_group",
    "token": "flyt.accounts.commands:token",
    "deviations": "flyt.deviations.commands:deviations",
    "plan": "flyt.plan.commands:plan",
    "forecast": "flyt.capacity.commands:forecast",
    "escalation": "flyt.capacity.commands:escalation",
    "simulate": "flyt.simulation.commands:simulate",
}
EXTRA = {"report": ("flyt.payment.commands:payment",  # flyt report payment
                    "flyt.deviations.commands:report_deviations",  # flyt report deviations
                    "flyt.plan.commands:report_plan",  # flyt report plan
                    "flyt.capacity.commands:report_capacity",  # flyt report capacity
                    "flyt.simulation.commands:report_simulation")}  # flyt report simulation


def load(target: str) -> click.Command:
    module, attribute = target.split(":")
    command = getattr(importlib.import_module(module), attribute)
    assert isinstance(command, click.Command), target
    return command


class LazyGroup(click.Group):
    """Commands by name, each imported when it is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        command = load(target)
        if isinstance(command, click.Group):
            for extra in EXTRA.get(cmd_name, ()):
                sub = load(extra)
                command.add_command(sub)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="flyt")
def cli() -> None:
    """Flyt: patient flow between hospital and municipalities (UKP statistics)."""


def main() -> None:
    use_private_files()  # the data folder is for this user alone (flyt.config)
    cli(prog_name="flyt")
