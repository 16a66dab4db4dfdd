"""What the browser tests share: the cast of users, signing in, axe, screenshots.

Kept apart from conftest.py so the tests can import them by name
(`from tests.browser.helpers import sign_in`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

HERE = Path(__file__).parent
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = HERE / "screenshots"
# The WCAG 2.1 AA rule sets: universal design (uu-forskriften) requires exactly these.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}  # an iPhone 12–15 in CSS pixels
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}


def chromium_path() -> str | None:
    """Debian's Chromium: Playwright drives it, so no browser is ever downloaded."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def require(what: str, ok: bool) -> None:
    """Skip locally when a tool is missing; under CI a missing tool is a failure
    (scripts/system-deps.sh installs it), like PostgreSQL in tests/conftest.py."""
    if ok:
        return
    message = f"{what} is missing: run scripts/system-deps.sh"
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI must run the browser tests)")
    pytest.skip(message)


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    municipality: str | None = None
    password: str = "riktig-hest-batteri-stift"


# One fixed cast for every permission test (style.md).
CAST = {
    "admin": Person("ada", "admin"),
    "analyst": Person("anna", "analyst"),
    "municipality": Person("malvik", "municipality", "5031"),
    "reader": Person("rita", "reader"),
}


@dataclass
class Site:
    """The running server and what the tests compare it with."""

    base_url: str
    kpi_db_url: str  # a copy of the store taken before the server opened it (DuckDB locks)
    env: dict[str, str]
    routes: frozenset[str] = frozenset()  # the app's paths, from its /openapi.json
    cast: dict[str, Person] = field(default_factory=lambda: dict(CAST))

    def url(self, path: str) -> str:
        return self.base_url + path

    def require_page(self, route: str) -> None:
        """Skip while a page is still being built (issue 5: the pages land one by one)."""
        if route not in self.routes:
            pytest.skip(f"the page {route} is not built yet (not in /openapi.json)")


def sign_in(page: Page, site: Site, person: Person) -> None:
    """Sign in through the /login form, as a person would."""
    page.goto(site.url("/login"))
    page.fill("input[name=name]", person.name)
    page.fill("input[name=password]", person.password)
    with page.expect_navigation():
        page.click("form.login button[type=submit]")
    assert "/login" not in page.url, f"{person.name} was not signed in: {page.url}"


def opened(new_page: Callable[..., Page], site: Site, path: str,
           person: Person = CAST["reader"], viewport: str = "desktop") -> Page:
    """A new page (VIEWPORTS[viewport]) signed in as `person` and at `path`, which
    answered 200."""
    page = new_page(VIEWPORTS[viewport])
    sign_in(page, site, person)
    response = page.goto(site.url(path))
    assert response is not None and response.status == 200, path
    return page


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core's WCAG 2.1 A and AA rules on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated over the DevTools protocol, which the page's CSP (script-src 'self')
        # does not govern; add_script_tag would add an inline <script> the CSP rightly
        # blocks, and bypass_csp would stop the tests from running under the real CSP.
        page.evaluate(_axe_source())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return list(result["violations"])


@cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:5]:
            lines.append(f"    {json.dumps(node['target'])}: {node['html'][:160]}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe: WCAG 2.1 AA violations on {page.url}:\n{describe(violations)}"


def assert_no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{page.url} scrolls sideways: {width[0]} > {width[1]} px"


def screenshot(page: Page, name: str) -> Path:
    """A full-page PNG in tests/browser/screenshots/ (git-ignored) to look at."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / (re.sub(r"[^\w.-]+", "_", name).strip("_") + ".png")
    page.screenshot(path=str(path), full_page=True)
    return path
