"""The README and docs stay true to the command line."""

from __future__ import annotations

import re
from pathlib import Path

import click

from flyt.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    context = click.Context(cli)
    for name in cli.list_commands(context):
        command = cli.get_command(context, name)
        subcommands = getattr(command, "commands", None)
        for full in ([f"flyt {name} {sub}" for sub in subcommands] if subcommands
                     else [f"flyt {name}"]):
            assert full in readme or f"`flyt {name}" in readme, full


def test_every_kpi_option_is_documented():
    text = (ROOT / "README.md").read_text(encoding="utf-8") + (
        ROOT / "docs" / "data-formats.md").read_text(encoding="utf-8")
    kpi = cli.get_command(click.Context(cli), "kpi")
    assert kpi is not None
    for param in kpi.params:
        for opt in param.opts:
            if opt.startswith("--") and opt not in ("--help",):
                assert opt in text, opt


def test_the_readme_has_the_two_setup_commands_and_ci_runs_the_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install -e . && flyt demo" in readme
    assert "\n    bash scripts/test.sh\n" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert ci[-1] == "bash scripts/test.sh"  # exactly the README's command, nothing added


def test_the_tests_need_nothing_beside_the_repository():
    # A fresh clone must test alone: no path to the project's shared material, and
    # every `Path(__file__)...parents[n]` stays inside the repository.
    outside = []
    for path in [*(ROOT / "tests").rglob("*.py"), *(ROOT / "scripts").glob("*"), ROOT / ".ci/run"]:
        text = path.read_text(encoding="utf-8")
        # a path to the material beside the repository, not the word itself
        if re.search(r"""\.\./shared|/\s*["']shared["']|["']shared/""", text):
            outside.append(f"{path.relative_to(ROOT)}: shared")
        for n in re.findall(r"Path\(__file__\)(?:\.resolve\(\))?\.parents\[(\d+)\]", text):
            if ROOT not in (path.parents[int(n)], *path.parents[int(n)].parents):
                outside.append(f"{path.relative_to(ROOT)}: parents[{n}]")
    assert outside == []


def test_every_command_loads_and_a_command_loads_only_its_own_module():
    """`flyt` imports a command's module when it runs: each name must load, and `flyt kpi`
    must not pull in the web, the PDF or the mail libraries."""
    import subprocess
    import sys

    context = click.Context(cli)
    assert all(cli.get_command(context, name) is not None for name in cli.list_commands(context))
    probe = ("import sys; from flyt.cli.main import cli; import click; "
             "cli.get_command(click.Context(cli), 'kpi'); "
             "print(sorted(m for m in ('fastapi', 'weasyprint', 'aiosmtpd', 'uvicorn') "
             "if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True).stdout.strip()
    assert loaded == "[]"
