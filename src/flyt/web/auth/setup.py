"""`install(app)`: sessions, the signed-in user, CSRF, sign-in routes, 401 handling."""

from __future__ import annotations

import time
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.middleware.sessions import SessionMiddleware

from flyt import i18n
from flyt.web.auth import audit_page, bearer, routes, users_page
from flyt.web.auth.csrf import CSRFMiddleware
from flyt.web.auth.ratelimit import SignInLimiter
from flyt.web.auth.session import AuthMiddleware
from flyt.web.auth.settings import WebSettings, web_settings
from flyt.web.deps import SignInRequired


def install(app: FastAPI, settings: WebSettings | None = None) -> None:
    """Call before any other middleware is added, so that the security headers (added
    after, hence outermost) are on the 401, 403 and 429 answers from here as well."""
    settings = settings or web_settings()
    app.state.web_settings = settings
    app.state.login_limiter = SignInLimiter()
    app.state.token_limiter = SignInLimiter()  # failed API tokens (bearer.py)
    app.state.clock = time.time  # the sessions' clock (tests move it)
    # Starlette runs the middleware added last first: session → user → CSRF → the page.
    app.add_middleware(CSRFMiddleware)
    app.add_middleware(AuthMiddleware, app_state=app.state)
    app.add_middleware(
        SessionMiddleware, secret_key=settings.secret,
        # __Host-: the browser keeps it to this host and path, only over HTTPS.
        session_cookie="__Host-flyt" if settings.secure_cookies else "flyt",
        # The idle limit: the cookie is re-signed as it is used (session.py), so its
        # signature's age is the time since the user was last seen (within a minute).
        max_age=int(settings.session_hours * 3600), same_site="lax",
        https_only=settings.secure_cookies)
    app.add_exception_handler(SignInRequired, _sign_in_required)  # type: ignore[arg-type]
    app.include_router(routes.router)
    app.include_router(audit_page.router)
    app.include_router(users_page.router)
    if settings.oidc:
        from flyt.web.auth import oidc  # Authlib is imported only when it is configured

        app.include_router(oidc.router)


def wants_json(request: Request) -> bool:
    path = request.url.path
    return path.endswith((".json", ".csv")) or path.startswith("/api/")


async def _sign_in_required(request: Request, exc: SignInRequired) -> Response:
    if request.url.path.startswith(bearer.API_PREFIX):
        return bearer.unauthorized(i18n.t("api_sign_in_required",
                                          bearer.api_language(request.scope)))
    if wants_json(request):
        return JSONResponse({"detail": "sign in first"}, status_code=401)
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
