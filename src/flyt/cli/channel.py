"""The local channel of ``flyt serve`` on the embedded database: how a command finds the
running server that holds the DuckDB file, and how it asks it to do its work.

DuckDB lets one process at a time open the file. While ``flyt serve`` runs, it listens
on a second, loopback-only port (never the dashboard's) for a few commands
(flyt.cli.forward), and writes where and with which secret to a file beside the
database: ``<database>.serve.json``, mode 0600, owned by the server's user. Whoever can
read that file could open the database itself, so holding its token is the proof a
request needs; the server audits every request (flyt.cli.channel_server).
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import stat
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from flyt.config import write_private

VERSION = 1
HOST = "127.0.0.1"


class ChannelError(Exception):
    """The running server could not be asked (gone, refused, broken answer)."""


@dataclass(frozen=True)
class ChannelInfo:
    pid: int
    port: int
    token: str
    version: int = VERSION


def channel_file(database: Path) -> Path:
    return database.with_name(database.name + ".serve.json")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def publish(database: Path, info: ChannelInfo) -> Path:
    """Write the channel file (0600 from its first byte); an old one, left by a server
    that did not stop cleanly, is replaced."""
    path = channel_file(database)
    path.unlink(missing_ok=True)
    write_private(path, json.dumps(asdict(info)))
    return path


def withdraw(database: Path, info: ChannelInfo) -> None:
    """Remove the channel file if it is still this server's."""
    path = channel_file(database)
    if find(database) == info:
        path.unlink(missing_ok=True)


def find(database: Path, pid: int | None = None) -> ChannelInfo | None:
    """The channel of the server holding ``database`` (``pid``: the process DuckDB
    names as the lock's holder), or None: no file, a file of another process, or one
    that anyone but this user could have written or read."""
    path = channel_file(database)
    try:
        with path.open("rb") as file:
            mode = os.fstat(file.fileno())
            data = file.read(4096)
    except OSError:
        return None
    if mode.st_uid != os.getuid() or stat.S_IMODE(mode.st_mode) & 0o077:
        return None
    try:
        info = ChannelInfo(**json.loads(data))
    except (ValueError, TypeError):
        return None
    if info.version != VERSION or (pid is not None and info.pid != pid):
        return None
    return info


def ask(info: ChannelInfo, path: str, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """POST ``payload`` as JSON to the server's ``path``: its status and JSON answer.
    No timeout: an import through the server takes as long as it takes."""
    connection = http.client.HTTPConnection(HOST, info.port)
    try:
        connection.request("POST", path, body=json.dumps(payload).encode(),
                           headers={"Authorization": f"Bearer {info.token}",
                                    "Content-Type": "application/json"})
        response = connection.getresponse()
        body = response.read()
    except OSError as exc:
        raise ChannelError(f"no answer on 127.0.0.1:{info.port} ({exc})") from exc
    finally:
        connection.close()
    try:
        answer = json.loads(body)
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise ChannelError(f"an answer that is not JSON (HTTP {response.status})")
    return response.status, answer
