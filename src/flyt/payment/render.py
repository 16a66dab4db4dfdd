"""The payment basis as CSV (the machine contract), Excel and PDF (for people).

CSV: ``month,municipality,ukp_days,rate,amount``, one row per municipality, no total;
with the scenario, ``scenario_amount,difference`` follow; last ``rate_year`` (whose
rate it is) and ``rate_provisional`` (``true`` while the month's year has no rate of
its own). Amounts are plain numbers (a point for decimals, whole kroner without one).
Excel and PDF add names and totals, and the scenario's days per step; their words come
from flyt.i18n. Every output says when the rate is provisional.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from flyt import i18n
from flyt.output import documents, spreadsheet
from flyt.payment.basis import PaymentBasis
from flyt.payment.rates import DayRate, Step

BASIS_COLUMNS = ["month", "municipality", "ukp_days", "rate", "amount"]
RATE_COLUMNS = ["rate_year", "rate_provisional"]
CSV_COLUMNS = BASIS_COLUMNS + RATE_COLUMNS
SCENARIO_COLUMNS = BASIS_COLUMNS + ["scenario_amount", "difference"] + RATE_COLUMNS


def plain(amount: Decimal) -> int | str:
    """An amount for the CSV: whole kroner as an integer, else kroner.øre."""
    return int(amount) if amount == amount.to_integral_value() else f"{amount:.2f}"


def csv_records(basis: PaymentBasis, scenario: bool = False) -> tuple[list[str], list[dict]]:
    month = f"{basis.month:%Y-%m}"
    records = []
    for line in basis.lines:
        record: dict[str, Any] = {"month": month, "municipality": line.municipality,
                                  "ukp_days": line.ukp_days, "rate": plain(basis.rate),
                                  "amount": plain(line.amount)}
        if scenario:
            record |= {"scenario_amount": plain(line.scenario_amount),
                       "difference": plain(line.difference)}
        record |= {"rate_year": basis.day_rate.rate_year,
                   "rate_provisional": basis.day_rate.provisional}
        records.append(record)
    return (SCENARIO_COLUMNS if scenario else CSV_COLUMNS), records


def decimals(amounts: Sequence[Decimal]) -> int:
    """Show øre only where some amount in the column has them."""
    return 0 if all(a == a.to_integral_value() for a in amounts) else 2


def factor_text(factor: Decimal, lang: str) -> str:
    return i18n.number(factor, 2 if factor != factor.quantize(Decimal("0.1")) else 1, lang)


def step_labels(steps: Sequence[Step], lang: str) -> list[str]:
    """``Døgn 1–7 (× 1,0)``, …, ``Døgn 15 og senere (× 2,0)``."""
    labels = []
    for step, following in zip(steps, [*steps[1:], None], strict=True):
        factor = factor_text(step.factor, lang)
        if following is None:
            labels.append(i18n.t("payment_days_from", lang).format(first=step.from_day,
                                                                   factor=factor))
        else:
            labels.append(i18n.t("payment_days_step", lang).format(
                first=step.from_day, last=following.from_day - 1, factor=factor))
    return labels


def title(basis: PaymentBasis, lang: str) -> str:
    return i18n.t("payment_title", lang).format(month=i18n.month(basis.month, lang))


def rate_text(rate: DayRate, lang: str) -> str:
    return i18n.number(rate.amount, decimals([rate.amount]), lang)


def rate_note(rate: DayRate, lang: str) -> str:
    """``Døgnpris 2026: 5 981 kr (2025-satsen, Helsedirektoratets sats).``"""
    source = i18n.t("payment_rate_configured" if rate.configured else "payment_rate_default",
                    lang)
    if rate.provisional:
        source = i18n.t("payment_rate_of_year", lang).format(rate_year=rate.rate_year,
                                                             source=source)
    return i18n.t("payment_rate_note", lang).format(year=rate.year, rate=rate_text(rate, lang),
                                                    source=source)


def provisional_note(rate: DayRate, lang: str) -> str | None:
    """The line every output carries while the year's own rate is not known."""
    if not rate.provisional:
        return None
    return i18n.t("payment_provisional", lang).format(
        rate_year=rate.rate_year, rate=rate_text(rate, lang), year=rate.year)


def error_text(error: Exception, lang: str) -> str:
    """Why there is no basis, in the user's language where the error has its words."""
    key, params = getattr(error, "key", None), getattr(error, "params", None)
    return i18n.t(key, lang).format(**params) if key and params is not None else str(error)


def notes(basis: PaymentBasis, lang: str) -> list[str]:
    """What a reader needs beside the tables: cut-off, rate and its source, whether the
    rate is provisional, completeness."""
    lines = [f"{i18n.t('payment_cutoff', lang)} {i18n.moment(basis.cutoff, lang)}",
             rate_note(basis.day_rate, lang)]
    if (provisional := provisional_note(basis.day_rate, lang)) is not None:
        lines.append(provisional)
    if not basis.complete:
        lines.append(i18n.t("payment_incomplete", lang))
    return lines


def _table(basis: PaymentBasis, lang: str) -> dict[str, Any]:
    """Both tables' rows as text, formatted for the PDF."""
    def n(value: int | Decimal, nd: int = 0) -> str:
        return i18n.number(value, nd, lang)

    nd = decimals([basis.rate, *(line.amount for line in basis.lines)])
    sd = decimals([line.scenario_amount for line in basis.lines])
    return {
        "basis": [[line.municipality, line.name, n(line.ukp_days), n(basis.rate, nd),
                   n(line.amount, nd)] for line in basis.lines],
        "basis_total": [n(basis.ukp_days), "", n(basis.amount, nd)],
        "scenario": [[line.municipality, line.name, n(line.ukp_days),
                      *(n(d) for d in line.step_days), n(line.amount, nd),
                      n(line.scenario_amount, sd), n(line.difference, max(nd, sd))]
                     for line in basis.lines],
        "scenario_total": [n(basis.ukp_days), *(n(d) for d in basis.step_days),
                           n(basis.amount, nd), n(basis.scenario_amount, sd),
                           n(basis.scenario_amount - basis.amount, max(nd, sd))],
    }


def html(basis: PaymentBasis, lang: str = "nb") -> str:
    heading = title(basis, lang)
    footer = (f"Flyt – {heading} – {i18n.t('payment_cutoff', lang)} "
              f"{i18n.moment(basis.cutoff, lang)}")
    if basis.day_rate.provisional:  # on every page
        footer += " – " + i18n.t("payment_footer_provisional", lang).format(
            rate_year=basis.day_rate.rate_year)
    return documents.html(
        "flyt.payment", "payment.html.j2",
        lang=lang, t=lambda key: i18n.t(key, lang), title=heading,
        footer=footer, notes=notes(basis, lang),
        provisional=provisional_note(basis.day_rate, lang),
        steps=step_labels(basis.steps, lang), **_table(basis, lang))


def pdf(basis: PaymentBasis, lang: str = "nb") -> bytes:
    return documents.pdf(html(basis, lang))


# Column kinds: t text, # whole number (summed), $ money (summed), r a rate (money, not
# summed: a sum of rates means nothing), y a year. Excel shows the user's own separators.
NUMBER_FORMATS = {"t": "", "#": "#,##0", "$": "#,##0.00", "r": "#,##0.00", "y": "0"}
SUMMED = "#$"


class _Workbook:
    """XlsxWriter with what the payment sheets need: a frozen header, number formats
    (days as whole numbers, money with øre) and a total row of SUM formulas."""

    def __init__(self, path: Path | io.BytesIO) -> None:
        self.book = spreadsheet.workbook(path)
        self.header = self.book.add_format({"bold": True, "bg_color": "#F0F0F0",
                                            "text_wrap": True, "valign": "top"})
        self.cell = {kind: self.book.add_format({"num_format": f} if f else {})
                     for kind, f in NUMBER_FORMATS.items()}
        self.total = {kind: self.book.add_format({"bold": True, "top": 1,
                                                  **({"num_format": f} if f else {})})
                      for kind, f in NUMBER_FORMATS.items()}

    def sheet(self, name: str, header: Sequence[str], rows: Sequence[Sequence[Any]],
              kinds: str, total: str) -> None:
        """``kinds``: one letter per column (NUMBER_FORMATS)."""
        from xlsxwriter.utility import xl_col_to_name

        ws = self.book.add_worksheet(name[:31])
        ws.write_row(0, 0, list(header), self.header)
        for i, row in enumerate(rows, start=1):
            for j, value in enumerate(row):
                ws.write(i, j, value, self.cell[kinds[j]])
        last = len(rows) + 1  # the total row, 0-based; the data are Excel rows 2..last
        ws.write(last, 0, total, self.total["t"])
        for j, kind in enumerate(kinds):
            if kind in SUMMED:
                column = xl_col_to_name(j)
                ws.write_formula(last, j, f"=SUM({column}2:{column}{last})", self.total[kind],
                                 sum((row[j] for row in rows), Decimal(0)))
        ws.freeze_panes(1, 0)
        for j in range(len(kinds)):
            ws.set_column(j, j, 24 if j == 2 else 14)

    def notes(self, name: str, lines: Sequence[str]) -> None:
        ws = self.book.add_worksheet(name[:31])
        wrap = self.book.add_format({"text_wrap": True, "valign": "top"})
        ws.set_column(0, 0, 100)
        for i, line in enumerate(lines):
            ws.write_string(i, 0, line, wrap)

    def close(self) -> None:
        self.book.close()


def xlsx(basis: PaymentBasis, path: Path | io.BytesIO, lang: str = "nb") -> None:
    """Sheets: the basis, the scenario, and notes; numbers as numbers, totals as sums."""
    def t(key: str) -> str:
        return i18n.t(key, lang)

    book = _Workbook(path)
    month = f"{basis.month:%Y-%m}"
    first = [t("payment_month"), t("payment_code"), t("payment_name"), t("payment_ukp_days")]
    # Whose rate it is, and whether it is provisional, on every line of both sheets.
    rate_header = [t("payment_rate_year"), t("payment_rate_provisional")]
    rate_cells = [basis.day_rate.rate_year,
                  t("payment_yes" if basis.day_rate.provisional else "payment_no")]
    book.sheet(t("payment_basis"), [*first, t("payment_rate"), t("payment_amount"), *rate_header],
               [[month, line.municipality, line.name, line.ukp_days, basis.rate, line.amount,
                 *rate_cells] for line in basis.lines], kinds="ttt#r$yt",
               total=t("payment_total"))
    steps = step_labels(basis.steps, lang)
    book.sheet(t("payment_scenario"),
               [*first, *steps, t("payment_amount"), t("payment_scenario_amount"),
                t("payment_difference"), *rate_header],
               [[month, line.municipality, line.name, line.ukp_days, *line.step_days,
                 line.amount, line.scenario_amount, line.difference, *rate_cells]
                for line in basis.lines],
               kinds="ttt#" + "#" * len(steps) + "$$$yt", total=t("payment_total"))
    book.notes(t("payment_about"), [title(basis, lang), *notes(basis, lang), "",
                                   t("payment_intro"), "", t("payment_scenario_title"),
                                   t("payment_scenario_note"), *steps])
    book.close()
