"""``flyt serve``: the dashboard (flyt.web) on a local port, and beside it, in the same
process, the PLO watcher, the mail schedule and the local channel (flyt.cli.serving)."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

import click

from flyt.cli.common import db_option, user_errors


@click.command(name="serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0: every interface; put TLS in front).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--watch-plo", "plo_folders", multiple=True, metavar="FOLDER",
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Also receive the PLO messages that arrive in this folder (repeat for "
                   "more). Default: [serve] plo_folders in the configuration.")
@click.option("--receipts", "receipts_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Folder for the PLO receipts. Default: [serve] receipts, "
                                 "else <data dir>/plo/receipts.")
@click.option("--schedule/--no-schedule", default=None,
              help="Also mail the reports on the schedule ([schedule], [distribution]). "
                   "Default: [serve] schedule.")
@db_option
@user_errors
def serve(host: str, port: int, plo_folders: tuple[Path, ...], receipts_dir: Path | None,
          schedule: bool | None, db_url: str | None) -> None:
    """Run the dashboard: open http://HOST:PORT/ in a browser."""
    import uvicorn

    from flyt.cli.serving import Background, plan_for
    from flyt.config import load_serve_settings
    from flyt.i18n import t
    from flyt.web.app import create_app

    configured = load_serve_settings()
    plan = plan_for(configured, plo_folders, receipts_dir, schedule)  # checked before it starts
    app = create_app(db_url)
    background = Background(app.state.db, app.state.settings, plan)
    click.echo(t("serve_running", plan.lang).format(host=host, port=port), err=True)
    for line in background.describe(plan.lang):
        click.echo(line, err=True)
    _exit_on_signals()
    try:
        background.start()
        # The app itself believes X-Forwarded-For only from `[web] trusted_proxies`
        # (flyt.web.app); uvicorn's own handling would trust 127.0.0.1 whatever is set.
        uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False)
    finally:
        background.stop()
        app.state.db.close()
        click.echo(t("serve_stopped", plan.lang), err=True)


def _exit_on_signals() -> None:
    """uvicorn answers Ctrl+C and SIGTERM by shutting down, then raises the signal again
    to the handler that was there before it. Python's default for SIGTERM ends the
    process at once: the background work would be cut off and the database left
    unclosed. With this handler the run ends as an exit, and the stopping above runs
    (also for a signal that comes before uvicorn has started)."""

    def leave(signum: int, frame: Any) -> None:
        raise SystemExit(0)

    for name in ("SIGINT", "SIGTERM"):
        signal.signal(getattr(signal, name), leave)
