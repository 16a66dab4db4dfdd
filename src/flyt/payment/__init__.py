"""The payment basis: what each municipality pays the hospital for a month's UKP days,
at the year's day rate, beside a scenario with a rate that rises with the wait
(docs/payment.md).

    basis.py     the basis and the scenario, from the engine's stored KPI 1
    rates.py     the ``[payment]`` configuration: day rates, the scenario's steps
    render.py    CSV (the machine contract), Excel and PDF (templates/payment.html.j2)

Its public surface: ``commands`` (``flyt report payment``), ``pages`` (the download
and the day-rate note on the dashboard's reports page) and ``rates`` (the what-if
simulation prices its UKP days at the year's rate).
"""

__all__ = ["rates"]
