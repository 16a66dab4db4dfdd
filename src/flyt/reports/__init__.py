"""The reports ASU decided (case 4/24): the monthly KPI report, the Monday/Thursday
snapshot and the payment basis, as PDF, HTML and Excel, and their distribution.

Every number comes from the KPI engine's stored results (flyt.engine.read), the
same function `flyt kpi` prints from; a report only arranges and formats.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RenderedReport:
    """A report ready to send: what flyt.reports.mail needs."""

    kind: str  # monthly | snapshot | payment
    title: str  # the mail's subject, e.g. "UKP-rapport mars 2024"
    html: str  # a complete HTML document: the mail's body
    pdf: bytes  # the attachment
    filename: str  # the attachment's file name, e.g. "flyt-maanedsrapport-2024-03.pdf"
