"""Usable by everyone: the language switch, a visible keyboard focus, no sideways
scrolling on a phone."""

from __future__ import annotations

import pytest

from tests.browser.helpers import (
    CAST,
    PHONE,
    assert_accessible,
    assert_no_horizontal_scroll,
    screenshot,
    sign_in,
)

pytestmark = pytest.mark.browser


def test_the_language_switch_turns_the_page_english_and_is_remembered(new_page, site):
    page = new_page()
    sign_in(page, site, CAST["analyst"])
    page.goto(site.url("/"))
    assert page.get_attribute("html", "lang") == "nb"
    norwegian = page.locator("h1").inner_text()
    with page.expect_navigation():
        page.click("header nav a:text-is('English')")
    assert page.get_attribute("html", "lang") == "en"
    assert page.locator("h1").inner_text() != norwegian
    screenshot(page, "analyst-overview-english-desktop")
    page.goto(site.url("/trends"))  # the choice is kept in a cookie
    assert page.get_attribute("html", "lang") == "en"
    with page.expect_navigation():
        page.click("header nav a:text-is('Norsk')")
    assert page.get_attribute("html", "lang") == "nb"


def test_keyboard_focus_is_visible_from_the_skip_link_on(new_page, site):
    page = new_page()
    sign_in(page, site, CAST["reader"])
    page.goto(site.url("/"))
    page.keyboard.press("Tab")
    skip = page.evaluate("document.activeElement.className")
    assert skip == "skip", "the first Tab reaches the skip link"
    box = page.locator("a.skip").bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, "the skip link shows on focus"
    for _ in range(4):  # the menu: every focused link has a visible outline
        page.keyboard.press("Tab")
        outline = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
            return [document.activeElement.tagName, s.outlineStyle, parseFloat(s.outlineWidth)];
        }""")
        assert outline[1] != "none" and outline[2] >= 2, outline
    screenshot(page, "reader-keyboard-focus-desktop")
    page.keyboard.press("Shift+Tab")
    target = page.evaluate("document.activeElement.getAttribute('href')")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # a link works from the keyboard
    assert page.url == site.url(target)


def test_signing_in_works_on_a_phone(new_page, site):
    page = new_page(PHONE)
    page.goto(site.url("/login"))
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    screenshot(page, "login-phone")
    sign_in(page, site, CAST["municipality"])
    page.goto(site.url("/"))
    assert_no_horizontal_scroll(page)
