"""A command run while another process holds the embedded database file (DuckDB lets
one process at a time open it) says so in one sentence in the user's language, names
the process, and exits with 2: no traceback, no driver message. The holder is a real
process; the commands run in this process and, for one, as a process of their own."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from flyt.cli.common import user_errors
from flyt.cli.main import COMMANDS, cli, load
from flyt.store.db import Database
from tests.support.server import flyt, flyt_env

HOLD = ("import duckdb, sys; connection = duckdb.connect(sys.argv[1]); "
        "print('holding', flush=True); sys.stdin.read()")


@contextmanager
def held(path: Path) -> Iterator[int]:
    """Another process that has the file open; its pid."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        yield holder.pid
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "store" / "flyt.duckdb"
    Database.open(f"duckdb:///{path}").close()
    return path


def in_use_by_other(path: Path, pid: int) -> str:
    return (f"Feil: databasen {path} er i bruk av en annen prosess (pid {pid}). Vent til den "
            "er ferdig, eller stopp den, og prøv igjen")


def test_opening_a_file_another_process_holds_names_that_process(store: Path):
    from flyt.store.db import StoreInUse

    with held(store) as pid, pytest.raises(StoreInUse) as raised:
        Database.open(f"duckdb:///{store}")
    assert (raised.value.path, raised.value.pid) == (store, pid)


def test_a_command_in_a_process_of_its_own_says_who_holds_the_file_and_exits_2(
        store: Path, tmp_path: Path):
    env = flyt_env(tmp_path / "data")
    with held(store) as pid:
        done = flyt(env, "kpi", "--db", str(store))
    assert done.code == 2, done.err
    assert done.err.startswith(in_use_by_other(store, pid)), done.err
    assert len(done.err.strip().splitlines()) == 1
    assert "Traceback" not in done.err and "IO Error" not in done.err and done.out == ""


def command_lines(tmp_path: Path) -> list[list[str]]:
    """A command line of every kind that opens the store."""
    stays = tmp_path / "stays.csv"
    stays.write_text("stay_id\n", encoding="utf-8")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    return [["kpi"], ["goals"], ["snapshot"], ["recompute"], ["reference", "show", "units"],
            ["import", "stays", str(stays)], ["import", "plo", str(inbox)],
            ["import", "plo", str(inbox), "--watch"], ["plo", "receivers", "list"],
            ["plo", "quarantine"], ["plo", "retry"], ["report", "payment", "--month", "2024-03"],
            ["report", "monthly", "--month", "2024-03", "--format", "html", "--output",
             str(tmp_path / "r.html")], ["schedule", "show"], ["user", "list"],
            ["user", "disable", "kari"], ["audit", "export"], ["serve"]]


def test_every_kind_of_command_turns_the_held_file_into_the_sentence(store: Path,
                                                                     tmp_path: Path):
    runner = CliRunner()
    with held(store) as pid:
        results = {" ".join(line[:2]): runner.invoke(cli, [*line, "--db", str(store)])
                   for line in command_lines(tmp_path)}
    wrong = {name: (r.exit_code, r.output) for name, r in results.items()
             if r.exit_code != 2 or not r.stderr.startswith(in_use_by_other(store, pid))}
    assert wrong == {}


def test_a_command_with_lang_en_says_it_in_english(store: Path):
    with held(store) as pid:
        result = CliRunner().invoke(cli, ["goals", "--lang", "en", "--db", str(store)])
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"Error: the database {store} is in use by another process (pid {pid}). Wait until "
        "it is done, or stop it, and try again"), result.stderr


def all_commands() -> Iterator[tuple[str, click.Command]]:
    def walk(name: str, command: click.Command) -> Iterator[tuple[str, click.Command]]:
        if isinstance(command, click.Group):
            context = click.Context(command)
            for sub in command.list_commands(context):
                found = command.get_command(context, sub)
                assert found is not None
                yield from walk(f"{name} {sub}", found)
        else:
            yield name, command

    for name, target in COMMANDS.items():
        yield from walk(name, load(target))


def test_every_command_that_takes_a_database_turns_its_errors_into_sentences():
    # The sentence comes from user_errors: a command with --db must be wrapped in it.
    marker = user_errors(lambda: None).__code__
    with_db = {name: command for name, command in all_commands()
               if any(p.name == "db_url" for p in command.params)}
    assert len(with_db) > 25
    unwrapped = [name for name, command in with_db.items()
                 if getattr(command.callback, "__code__", None) is not marker]
    assert unwrapped == []
