"""Each role sees exactly what it may: its menu, its pages and their JSON twins, and a
403 for the rest; nobody sees anything before signing in."""

from __future__ import annotations

import pytest

from tests.browser.helpers import CAST, assert_accessible, screenshot, sign_in
from tests.browser.pages import MAY_SEE, MENU, OWN, REFUSED, json_twin

pytestmark = pytest.mark.browser


def test_a_visitor_who_has_not_signed_in_is_sent_to_the_sign_in_form(new_page, site):
    page = new_page()
    page.goto(site.url("/trends"))
    assert "/login" in page.url
    assert page.locator("input[name=name]").is_visible()
    screenshot(page, "login-desktop")
    assert_accessible(page)
    assert page.request.get(site.url("/index.json")).status == 401


def test_a_wrong_password_is_refused_with_a_message_the_screen_reader_announces(new_page,
                                                                                 site):
    page = new_page()
    page.goto(site.url("/login"))
    page.fill("input[name=name]", CAST["reader"].name)
    page.fill("input[name=password]", "feil-passord")
    page.click("form.login button[type=submit]")
    page.wait_for_selector("[role=alert]")
    assert "/login" in page.url
    assert_accessible(page)


@pytest.mark.parametrize("role", list(CAST))
def test_each_role_signs_in_and_sees_its_own_menu(new_page, site, role):
    page = new_page()
    sign_in(page, site, CAST[role])
    page.goto(site.url("/"))
    hrefs = page.eval_on_selector_all("header nav a", "links => links.map(a => a.getAttribute"
                                                      "('href'))")
    menu = [h for h in hrefs if h != "/" and not h.startswith("?")]
    assert menu == MENU[role]


@pytest.mark.parametrize("role", list(CAST))
def test_each_role_opens_the_pages_it_may_and_their_json_twins(new_page, site, role):
    page = new_page()
    sign_in(page, site, CAST[role])
    for route, path in MAY_SEE[role]:
        site.require_page(route)
        assert page.goto(site.url(path)).status == 200, path
        twin = page.request.get(site.url(json_twin(path)))
        assert twin.status == 200 and isinstance(twin.json(), dict), json_twin(path)


@pytest.mark.parametrize("role", list(CAST))
def test_each_role_is_refused_the_pages_it_may_not_see(new_page, site, role):
    page = new_page()
    sign_in(page, site, CAST[role])
    for route, path in REFUSED[role]:
        site.require_page(route)
        assert page.goto(site.url(path)).status == 403, path
        assert page.request.get(site.url(json_twin(path))).status == 403, json_twin(path)


def test_a_municipality_user_sees_its_own_patient_list(new_page, site):
    page = new_page()
    sign_in(page, site, CAST["municipality"])
    site.require_page("/municipality/{code}/patients")
    page.goto(site.url(f"/municipality/{OWN}/patients"))
    listed = page.request.get(site.url(f"/municipality/{OWN}/patients.json")).json()
    screenshot(page, "municipality-patients-desktop")
    rows = page.locator("main table tbody tr")
    assert rows.count() == listed["count"]
    for patient in listed["rows"][:3]:
        assert page.get_by_text(patient["patient_id"]).count() >= 1
