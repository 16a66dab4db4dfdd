"""The web application: `create_app` wires the store, the pages and the middleware.

    uvicorn --factory flyt.web.app:create_app     (what `flyt serve` runs)
"""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

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


def create_app(db_url: str | None = None, settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings(db_url)
    app = FastAPI(title="Flyt", version=__version__,
                  description="Samhandlingsdashboard: UKP statistics for the hospital and "
                              "every municipality. Every page has a JSON twin (.json).")
    app.state.settings = settings
    app.state.db = Database.open(settings.database_url)
    auth.install(app)  # first: the security headers below wrap its 401/403/429 too

    @app.middleware("http")
    async def security_headers(request: Request, call_next) -> Response:  # type: ignore[no-untyped-def]
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.url.scheme == "https":
            response.headers.setdefault("Strict-Transport-Security",
                                        "max-age=31536000; includeSubDomains")
        return response

    app.mount("/static", StaticFiles(directory=str(resources.files("flyt.web") / "static")),
              name="static")
    app.include_router(overview.router)
    for pages in (trends, municipality, snapshot, data, reports):
        app.include_router(pages.router)
    return app
