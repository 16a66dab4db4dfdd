"""The README and docs stay true to the command line."""

from __future__ import annotations

import re
from pathlib import Path

from flyt.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in cli.commands.items():
        subcommands = getattr(command, "commands", None)
        for full in ([f"flyt {name} {sub}" for sub in subcommands] if subcommands
                     else [f"flyt {name}"]):
            assert full in readme or f"`flyt {name}" in readme, full


def test_every_kpi_option_is_documented():
    text = (ROOT / "README.md").read_text(encoding="utf-8") + (
        ROOT / "docs" / "data-formats.md").read_text(encoding="utf-8")
    for param in cli.commands["kpi"].params:
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
        if re.search(r"""\.\./shared|["']shared["']""", text):
            outside.append(f"{path.relative_to(ROOT)}: shared")
        for n in re.findall(r"Path\(__file__\)(?:\.resolve\(\))?\.parents\[(\d+)\]", text):
            if ROOT not in (path.parents[int(n)], *path.parents[int(n)].parents):
                outside.append(f"{path.relative_to(ROOT)}: parents[{n}]")
    assert outside == []
