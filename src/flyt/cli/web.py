"""``flyt serve``: the dashboard (flyt.web) on a local port."""

from __future__ import annotations

import click

from flyt.cli.common import db_option, user_errors


@click.command(name="serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0: every interface; put TLS in front).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@db_option
@user_errors
def serve(host: str, port: int, db_url: str | None) -> None:
    """Run the dashboard: open http://HOST:PORT/ in a browser."""
    import threading

    import uvicorn

    from flyt.web.app import create_app
    from flyt.web.pages.common import keep_warm

    app = create_app(db_url)
    stop = threading.Event()
    threading.Thread(target=keep_warm, args=(app.state.db, app.state.settings, stop),
                     name="flyt-keep-warm", daemon=True).start()
    click.echo(f"Flyt kjører på http://{host}:{port}/ (Ctrl+C stopper).", err=True)
    try:
        # The app itself believes X-Forwarded-For only from `[web] trusted_proxies`
        # (flyt.web.app); uvicorn's own handling would trust 127.0.0.1 whatever is set.
        uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False)
    finally:
        stop.set()
