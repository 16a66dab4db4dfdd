"""Documents out: HTML from an area's Jinja2 templates, PDF from the same HTML (WeasyPrint).

Every document extends ``base.html.j2`` here (A4 page, fonts, tables, status colours);
an area keeps its own templates in its package's ``templates/`` folder and names the
package: ``html("flyt.payment", "payment.html.j2", ...)``.
"""

from __future__ import annotations

from functools import cache

import jinja2

from flyt import i18n


@cache
def environment(package: str) -> jinja2.Environment:
    """The templates of ``package`` (its ``templates/`` folder), then the shared base."""
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.PackageLoader(package, "templates"),
                                    jinja2.PackageLoader("flyt.output", "templates")]),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    env.filters["day"] = i18n.day
    env.filters["moment"] = i18n.moment
    return env


def html(package: str, template: str, **context: object) -> str:
    return environment(package).get_template(template).render(**context)


def pdf(document: str) -> bytes:
    """The HTML document as PDF. WeasyPrint is imported here: it loads the system's
    Pango library, which only rendering a PDF needs."""
    import weasyprint

    return weasyprint.HTML(string=document).write_pdf()
