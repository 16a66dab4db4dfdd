"""The web application: `create_app` wires the store, the pages and the middleware.

    uvicorn --factory --no-proxy-headers flyt.web.app:create_app   (as `flyt serve`)

The app settles the client's address itself from `[web] trusted_proxies`; uvicorn's own
proxy-header handling (on by default, trusting 127.0.0.1) must stay off.
"""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from flyt import __version__, i18n
from flyt.capacity import pages as capacity
from flyt.config import Settings, load_settings
from flyt.deviations import pages as deviations
from flyt.payment import pages as payment
from flyt.plan import pages as plan
from flyt.simulation import pages as simulation
from flyt.store.db import Database
from flyt.web import auth
from flyt.web.pages import data, municipality, overview, reports, snapshot, trends
from flyt.web.render import language

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


def security_headers(https: bool) -> dict[str, str]:
    """SECURITY_HEADERS, and HSTS when the request came over https."""
    headers = dict(SECURITY_HEADERS)
    if https:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return headers


class SecurityHeaders:
    """Adds SECURITY_HEADERS (and HSTS over https) to every response that lacks them.
    Plain ASGI: no extra task and body copy per request, as @app.middleware would do.
    An unhandled error is answered outside every middleware (Starlette's
    ServerErrorMiddleware): `server_error` adds the headers itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = security_headers(scope.get("scheme") == "https")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HeadAsGet:
    """HEAD is answered as GET without the body (RFC 9110), for every GET route: FastAPI
    routes list only the methods they were given, and HEAD would get 405."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}  # headers (Content-Length) as for GET
            await send(message)

        # A copy: the server's own scope still says HEAD, so it sends no body either.
        await self.app({**scope, "method": "GET"}, receive, send_without_body)


def server_error(request: Request, exc: Exception) -> Response:
    """An unhandled error: one plain sentence in the user's language, the security
    headers, no traceback (the server's log has it: Starlette raises it on)."""
    return PlainTextResponse(i18n.t("server_error", language(request)), status_code=500,
                             headers=security_headers(request.url.scheme == "https"))


def create_app(db_url: str | None = None, settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings(db_url)
    # No /docs or /redoc: their pages load scripts from a CDN and run inline ones, which
    # the CSP above refuses. The API's description stays at /openapi.json.
    app = FastAPI(title="Flyt", version=__version__, docs_url=None, redoc_url=None,
                  description="Samhandlingsdashboard: UKP statistics for the hospital and "
                              "every municipality. Every page has a JSON twin (.json).")
    app.add_exception_handler(Exception, server_error)
    app.state.settings = settings
    app.state.db = Database.open(settings.database_url)
    auth.install(app)  # first: the security headers below wrap its 401/403/429 too
    app.add_middleware(data.UploadLimit)  # before anything reads an upload's body
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)
    # Outermost: who the client is (and whether it came over https) is settled before
    # anything else reads it. Only the configured proxies are believed; none by default.
    app.add_middleware(ProxyHeadersMiddleware,
                       trusted_hosts=list(app.state.web_settings.trusted_proxies))
    app.mount("/static", StaticFiles(directory=str(resources.files("flyt.web") / "static")),
              name="static")
    app.include_router(overview.router)
    for pages in (trends, municipality, snapshot, data, reports, payment, deviations,
                  plan, capacity, simulation):
        app.include_router(pages.router)
    return app
