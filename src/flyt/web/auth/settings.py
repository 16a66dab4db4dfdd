"""The `[web]` section of the configuration file and the session secret.

    [web]
    secure_cookies = true      # cookies only over HTTPS (turn off only for local tests)
    session_hours = 8          # signed out after this long without a request
    secret = "…"               # or FLYT_WEB_SECRET; else <data dir>/web-secret.key
    trusted_proxies = ["127.0.0.1"]  # peers whose X-Forwarded-For/-Proto count (default none)

    [web.oidc]                 # sign-in with OpenID Connect (HelseID or another provider)
    issuer = "https://helseid-sts.nhn.no"
    client_id = "flyt"
    client_secret_env = "FLYT_OIDC_CLIENT_SECRET"
    scopes = "openid profile"
    label = "HelseID"
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass, field
from typing import Any

from flyt.config import data_dir, raw_config


@dataclass(frozen=True)
class OidcSettings:
    issuer: str
    client_id: str
    client_secret: str | None = None  # None: a public client (PKCE only)
    scopes: str = "openid profile"
    label: str = "OpenID Connect"  # the sign-in button says "Sign in with {label}"


@dataclass(frozen=True)
class WebSettings:
    secret: str
    secure_cookies: bool = True
    session_hours: float = 8.0
    max_session_hours: float = 12.0  # signed out after a working day, active or not
    oidc: OidcSettings | None = field(default=None)
    # Addresses or networks of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto
    # are believed; from anyone else those headers are ignored.
    trusted_proxies: tuple[str, ...] = ()


def web_settings(raw: dict[str, Any] | None = None) -> WebSettings:
    raw = raw_config() if raw is None else raw
    web = raw.get("web", {})
    return WebSettings(
        secret=session_secret(web),
        secure_cookies=bool(web.get("secure_cookies", True)),
        session_hours=float(web.get("session_hours", 8)),
        max_session_hours=float(web.get("max_session_hours", 12)),
        oidc=_oidc(web.get("oidc")),
        trusted_proxies=trusted_proxies(web.get("trusted_proxies", [])),
    )


def trusted_proxies(value: Any) -> tuple[str, ...]:
    """`[web] trusted_proxies`: a list of IP addresses or networks (CIDR). Anything else
    is refused here, rather than silently trusting nobody (or everybody)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise ValueError("[web] trusted_proxies must be a list of IP addresses or networks, "
                         'e.g. ["127.0.0.1", "10.0.0.0/24"]')
    checked = []
    for entry in value:
        try:
            text = str(entry).strip()
            checked.append(str(ipaddress.ip_network(text, strict=False)) if "/" in text
                           else str(ipaddress.ip_address(text)))
        except ValueError:
            raise ValueError(f"[web] trusted_proxies: {entry!r} is not an IP address or "
                             "network (e.g. 127.0.0.1 or 10.0.0.0/24)") from None
    return tuple(checked)


def session_secret(web: dict[str, Any]) -> str:
    """The key that signs session cookies. ``FLYT_WEB_SECRET`` or `[web] secret`; else one
    is created once in the data directory (mode 0600), shared by every worker. Changing
    it signs everyone out."""
    secret = os.environ.get("FLYT_WEB_SECRET") or web.get("secret")
    if secret:
        return str(secret)
    path = data_dir() / "web-secret.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Created with 0600 from the start: no moment in which others could read it.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def _oidc(section: dict[str, Any] | None) -> OidcSettings | None:
    if not section or not section.get("issuer"):
        return None
    for key in ("client_id",):
        if not section.get(key):
            raise ValueError(f"[web.oidc] needs {key}")
    env = section.get("client_secret_env")
    client_secret = os.environ.get(env) if env else None
    if env and not client_secret:
        raise ValueError(f"[web.oidc] client_secret_env names {env}, which is not set")
    return OidcSettings(issuer=str(section["issuer"]).rstrip("/"),
                        client_id=str(section["client_id"]), client_secret=client_secret,
                        scopes=str(section.get("scopes", "openid profile")),
                        label=str(section.get("label", "OpenID Connect")))
