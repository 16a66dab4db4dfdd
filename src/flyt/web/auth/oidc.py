"""Sign-in with OpenID Connect (HelseID or any other provider), `[web.oidc]`.

Authorization-code flow with PKCE (S256), state and nonce, by Authlib: it keeps state,
nonce and the code verifier in the signed session, reads the provider's discovery
document and checks the ID token's signature, issuer, audience, expiry and nonce.

A provider's user is matched by the ID token's `sub` to `users.oidc_subject` (set with
`flyt user add … --oidc-subject` or `flyt user link`). Nothing else from the token is
stored: HelseID's `helseid://claims/identity/pid` (the national identity number) in
particular is neither kept nor logged. Unknown subjects are refused: an administrator
adds users; nobody becomes one by signing in.
"""

from __future__ import annotations

from functools import cache

from authlib.integrations.starlette_client import OAuth, OAuthError
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from flyt.accounts import audit, users
from flyt.web.auth import session
from flyt.web.auth.routes import login_form, safe_next
from flyt.web.auth.settings import OidcSettings
from flyt.web.deps import Db, client_ip

router = APIRouter()
NAME = "oidc"


@cache
def _client(settings: OidcSettings) -> object:
    oauth = OAuth()
    kwargs = {"scope": settings.scopes, "code_challenge_method": "S256"}
    if settings.client_secret is None:
        kwargs["token_endpoint_auth_method"] = "none"  # a public client: PKCE alone
    oauth.register(NAME, client_id=settings.client_id, client_secret=settings.client_secret,
                   server_metadata_url=f"{settings.issuer}/.well-known/openid-configuration",
                   client_kwargs=kwargs)
    return oauth.create_client(NAME)


def client(request: Request):  # type: ignore[no-untyped-def]
    return _client(request.app.state.web_settings.oidc)


@router.get("/login/oidc", name="oidc_start")
async def start(request: Request, next: str = "/") -> Response:
    # A link (GET), not a form: the CSP's form-action 'self' would stop a form's
    # redirect to the provider.
    request.session["oidc_next"] = safe_next(next)
    return await client(request).authorize_redirect(request, request.url_for("oidc_callback"))


@router.get("/login/oidc/callback", name="oidc_callback")
async def callback(request: Request, db: Db) -> Response:
    ip = client_ip(request)
    next_path = safe_next(request.session.pop("oidc_next", "/"))
    try:
        token = await client(request).authorize_access_token(request)
    except OAuthError as exc:  # a wrong state, a refused consent, a bad ID token
        audit.record_as(db, None, "sign_in.failed", "oidc", f"oidc: {exc.error}", ip=ip)
        return login_form(request, next_path, error="sign_in_oidc_failed", status_code=401)
    subject = str((token.get("userinfo") or {}).get("sub") or "")
    record = users.by_subject(db, subject) if subject else None
    if record is None or record.disabled:
        audit.record_as(db, None, "sign_in.failed", "oidc",
                        "disabled user" if record else f"unknown subject {subject}", ip=ip)
        return login_form(request, next_path, error="sign_in_oidc_unknown", status_code=403)
    session.sign_in(request, record)
    audit.record_as(db, record.name, "sign_in.ok", record.name, "oidc", ip=ip)
    return RedirectResponse(next_path, status_code=303)
