"""HTML for the web pages: Jinja2 templates in flyt/web/templates, in the user's
language (cookie `lang`, `?lang=en`), Norwegian dates and decimal comma by default."""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from flyt import i18n
from flyt.web.freshness import Memo

MEDIA = {"pdf": "application/pdf", "html": "text/html; charset=utf-8",
         "csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
# Rendered files (reports, the payment basis), per data stamp (freshness): a PDF takes
# seconds, and the committee downloads the same month's report many times.
rendered_files = Memo(32)


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        # The shell's templates, and an area's pages under its name ("deviations/…"),
        # which extend the shell's base.html.j2.
        loader=jinja2.ChoiceLoader([
            jinja2.PackageLoader("flyt.web", "templates"),
            jinja2.PrefixLoader({
                "capacity": jinja2.PackageLoader("flyt.capacity", "templates/pages"),
                "deviations": jinja2.PackageLoader("flyt.deviations", "templates/pages"),
                "plan": jinja2.PackageLoader("flyt.plan", "templates/pages"),
                "simulation": jinja2.PackageLoader("flyt.simulation", "templates/pages")})]),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
        auto_reload=False)  # templates are package data: no file check per page
    # Numbers as flyt.i18n writes them (Babel): {{ n | number(1, lang) }},
    # {{ share | percent(1, lang) }}, {{ change | signed(0, lang) }}.
    env.filters.update(number=i18n.number, percent=i18n.percent, signed=i18n.signed)
    return env


def language(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get("lang") or "nb"
    return lang if lang in i18n.LANGS else "nb"


def render_page(request: Request, template: str, data: dict[str, Any], *,
                title: str) -> HTMLResponse:
    lang = language(request)
    html = environment().get_template(template).render(
        request=request, data=data, lang=lang, t=lambda key: i18n.t(key, lang),
        group_name=lambda name: i18n.group_name(name, lang),
        title=i18n.t(title, lang), user=getattr(request.state, "user", None),
        csrf_token=getattr(request.state, "csrf_token", ""))
    response = HTMLResponse(html)
    if request.query_params.get("lang") in i18n.LANGS:
        response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="lax")
    return response


def download(content: bytes | str, fmt: str, name: str) -> Response:
    """A file to save (``name.fmt``), of the media type of its format."""
    body = content.encode("utf-8") if isinstance(content, str) else content
    return Response(body, media_type=MEDIA[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})
