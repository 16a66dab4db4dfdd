"""A command run while ``flyt serve`` holds the embedded database: the few that people
need then go through the server (flyt.cli.channel); every other one says, in one
sentence, what holds the file and what to do instead. Exit code 2, no traceback.

Through the server: ``flyt import KIND FILE`` (every kind), ``flyt import plo PATH``
(not ``--watch``: the server watches folders itself, ``--watch-plo``), ``flyt user
disable|enable|passwd``. The server does the work as the command would, in its own
process, and sends back what the command prints and its outcome.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import click

from flyt.cli import channel
from flyt.i18n import LANGS, t
from flyt.store.db import StoreInUse

Params = dict[str, Any]


@dataclass(frozen=True)
class Forwarder:
    """How one command goes through the server: the request's path and body."""

    path: str
    payload: Callable[[Params], Params]
    applies: Callable[[Params], bool] = lambda params: True


def _absolute(value: Any) -> str:
    return str(Path(value).resolve())


def _import(kind: str) -> Forwarder:
    return Forwarder(f"/v1/import/{kind}", lambda p: {
        "file": _absolute(p["file"]), "source": p["source"],
        "new_records": bool(p["new_records"]), "fmt": p["fmt"]})


def _plo_payload(params: Params) -> Params:
    receipts = params.get("receipts_dir")
    return {"path": _absolute(params["path"]), "fmt": params["fmt"],
            "receipts": _absolute(receipts) if receipts else None}


def _user(action: str) -> Forwarder:
    return Forwarder(f"/v1/user/{action}", lambda p: {"name": p["name"]})


def _passwd_payload(params: Params) -> Params:
    from flyt.accounts.commands import _read_password  # the command's own rule for stdin

    return {"name": params["name"], "password": _read_password()}


def forwarders() -> dict[tuple[str, ...], Forwarder]:
    from flyt.ingest.kinds import KIND_SPECS

    found: dict[tuple[str, ...], Forwarder] = {
        ("import", kind): _import(kind) for kind in KIND_SPECS}
    found[("import", "plo")] = Forwarder("/v1/import/plo", _plo_payload,
                                         applies=lambda p: not p.get("watching"))
    found[("user", "disable")] = _user("disable")
    found[("user", "enable")] = _user("enable")
    found[("user", "passwd")] = Forwarder("/v1/user/passwd", _passwd_payload)
    return found


def command_key(ctx: click.Context) -> tuple[str, ...]:
    """The command's names below `flyt`: ("import", "stays")."""
    names: list[str] = []
    while ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return tuple(reversed(names))


def through_server_or_explain(busy: StoreInUse, ctx: click.Context, params: Params) -> None:
    """Do the command through the server that holds the file, or explain and exit 2."""
    lang = str(params["lang"]) if params.get("lang") in LANGS else "nb"
    info = channel.find(busy.path, busy.pid)
    forwarder = forwarders().get(command_key(ctx))
    if info is None or forwarder is None or not forwarder.applies(params):
        _fail(explanation(busy, info, lang))
    click.echo(t("serve_forwarding", lang).format(pid=info.pid), err=True)
    try:
        status, answer = channel.ask(info, forwarder.path, forwarder.payload(params))
    except channel.ChannelError as exc:
        _fail(t("serve_forward_failed", lang).format(pid=info.pid, why=exc))
    if status != 200:
        _fail(t("serve_forward_failed", lang).format(
            pid=info.pid, why=answer.get("error") or f"HTTP {status}"))
    _replay(answer)


def _replay(answer: dict[str, Any]) -> None:
    """Print what the command printed in the server; end as it ended there."""
    for text, to_stderr in answer.get("lines", []):
        click.echo(text, err=bool(to_stderr))
    if answer.get("error"):
        raise click.ClickException(str(answer["error"]))
    if answer.get("exit_code"):
        raise SystemExit(int(answer["exit_code"]))


def explanation(busy: StoreInUse, info: channel.ChannelInfo | None, lang: str) -> str:
    pid = busy.pid or (info.pid if info else None)
    shown = str(pid) if pid else t("serve_pid_unknown", lang)
    if info is not None:
        return t("serve_in_use_by_server", lang).format(pid=shown)
    return t("serve_in_use_by_other", lang).format(pid=shown, path=busy.path)


def _fail(text: str) -> NoReturn:
    click.echo(text, err=True)
    sys.exit(2)
