"""The dashboard pages and their JSON twins (issue 5, point 2) on demo data: every page
answers, the HTML and the JSON hold the same numbers, and the numbers are `flyt kpi`'s
for the same cut-off and the user's edition. Both engines."""

from __future__ import annotations

import csv
import io
import json
import re
from xml.etree import ElementTree

import pytest

from flyt import i18n
from flyt.domain.codes import KPIS
from tests.support import web
from tests.support.web import AT, CUTOFF, MONTH, Site, run

# The module's store (demo data, the cast), loaded once per engine.
demo_csv, site = web.demo_csv, web.site

PAGES = (f"/?cutoff={CUTOFF}", f"/trends?cutoff={CUTOFF}&kpi=2&compare=5031",
         f"/municipality/5031?cutoff={CUTOFF}", f"/snapshot?at={AT}", "/data",
         f"/reports?cutoff={CUTOFF}")


def twin(path: str) -> str:
    base, _, query = path.partition("?")
    return ("/index.json" if base == "/" else f"{base}.json") + (f"?{query}" if query else "")


def kpi_csv(url: str, *extra: str) -> dict[tuple, dict]:
    out = run("kpi", "--from", MONTH, "--to", MONTH, "--cutoff", CUTOFF, "--rolling",
              "--format", "csv", "--db", url, *extra)
    return {(r["group_type"], r["group_id"], r["sector"], int(r["kpi"])): r
            for r in csv.DictReader(io.StringIO(out))}


def same(shown: object, printed: str) -> bool:
    """A value of a JSON twin against the text `flyt kpi` printed for it."""
    if printed == "":
        return shown is None
    try:
        return isinstance(shown, int | float) and abs(shown - float(printed)) < 1e-9
    except ValueError:
        return shown == printed  # a masked count: "<5"


@pytest.mark.parametrize("path", PAGES)
def test_every_page_and_its_json_twin_answer(site: Site, path: str) -> None:
    client = site.as_("analyst")
    html, data = client.get(path), client.get(twin(path))
    assert html.status_code == 200, html.text
    assert html.headers["content-type"].startswith("text/html")
    assert data.status_code == 200, data.text
    assert isinstance(data.json(), dict)


def test_the_overview_tiles_show_the_numbers_of_the_twin(site: Site) -> None:
    client = site.as_("analyst")
    page = client.get(f"/?cutoff={CUTOFF}&month={MONTH}").text
    tiles = client.get(f"/index.json?cutoff={CUTOFF}&month={MONTH}").json()["tiles"]
    assert len(tiles) == 6
    for tile in tiles:
        if isinstance(tile["value"], int | float):
            text = i18n.number(tile["value"], KPIS[tile["kpi"]].decimals)
            assert text in page
        if tile["status"]:
            assert i18n.t(tile["status"]) in page  # the status in words, not colour alone


@pytest.mark.parametrize(("who", "extra"), [("analyst", ()), ("reader", ("--suppress",))])
def test_trend_figures_are_those_of_flyt_kpi(site: Site, who: str, extra: tuple) -> None:
    expected = kpi_csv(site.url, *extra)
    for kpi in (1, 2, 3):
        data = site.as_(who).get(
            f"/trends.json?cutoff={CUTOFF}&month={MONTH}&kpi={kpi}").json()
        for m in data["municipalities"]:
            row = expected[("municipality", m["code"], "alle", kpi)]
            assert same(m["value"], row["value"]), (who, kpi, m, row)
            assert same(m["value_12m"], row["value_12m"]), (who, kpi, m, row)
            assert m["hidden"] == (row.get("suppressed") == "true")
        community = data["series"][0]
        last = community["values"][-1]
        assert last["month"] == MONTH
        assert same(last["value"], expected[("community", "all", "alle", kpi)]["value"])


def test_a_municipality_sees_its_own_rows_exact_and_the_others_shared(site: Site) -> None:
    exact, shared = kpi_csv(site.url), kpi_csv(site.url, "--suppress")
    data = site.as_("malvik").get(f"/trends.json?cutoff={CUTOFF}&month={MONTH}").json()
    for m in data["municipalities"]:
        printed = (exact if m["code"] == "5031" else shared)[("municipality", m["code"],
                                                             "alle", 1)]
        assert same(m["value"], printed["value"]), m


def test_readers_see_hidden_cells_as_hidden(site: Site) -> None:
    shared = kpi_csv(site.url, "--suppress")
    hidden = [k for k, r in shared.items() if r["suppressed"] == "true"
              and k[0] == "municipality" and k[2] == "alle" and k[3] == 2]
    assert hidden, "the demo data should hide some cells"
    data = site.as_("reader").get(f"/trends.json?cutoff={CUTOFF}&month={MONTH}&kpi=2").json()
    rows = {m["code"]: m for m in data["municipalities"]}
    page = site.as_("reader").get(f"/trends?cutoff={CUTOFF}&month={MONTH}&kpi=2").text
    for _, code, _, _ in hidden:
        assert rows[code]["hidden"] and rows[code]["value"] is None
    assert ">skjult<" in page


def test_the_municipality_page_compares_per_1000_inhabitants(site: Site) -> None:
    data = site.as_("reader").get(f"/municipality/5031.json?cutoff={CUTOFF}&month={MONTH}")
    body = data.json()
    shared = kpi_csv(site.url, "--suppress")
    days = shared[("municipality", "5031", "alle", 1)]["value_12m"]
    if days not in ("", "<5"):
        assert body["per_1000_12m"]["municipality"] == round(float(days) * 1000 / 14900, 1)
    assert body["patients"] is None  # a reader never sees patients
    assert site.as_("reader").get("/municipality/9999.json").status_code == 404


def test_the_snapshot_holds_the_numbers_of_flyt_snapshot(site: Site) -> None:
    printed = json.loads(run("snapshot", "--at", AT, "--db", site.url))
    data = site.as_("analyst").get(f"/snapshot.json?at={AT}").json()
    assert (data["total"], data["at_hospital"], data["utlokalisert"]) == (
        printed["total"], printed["at_hospital"], printed["utlokalisert"])
    assert [m["patients"] for m in data["municipalities"]] == [
        m["patients"] for m in printed["municipalities"]]
    assert len(data["history"]) == 8
    assert data["aftercare"] == printed["aftercare"]


def test_openapi_lists_the_json_twins(site: Site) -> None:
    paths = site.as_("reader").get("/openapi.json").json()["paths"]
    for path in ("/index.json", "/trends.json", "/municipality/{code}.json", "/snapshot.json",
                 "/data.json", "/reports.json", "/municipality/{code}/patients.json",
                 "/data/upload.json"):
        assert path in paths, path


def test_english_on_request_and_norwegian_dates_by_default(site: Site) -> None:
    client = site.as_("reader")
    norwegian = client.get(f"/?cutoff={CUTOFF}&lang=nb").text
    assert "20.05.2024" in norwegian and "Siste 12 mnd" in norwegian
    english = client.get(f"/?cutoff={CUTOFF}&lang=en").text
    assert "Last 12 months" in english and 'lang="en"' in english
    assert "2024-05-20" in english


def test_reports_stream_the_editions_of_flyt_report(site: Site) -> None:
    reader, malvik = site.as_("reader"), site.as_("malvik")
    xlsx = reader.get(f"/reports/monthly.xlsx?month={MONTH}&cutoff={CUTOFF}")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert "attachment" in xlsx.headers["content-disposition"]
    assert reader.get(f"/reports/payment.csv?month={MONTH}&cutoff={CUTOFF}").status_code == 403
    own = malvik.get(f"/reports/payment.csv?month={MONTH}&cutoff={CUTOFF}").text.splitlines()
    assert own[0].startswith("month,municipality,ukp_days") and len(own) == 2
    assert own[1].split(",")[1] == "5031"
    every = site.as_("analyst").get(f"/reports/payment.csv?month={MONTH}&cutoff={CUTOFF}")
    exact = kpi_csv(site.url)
    for line in every.text.splitlines()[1:]:
        cells = line.split(",")
        assert cells[2] == exact[("municipality", cells[1], "alle", 1)]["value"]
    links = reader.get(f"/reports.json?cutoff={CUTOFF}").json()["links"]
    assert {link["report"] for link in links} == {"monthly", "snapshot"}


@pytest.mark.parametrize(("lang", "community"), [("nb", "Hele helsefellesskapet"),
                                                 ("en", "Whole community")])
def test_chart_legends_name_the_lines_in_the_users_language(site: Site, lang: str,
                                                            community: str) -> None:
    page = site.as_("analyst").get(f"/trends?cutoff={CUTOFF}&kpi=1&compare=5031&lang={lang}")
    charts = page.text.split("<svg")[1:]
    assert charts, "the trend page draws its charts"
    legend = charts[0].split("</svg>")[0]
    assert community in legend and "Malvik" in legend
    assert ">community<" not in legend


# --- A discharge coordinator on a phone (issue 10, §5) ---

PHONE_CONTENT_PX = 358  # a 390 px phone less main's padding (flyt.css)
# A legend entry: its symbol's colour, then its name.
LEGEND_ENTRY = re.compile(r'role-legend-symbol"[^>]*><path [^>]*fill="(#[0-9a-f]{6})"[^>]*/>'
                          r'</g><g class="mark-text role-legend-label"[^>]*><text[^>]*>'
                          r'([^<]*)</text>')
LINE_COLOUR = re.compile(r'<path d="M[^"]*" stroke="(#[0-9a-f]{6})" stroke-width="2"')


def charts_of(page: str, layout: str) -> list[str]:
    """The SVGs of one layout ("wide" or "narrow") on a page."""
    parts = page.split(f'<div class="chart chart-{layout}">')[1:]
    return [part.split("</svg>", 1)[0] + "</svg>" for part in parts]


def test_every_trend_chart_comes_narrow_for_a_phone_with_big_words_and_the_legend_below(
        site: Site) -> None:
    page = site.as_("analyst").get(f"/trends?cutoff={CUTOFF}&kpi=2&compare=5031&lang=nb").text
    narrow = charts_of(page, "narrow")
    assert len(narrow) == 2 and len(charts_of(page, "wide")) == 2
    for svg in narrow:
        root = ElementTree.fromstring(svg)
        assert float(root.get("width", "0")) <= PHONE_CONTENT_PX  # drawn at its size
        sizes = [float(s) for s in re.findall(r'font-size="([0-9.]+)px"', svg)]
        assert sizes and min(sizes) >= 12, sorted(set(sizes))
        # The plot is 240 high (web/pages/charts.py); the legend starts below it.
        legend = svg.split('role-legend"', 1)[1]
        top = float(re.search(r'transform="translate\([-0-9.]+,([-0-9.]+)\)', legend)[1])
        assert top >= 240, top
        assert "Hele helsefellesskapet" in legend and "Malvik" in legend


def test_the_community_line_keeps_black_to_itself_however_many_lines_are_drawn(
        site: Site) -> None:
    compare = "".join(f"&compare={code}" for code in
                      ("5001", "5031", "5028", "5029", "5032", "5033", "5014", "5055"))
    page = site.as_("analyst").get(f"/trends?cutoff={CUTOFF}&kpi=3{compare}&lang=nb").text
    drawn = charts_of(page, "wide") + charts_of(page, "narrow")
    assert len(drawn) == 4, "two charts, each wide and narrow"
    for svg in drawn:
        legend = [(name, colour) for colour, name in LEGEND_ENTRY.findall(svg)]
        assert len(legend) > 8, "more lines than colours"
        black = [name for name, colour in legend if colour == "#222222"]
        assert black == ["Hele helsefellesskapet"], black
        # Every line drawn has a colour the legend names.
        assert set(LINE_COLOUR.findall(svg)) <= {colour for _, colour in legend}


@pytest.mark.parametrize(("lang", "names"), [
    ("nb", ["1. Antall UKP-døgn", "2. Andel UKP med 0 døgn", "3. Gjennomsnittlig liggetid "
            "som UKP", "4. Andel som reiser rett hjem", "5. Andel reinnleggelser &lt; 30 døgn",
            "6. Liggetid korttidsopphold"]),
    ("en", ["1. UKP days", "2. Share of UKP with 0 days", "3. Mean UKP days",
            "4. Share discharged home", "5. Readmissions &lt; 30 days",
            "6. Length of short-term stays"])])
def test_the_trends_indicator_list_shows_names_not_numbers(site: Site, lang: str,
                                                           names: list[str]) -> None:
    page = site.as_("reader").get(f"/trends?cutoff={CUTOFF}&lang={lang}").text
    select = page.split('<select name="kpi">', 1)[1].split("</select>", 1)[0]
    assert re.findall(r"<option[^>]*>([^<]*)</option>", select) == names


@pytest.mark.parametrize(("lang", "words"), [("nb", "ingen mål satt"),
                                             ("en", "no target set")])
def test_a_kpi_without_a_target_says_so_instead_of_a_dash(site: Site, lang: str,
                                                          words: str) -> None:
    client = site.as_("analyst")
    tiles = client.get(f"/index.json?cutoff={CUTOFF}&sector=psykisk_helsevern").json()["tiles"]
    untargeted = sum(1 for tile in tiles if tile["target"] is None)
    assert untargeted == 5, "the default goals set none for mental health care but KPI 6's"
    page = client.get(f"/?cutoff={CUTOFF}&sector=psykisk_helsevern&lang={lang}").text
    assert page.count(f'<span class="status status-none">{words}</span>') == untargeted
    assert '<span class="status">–</span>' not in page


@pytest.mark.parametrize(("lang", "kinds", "sector"), [
    ("nb", ("Sykehusopphold", "UKP-perioder", "Korttidsopphold",
            "Sengetellinger (etterbehandling)"), "somatikk og psykisk helsevern samlet"),
    ("en", ("Hospital stays", "UKP periods", "Short-term stays", "Bed counts (after-care)"),
     "somatic and mental health care together")])
def test_import_kinds_sources_and_sectors_show_as_words(site: Site, lang: str,
                                                        kinds: tuple, sector: str) -> None:
    data = site.as_("analyst").get(f"/data?lang={lang}").text
    for kind in kinds:
        assert f'">{kind}</option>' in data  # the upload's list
        assert f'<th scope="row">{kind}</th>' in data  # completeness
    # The demo files were imported without --source: Flyt's own "default", in words.
    assert f"<td>{'standard' if lang == 'nb' else 'default'}</td>" in data
    assert ">stays<" not in data and ">ukp-periods<" not in data
    trends = site.as_("reader").get(f"/trends?cutoff={CUTOFF}&kpi=6&lang={lang}").text
    assert f"6. {'Liggetid korttidsopphold' if lang == 'nb' else 'Length of short-term stays'}"\
           f" – {sector}</h2>" in trends


def test_the_audit_log_says_in_words_what_happened() -> None:
    from flyt.web.pages import words

    assert words.word("patients.read", "action") == "pasientliste vist"
    assert words.word("sign_in.ok", "action", "en") == "signed in"
    assert words.word("my-own-source", "source") == "my-own-source"  # a user's own name
    assert words.audit_detail("role=municipality municipality=5031") == (
        "rolle: Kommunebruker, kommune: 5031")
    assert words.audit_detail("stays.csv: rejected, 12 rows", "en") == (
        "stays.csv: rejected, 12 rows")
    assert words.audit_detail("stays.csv: ok, 12 rows") == "stays.csv: importert, 12 rader"
    assert words.audit_detail("password") == "passord"
    assert words.audit_detail("something else") == "something else"


def test_a_municipality_without_patients_waiting_is_told_so(site: Site) -> None:
    # Before the demo data begins, nobody is waiting.
    page = site.as_("malvik").get("/municipality/5031/patients?at=2020-01-01T08:00&lang=nb").text
    assert ("Ingen av kommunens pasienter er utskrivningsklare i sykehus per "
            "01.01.2020 08:00.") in page


def test_the_reports_page_offers_each_report_once_with_its_formats_by_name(
        site: Site) -> None:
    page = site.as_("analyst").get(f"/reports?cutoff={CUTOFF}&lang=nb").text
    listing = page.split('<ul class="downloads">', 1)[1].split("</ul>", 1)[0]
    names = re.findall(r'<span class="report-name">([^<]*)</span>', listing)
    assert names == ["Månedsrapport – april 2024", "Øyeblikksbilde – nå",
                     "Betalingsgrunnlag – april 2024"]
    shown = re.findall(r'<a class="button"[^>]*>([^<]*)<span', listing)
    assert shown == ["PDF", "Excel", "PDF", "Excel", "PDF", "Excel", "CSV"]
    assert "XLSX" not in listing


def test_earlier_snapshots_are_not_headed_now(site: Site) -> None:
    page = site.as_("analyst").get(f"/snapshot?at={AT}&lang=nb").text
    history = page.split('aria-label="Tidligere øyeblikksbilder"', 1)[1].split("</thead>")[0]
    assert ">UKP i sykehus<" in history and "nå" not in history


def test_the_compare_boxes_are_folded_away_until_some_are_chosen(site: Site) -> None:
    client = site.as_("reader")
    folded = client.get(f"/trends?cutoff={CUTOFF}&lang=nb").text
    assert '<details class="compare">' in folded
    chosen = client.get(f"/trends?cutoff={CUTOFF}&compare=5031&compare=5028&lang=nb").text
    assert '<details class="compare" open>' in chosen
    assert "<summary>Sammenlign med kommuner (2 valgt)</summary>" in chosen
