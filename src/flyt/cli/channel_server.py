"""The server side of the local channel (flyt.cli.channel): a small HTTP app on a loopback
port of its own, run by ``flyt serve`` in a thread beside the dashboard while it holds
the embedded database.

Every request must carry the token of the channel file (a bearer token: no cookie, so
no page in a browser can send it) and come from loopback; none may carry an Origin
header (only browsers send one). Each request is audited, as the dashboard audits its
own (action ``local.command``, or ``local.refused`` for one without the token), and
does what the command would do, with the server's database and settings; the answer
is what the command prints (flyt.cli.forward prints it) and how it ends.
"""

from __future__ import annotations

import hmac
import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from ipaddress import ip_address
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from flyt.accounts import audit, users
from flyt.cli import channel
from flyt.cli.data import import_lines
from flyt.config import Settings
from flyt.domain.identity import mask_national_ids
from flyt.ingest.importer import import_file
from flyt.ingest.kinds import KIND_SPECS
from flyt.plo.commands import not_received, outcome_lines, replay_lines
from flyt.plo.limits import load_plo_limits
from flyt.plo.receive import message_files, receive_files
from flyt.plo.replay import replay_messages
from flyt.store.db import Database, StoreError
from flyt.web import freshness

log = logging.getLogger(__name__)
Lines = list[tuple[str, bool]]  # (text, to standard error)


class BadRequest(ValueError):
    """A request the client of this channel would never send."""


@dataclass
class Answer:
    """What the command prints, how it ends, and the audit entry's detail."""

    lines: Lines = field(default_factory=list)
    error: str | None = None  # the command's one-line error (exit 1)
    exit_code: int = 0
    detail: str = ""
    status: int = 200  # 400: a request the command line would not send


@dataclass
class Work:
    """The commands the channel does, in the server's process."""

    db: Database
    settings: Settings
    receipts: Path  # where the PLO receipts go when the command names no folder
    writing: threading.Lock  # taken turns with flyt serve's PLO watcher

    def import_kind(self, kind: str, body: dict[str, Any]) -> Answer:
        path = _path(body, "file")
        source, fmt = _text(body, "source"), _choice(body, "fmt", ("text", "json"))
        new_records = body.get("new_records") is True
        with self.writing:
            report = import_file(self.db, kind, path, settings=self.settings, source=source,
                                 new_records=new_records)
        freshness.forget()  # the dashboard shows the import at its next page
        return Answer(import_lines(report, fmt), exit_code=0 if report.status == "ok" else 1,
                      detail=f"{report.file_name}: {report.status}, {report.rows_read} rows")

    def import_plo(self, body: dict[str, Any]) -> Answer:
        path, fmt = _path(body, "path"), _choice(body, "fmt", ("text", "json"))
        receipts = _path(body, "receipts") if body.get("receipts") is not None else self.receipts
        limits = load_plo_limits()
        with self.writing:
            outcomes = receive_files(self.db, message_files(path), self.settings, receipts,
                                     limits=limits)
            replayed = replay_messages(self.db)
        freshness.forget()
        lines = [(line, False) for line in outcome_lines(outcomes, fmt)]
        lines += [(line, True) for line in replay_lines(replayed, fmt)]
        return Answer(lines, error=not_received(outcomes), detail=f"{len(outcomes)} messages")

    def user(self, action: str, body: dict[str, Any]) -> Answer:
        name = _text(body, "name")
        if action == "disable":
            users.disable(self.db, name)
            done = f"disabled {name}"
        elif action == "enable":
            users.enable(self.db, name)
            done = f"enabled {name}"
        else:
            users.set_password(self.db, name, _text(body, "password"))
            done = f"password set for {name}"
        return Answer([(done, True)], detail=name)

    def routes(self) -> dict[str, Callable[[dict[str, Any]], Answer]]:
        found: dict[str, Callable[[dict[str, Any]], Answer]] = {
            f"import/{kind}": _bound(self.import_kind, kind) for kind in KIND_SPECS}
        found["import/plo"] = self.import_plo
        for action in ("disable", "enable", "passwd"):
            found[f"user/{action}"] = _bound(self.user, action)
        return found


def _bound(method: Callable[[str, dict[str, Any]], Answer],
           first: str) -> Callable[[dict[str, Any]], Answer]:
    return lambda body: method(first, body)


def _text(body: dict[str, Any], key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value:
        raise BadRequest(f"{key}: a text is needed")
    return value


def _choice(body: dict[str, Any], key: str, allowed: tuple[str, ...]) -> str:
    value = _text(body, key)
    if value not in allowed:
        raise BadRequest(f"{key}: one of {', '.join(allowed)}")
    return value


def _path(body: dict[str, Any], key: str) -> Path:
    path = Path(_text(body, key))
    if not path.is_absolute():
        raise BadRequest(f"{key}: an absolute path is needed")
    return path


def build_app(work: Work, token: str, echo: Callable[[str], None]) -> Starlette:
    routes = work.routes()

    async def command(request: Request) -> JSONResponse:
        name = request.path_params["command"]
        shown = name.replace("/", " ")[:100]  # "import stays", as the command is typed
        ip = request.client.host if request.client else None
        if not _allowed(request, token):
            await run_in_threadpool(audit.record_as, work.db, None, "local.refused", shown,
                                    "no valid token", ip)
            echo(f"local channel: refused a request for {shown} from {ip}")
            return JSONResponse({"error": "not allowed"}, status_code=401)
        if name not in routes:
            return JSONResponse({"error": f"unknown command {name}"}, status_code=404)
        try:
            body = await request.json()
            if not isinstance(body, dict):
                raise BadRequest("a JSON object is needed")
        except ValueError:
            return JSONResponse({"error": "a JSON object is needed"}, status_code=400)
        answer = await run_in_threadpool(_do, routes[name], body)
        detail = mask_national_ids(answer.detail or (answer.error or ""))[0][:500]
        await run_in_threadpool(audit.record_as, work.db, None, "local.command", shown,
                                detail, ip)
        echo(f"local channel: {shown}: {detail}")
        return JSONResponse({"lines": answer.lines, "error": answer.error,
                             "exit_code": answer.exit_code}, status_code=answer.status)

    return Starlette(routes=[Route("/v1/{command:path}", command, methods=["POST"])])


def _do(work: Callable[[dict[str, Any]], Answer], body: dict[str, Any]) -> Answer:
    """Do one command; its expected failures as the command line says them."""
    try:
        return work(body)
    except BadRequest as exc:
        return Answer(error=f"a malformed request: {exc}", status=400)
    except OSError as exc:  # the server reads files as its own user, in its own view
        return Answer(error=f"the server cannot read it: {exc}")
    except (StoreError, ValueError) as exc:
        return Answer(error=str(exc))
    except Exception as exc:  # a bug: the traceback to the server's log, one line back
        log.exception("the local channel's command failed")
        return Answer(error=f"unexpected {type(exc).__name__} in the server (its log has "
                            f"the details): {exc}", exit_code=70)


def _allowed(request: Request, token: str) -> bool:
    given = request.headers.get("authorization", "")
    host = request.client.host if request.client else ""
    try:
        loopback = ip_address(host).is_loopback
    except ValueError:
        loopback = False
    return (loopback and "origin" not in request.headers
            and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()))


class ChannelServer:
    """The channel's HTTP server, in a thread of its own, and its file."""

    def __init__(self, work: Work, database: Path, echo: Callable[[str], None]) -> None:
        self.database = database
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.bind((channel.HOST, 0))
        self.socket.listen(16)
        self.info = channel.ChannelInfo(pid=os.getpid(), port=self.socket.getsockname()[1],
                                        token=channel.new_token())
        app = build_app(work, self.info.token, echo)
        self.server = uvicorn.Server(uvicorn.Config(
            app, log_level="warning", lifespan="off", access_log=False, proxy_headers=False,
            server_header=False))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]},
                                       name="flyt-local-channel", daemon=True)

    def start(self) -> None:
        self.thread.start()
        channel.publish(self.database, self.info)

    def stop(self) -> None:
        """Ask it to stop: a command under way is finished first."""
        channel.withdraw(self.database, self.info)
        self.server.should_exit = True

    def join(self, timeout: float) -> bool:
        if self.thread.ident is not None:  # not started: the server failed before it
            self.thread.join(timeout)
        if not self.thread.is_alive():
            self.socket.close()
        return not self.thread.is_alive()
