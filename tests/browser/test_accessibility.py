"""Universal design (WCAG 2.1 AA, uu-forskriften): axe-core finds nothing on any page a
role can see, on a desktop and on a phone, and no page scrolls sideways on a phone."""

from __future__ import annotations

import pytest

from tests.browser.helpers import (
    CAST,
    PHONE,
    VIEWPORTS,
    assert_accessible,
    assert_no_horizontal_scroll,
    screenshot,
    sign_in,
)
from tests.browser.pages import MAY_SEE

pytestmark = pytest.mark.browser

CASES = [(role, route, path) for role, pages in MAY_SEE.items() for route, path in pages]


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize(("role", "route", "path"), CASES)
def test_every_page_a_role_sees_passes_axe_on_desktop_and_phone(new_page, site, role, route,
                                                                 path, viewport):
    site.require_page(route)
    page = new_page(VIEWPORTS[viewport])
    sign_in(page, site, CAST[role])
    response = page.goto(site.url(path))
    assert response is not None and response.status == 200, f"{path}: {response}"
    screenshot(page, f"{role}-{path}-{viewport}")
    assert_accessible(page)
    if VIEWPORTS[viewport] == PHONE:
        assert_no_horizontal_scroll(page)


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_overview_passes_axe_in_both_languages(new_page, site, lang):
    page = new_page()
    sign_in(page, site, CAST["analyst"])
    page.goto(site.url(f"/?lang={lang}"))
    assert page.get_attribute("html", "lang") == lang
    assert_accessible(page)
