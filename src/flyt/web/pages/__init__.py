"""Pages and their JSON twins.

A page is a function that returns its data as a dict (numbers as numbers, dates ISO)
and names its template. `page("/trends")` registers it twice: `/trends` renders the
template in the user's language, `/trends.json` returns the same dict as JSON, so the
web page, the API and the tests read the same numbers.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse

# words: the `word` filter, there for every template (every page module imports this).
from flyt.web.pages import words  # noqa: F401
from flyt.web.render import render_page

PageFunction = Callable[..., dict[str, Any]]


def page(router: APIRouter, path: str, template: str, *, title: str) -> Callable[
        [PageFunction], PageFunction]:
    """Register `func` at `path` (HTML, from `template`) and `path + ".json"` (JSON).
    `title` is an i18n key."""
    json_path = "/index.json" if path == "/" else f"{path}.json"

    def register(func: PageFunction) -> PageFunction:
        signature = inspect.signature(func)
        wants_request = "request" in signature.parameters

        @functools.wraps(func)
        async def as_html(request: Request, **kwargs: Any) -> HTMLResponse:
            data = await _call(func, request, wants_request, kwargs)
            # Rendering draws the charts (vl-convert): off the event loop too.
            return await run_in_threadpool(render_page, request, template, data, title=title)

        @functools.wraps(func)
        async def as_json(request: Request, **kwargs: Any) -> JSONResponse:
            data = await _call(func, request, wants_request, kwargs)
            return JSONResponse(data)

        for view in (as_html, as_json):
            params = [p for p in signature.parameters.values() if p.name != "request"]
            # Through __dict__, where a function keeps its attributes: typeshed declares
            # no __signature__ on functions, though inspect.signature reads it (PEP 362).
            view.__dict__["__signature__"] = signature.replace(parameters=[
                inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                  annotation=Request), *params])
        # The twin first: `/municipality/{code}` would otherwise take "5031.json" as a code.
        router.add_api_route(json_path, as_json, methods=["GET"], name=f"{func.__name__}_json")
        router.add_api_route(path, as_html, methods=["GET"], response_class=HTMLResponse,
                             name=func.__name__)
        return func

    return register


async def _call(func: PageFunction, request: Request, wants_request: bool,
                kwargs: dict[str, Any]) -> dict[str, Any]:
    if wants_request:
        kwargs = {"request": request, **kwargs}
    if inspect.iscoroutinefunction(func):
        return await func(**kwargs)
    # Database reads and chart drawing block: in a worker thread, so that one user's
    # page does not hold up everyone else's (DuckDB and vl-convert release the GIL).
    return await run_in_threadpool(func, **kwargs)
