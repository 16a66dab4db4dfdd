"""The web application: `create_app` wires the store, the pages and the middleware.

    uvicorn --factory flyt.web.app:create_app     (what `flyt serve` runs)
"""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from flyt import __version__
from flyt.config import Settings, load_settings
from flyt.store.db import Database
from flyt.web import auth
from flyt.web.pages import data, municipality, overview, reports, snapshot, trends

# Sent with every response (OWASP secure headers): no framing, no sniffing, no
# referrer leaving the site, and scripts/styles only from ourselves.
SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; img-src 'self' data:; "
                                "style-src 'self' 'unsafe-inline'; script-src 'self'; "
                                "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SecurityHeaders:
    """Adds SECURITY_HEADERS (and HSTS over https) to every response that lacks them.
    Plain ASGI: no extra task and body copy per request, as @app.middleware would do."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = dict(SECURITY_HEADERS)
        if scope.get("scheme") == "https":
            extra["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(db_url: str | None = None, settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings(db_url)
    app = FastAPI(title="Flyt", version=__version__,
                  description="Samhandlingsdashboard: UKP statistics for the hospital and "
                              "every municipality. Every page has a JSON twin (.json).")
    app.state.settings = settings
    app.state.db = Database.open(settings.database_url)
    auth.install(app)  # first: the security headers below wrap its 401/403/429 too
    app.add_middleware(data.UploadLimit)  # before anything reads an upload's body
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=str(resources.files("flyt.web") / "static")),
              name="static")
    app.include_router(overview.router)
    for pages in (trends, municipality, snapshot, data, reports):
        app.include_router(pages.router)
    return app
