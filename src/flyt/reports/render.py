"""HTML from Jinja2 templates, PDF from the same HTML (WeasyPrint), shared by every report."""

from __future__ import annotations

from functools import cache

import jinja2

from flyt import i18n


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("flyt.reports", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    env.filters["day"] = i18n.day
    env.filters["moment"] = i18n.moment
    return env


def html(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)


def pdf(document: str) -> bytes:
    """The HTML document as PDF. WeasyPrint is imported here: it loads the system's
    Pango library, which only report rendering needs."""
    import weasyprint

    return weasyprint.HTML(string=document).write_pdf()
