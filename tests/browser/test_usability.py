"""Usable by everyone: the language switch, a visible keyboard focus, no sideways
scrolling on a phone; and a discharge coordinator on a phone: charts with words big
enough to read, wide tables that say they scroll, names instead of numbers and codes,
and a status in words where no target is set."""

from __future__ import annotations

import re

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


# --- A discharge coordinator on a phone (issue 10, §5) ---

# Flyt's own codes that must never reach a person as they are, per page language
# (a code that is also an ordinary word of that language is left out: "default" in
# English, "alle" in Norwegian).
CODES_EVERYWHERE = ("ukp-periods", "short-stays", "sign_in.ok", "sign_in.failed",
                    "patients.read", "import.upload", "user.add", "psykisk_helsevern",
                    "role=", "municipality=")
RAW_CODES = {"nb": (*CODES_EVERYWHERE, "stays", "beds", "plo", "default"),
             "en": (*CODES_EVERYWHERE, "alle", "somatikk")}
# The pages an administrator sees, where kinds, sources, sectors and actions show.
WORDY_PAGES = ("/", "/?sector=psykisk_helsevern", "/trends", "/trends?kpi=6", "/data",
               "/admin/audit", "/snapshot", "/reports", "/municipality/5031")
# What a discharge coordinator opens on a phone, with wide tables on each.
TABLE_PAGES = [("municipality", "/snapshot"), ("municipality", "/trends"),
               ("municipality", "/municipality/5031"), ("analyst", "/data"),
               ("admin", "/admin/audit")]
KPI_NAMES = {
    "nb": ["1. Antall UKP-døgn", "2. Andel UKP med 0 døgn",
           "3. Gjennomsnittlig liggetid som UKP", "4. Andel som reiser rett hjem",
           "5. Andel reinnleggelser < 30 døgn", "6. Liggetid korttidsopphold"],
    "en": ["1. UKP days", "2. Share of UKP with 0 days", "3. Mean UKP days",
           "4. Share discharged home", "5. Readmissions < 30 days",
           "6. Length of short-term stays"],
}
READABLE_PX = 12  # the smallest words on a chart, in CSS pixels as shown


def chart_layout(svg) -> dict:
    """What a person sees of a drawn chart: the size of its words on screen, where
    its plot and legend are, and whether a legend name runs past the chart's edge."""
    return svg.evaluate("""svg => {
        const scale = svg.getScreenCTM().a;
        const words = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim());
        const box = svg.getBoundingClientRect();
        const plot = svg.querySelector('.role-frame.root > g > path.background')
            .getBoundingClientRect();
        const legend = svg.querySelector('.role-legend');
        const names = legend ? [...legend.querySelectorAll('text')] : [];
        return {
            smallest: Math.min(...words.map(t => parseFloat(getComputedStyle(t).fontSize)
                                                  * scale)),
            width: box.width, right: box.right,
            plot_bottom: plot.bottom,
            legend_top: legend ? legend.getBoundingClientRect().top : null,
            widest_name: Math.max(0, ...names.map(t => t.getBoundingClientRect().right)),
        };
    }""")


def test_trend_charts_on_a_phone_have_words_big_enough_and_the_legend_below(new_page,
                                                                               site):
    page = new_page(PHONE)
    sign_in(page, site, CAST["municipality"])
    page.goto(site.url("/trends?compare=5031&compare=5028"))
    charts = page.locator("main figure svg:visible")
    assert charts.count() == 2, "one chart of the month, one of the last 12 months"
    screenshot(page, "municipality-trends-phone")
    for i in range(charts.count()):
        shown = chart_layout(charts.nth(i))
        assert shown["smallest"] >= READABLE_PX, shown
        assert shown["width"] <= PHONE["width"], shown
        assert shown["legend_top"] is not None and shown["legend_top"] >= shown[
            "plot_bottom"], f"the legend is below the plot: {shown}"
        assert shown["widest_name"] <= shown["right"] + 1, f"a legend name is cut: {shown}"
    assert_no_horizontal_scroll(page)


def test_the_municipality_chart_on_a_phone_is_readable_too(new_page, site):
    page = new_page(PHONE)
    sign_in(page, site, CAST["municipality"])
    page.goto(site.url("/municipality/5031"))
    charts = page.locator("main figure svg:visible")
    assert charts.count() == 1
    shown = chart_layout(charts.first)
    assert shown["smallest"] >= READABLE_PX, shown
    assert shown["legend_top"] >= shown["plot_bottom"], shown


def test_a_desktop_shows_the_wide_chart_with_every_line_named(new_page, site):
    page = new_page()
    sign_in(page, site, CAST["analyst"])
    page.goto(site.url("/trends?kpi=3&compare=5031"))
    charts = page.locator("main figure svg:visible")
    assert charts.count() == 2
    legend = charts.first.locator(".role-legend text").all_text_contents()
    assert "Hele helsefellesskapet" in legend and "Malvik" in legend
    assert chart_layout(charts.first)["smallest"] >= READABLE_PX


@pytest.mark.parametrize(("role", "path"), TABLE_PAGES)
def test_a_wide_table_on_a_phone_says_it_scrolls_and_scrolls_from_the_keyboard(
        new_page, site, role, path):
    page = new_page(PHONE)
    sign_in(page, site, CAST[role])
    page.goto(site.url(path))
    assert_no_horizontal_scroll(page)
    boxes = page.locator("main .scroll:visible")
    wide = [boxes.nth(i) for i in range(boxes.count())
            if boxes.nth(i).evaluate("b => b.scrollWidth > b.clientWidth + 1")]
    assert wide, f"{path}: a phone should have at least one table wider than itself"
    screenshot(page, f"{role}-{path}-scroll-hint-phone")
    for box in wide:
        hint = box.evaluate("b => b.previousElementSibling && b.previousElementSibling"
                            ".classList.contains('scroll-hint') ? b.previousElementSibling"
                            ".innerText : null")
        assert hint == "Sveip sideveis for flere kolonner →", f"{path}: no scroll hint"
        assert box.get_attribute("tabindex") == "0" and box.get_attribute("aria-label")
        box.focus()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("End")  # in a focused scroll box: to the far right
        page.wait_for_function("b => b.scrollLeft > 0", arg=box.element_handle())
        # The row's name stays in view: a row header is at the box's left edge still.
        row_header = box.locator("tbody tr:first-child > th:first-child")
        if row_header.count():
            left = box.evaluate("b => b.getBoundingClientRect().left")
            assert abs(row_header.bounding_box()["x"] - left) < 2, f"{path}: not sticky"
    assert_accessible(page)


def test_a_table_that_fits_has_no_scroll_hint(new_page, site):
    page = new_page()  # a desktop: the trend page's tables fit
    sign_in(page, site, CAST["analyst"])
    page.goto(site.url("/trends"))
    assert page.locator("main .scroll:visible").count() >= 1
    assert page.locator(".scroll-hint").count() == 0


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_trends_indicator_list_names_every_indicator(new_page, site, lang):
    page = new_page(PHONE)
    sign_in(page, site, CAST["reader"])
    page.goto(site.url(f"/trends?kpi=3&lang={lang}"))
    options = page.locator("select[name=kpi] option").all_inner_texts()
    assert [o.strip() for o in options] == KPI_NAMES[lang]
    assert page.locator("select[name=kpi] option:checked").inner_text().strip() == (
        KPI_NAMES[lang][2])


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_no_page_shows_a_raw_code(new_page, site, lang):
    page = new_page(PHONE)
    sign_in(page, site, CAST["admin"])
    for path in WORDY_PAGES:
        page.goto(site.url(path + ("&" if "?" in path else "?") + f"lang={lang}"))
        text = page.locator("main").inner_text() + "\n" + "\n".join(
            page.locator("main option").all_inner_texts())
        # A code as a word of its own: not part of a longer word or of a file name
        # ("stays.csv" is the name the user gave the file).
        found = [code for code in RAW_CODES[lang] if re.search(
            rf"(?<![\w.-]){re.escape(code)}" + ("" if code.endswith("=") else
                                                r"(?![\w-]|\.\w)"), text)]
        assert not found, f"{path} ({lang}) shows codes: {found}"


@pytest.mark.parametrize(("lang", "words"), [("nb", "ingen mål satt"),
                                             ("en", "no target set")])
def test_a_kpi_without_a_target_says_no_target_is_set(new_page, site, lang, words):
    page = new_page(PHONE)
    sign_in(page, site, CAST["municipality"])
    page.goto(site.url(f"/?sector=psykisk_helsevern&lang={lang}"))
    tiles = page.request.get(site.url("/index.json?sector=psykisk_helsevern")).json()["tiles"]
    untargeted = [i for i, tile in enumerate(tiles) if tile["target"] is None]
    assert untargeted, "mental health care has no targets in the default goals"
    shown = page.locator("ul.tiles > li")
    for i in untargeted:
        status = shown.nth(i).locator(".status").inner_text()
        assert status == words, f"tile {i + 1}: {status!r}"
    screenshot(page, f"municipality-overview-mental-health-phone-{lang}")
    assert_accessible(page)
