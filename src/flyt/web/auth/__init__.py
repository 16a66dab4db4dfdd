"""Who may see what: users and roles, sign-in (local passwords, OpenID Connect),
signed session cookies, CSRF protection and rate-limited sign-in (docs/web-security.md).

`install(app, settings)` adds it all to the web application (flyt.web.app).
"""

from flyt.web.auth.setup import install

__all__ = ["install"]
