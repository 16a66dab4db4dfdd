"""Attachments up and down (flyt.deviations.attachments; docs/deviations.md,
"Attachments"):

    POST /avvik/{id}/vedlegg                  a file (multipart, `file` and `csrf_token`):
                                              303 back to /avvik/{id}; a refusal is a page
                                              (413 too large, 415 not PDF/PNG/JPEG, 422
                                              otherwise, 404 not the user's, 503 wrong
                                              settings in the configuration file)
    GET  /avvik/{id}/vedlegg/{attachment_id}  the file as a download (its real type,
                                              nosniff); 404 for anything one may not open
    POST /avvik/{id}/vedlegg/{attachment_id}/slett  remove one the user's side added

`part(db, user, id)` is what the deviation's page hands to
templates/pages/attachments_part.html.j2 (its variables are described at its top).
The body of an upload is bounded before it is read: `UPLOAD_PATH`, `body_limit` and
`too_large` are used by the app's UploadLimit (flyt.web.pages.data).
"""

from __future__ import annotations

import functools
import re
from typing import Annotated, Any

import jinja2
from fastapi import APIRouter, File, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.types import Receive, Scope, Send

from flyt import i18n
from flyt.accounts import User
from flyt.deviations import attachments
from flyt.deviations.errors import DeviationError, DeviationNotFound, InvalidDeviation
from flyt.store.db import Database
from flyt.store.reference import packaged_organisations
from flyt.web.deps import CurrentUser, Db, client_ip
from flyt.web.pages import formats  # noqa: F401  (the template filters: day)
from flyt.web.render import environment, language, render_page

router = APIRouter()

UPLOAD_PATH = re.compile(r"/avvik/[^/]+/vedlegg")
# The multipart wrapping around the file (boundaries, headers, the CSRF field) on top
# of the file's own limit, so that a file just under the limit is not refused here.
FORM_OVERHEAD = 64 * 1024
# A refusal's HTTP status by its key (the others: 422).
STATUS = {"dev_att_too_large": 413, "dev_att_type": 415}
MEDIA_LABELS = {attachments.PDF: "PDF", attachments.PNG: "PNG", attachments.JPEG: "JPEG"}


@functools.cache
def _organisation_names() -> dict[str, str]:
    return {o.org_id: o.name for o in packaged_organisations()}


def part(db: Database, user: User, deviation_id: str) -> dict[str, Any]:
    """The attachments part of the deviation's page (and its JSON twin): the files the
    user may open, whether it may add one, the limits. DeviationNotFound for a deviation
    the user may not see."""
    try:
        settings = attachments.load_attachment_settings()
    except ValueError:  # a broken [deviations] section: an upload says so (503)
        settings = attachments.AttachmentSettings()
    files = attachments.listed(db, user, deviation_id)
    names = _organisation_names()
    return {
        "deviation_id": deviation_id,
        "files": [{**a.as_dict(), "type_label": MEDIA_LABELS[a.media_type],
                   "organisation_name": names.get(a.organisation, a.organisation),
                   "href": f"/avvik/{a.deviation_id}/vedlegg/{a.id}"} for a in files or ()],
        "hidden": files is None,  # the improvement group: attachments are not for it
        "may_add": files is not None and len(files) < settings.max_count,
        "max_size": attachments.limit_text(settings.max_bytes),
        "max_count": settings.max_count,
    }


def _page(request: Request, deviation_id: str, status: int, message: str) -> HTMLResponse:
    """A refusal as a page of its own, in the user's language, with the way back."""
    response = render_page(request, "deviations/attachments_refused.html.j2", {
        "message": message, "back": None if status == 404 else f"/avvik/{deviation_id}"},
        title="att_refused")
    response.status_code = status
    return response


def _refused(request: Request, deviation_id: str, error: DeviationError) -> HTMLResponse:
    status = 404 if isinstance(error, DeviationNotFound) else STATUS.get(error.key, 422)
    return _page(request, deviation_id, status, error.message(language(request)))


def _misconfigured(request: Request, deviation_id: str, broken: ValueError) -> HTMLResponse:
    """The attachment settings of the configuration file are wrong: the administrator's
    to mend, said as such (503), not a server error."""
    text = i18n.t("att_configuration", language(request)).format(why=broken)
    return _page(request, deviation_id, 503, text)


Uploaded = Annotated[UploadFile | None, File(description="A PDF, PNG or JPEG file")]


@router.post("/avvik/{deviation_id}/vedlegg", response_class=HTMLResponse,
             name="deviation_attachment_add")
async def add(request: Request, deviation_id: str, user: CurrentUser, db: Db,
              file: Uploaded = None) -> Response:
    def work() -> Response:
        try:
            settings = attachments.load_attachment_settings()
            if file is None or not file.filename:
                raise InvalidDeviation("dev_att_missing")
            added = attachments.add(db, user, deviation_id, file.filename, file.file,
                                    ip=client_ip(request), settings=settings)
        except DeviationError as error:
            return _refused(request, deviation_id, error)
        except ValueError as broken:  # after DeviationError, which is a ValueError too
            return _misconfigured(request, deviation_id, broken)
        return RedirectResponse(f"/avvik/{added.deviation_id}#vedlegg", status_code=303)

    return await run_in_threadpool(work)


@router.get("/avvik/{deviation_id}/vedlegg/{attachment_id}",
            name="deviation_attachment_download")
def download(request: Request, deviation_id: str, attachment_id: int, user: CurrentUser,
             db: Db) -> Response:
    try:
        found, path = attachments.for_download(
            db, user, deviation_id, attachment_id, ip=client_ip(request),
            settings=attachments.load_attachment_settings())
    except DeviationError as error:
        return _refused(request, deviation_id, error)
    except ValueError as broken:
        return _misconfigured(request, deviation_id, broken)
    return FileResponse(path, media_type=found.media_type, filename=found.download_name,
                        content_disposition_type="attachment", headers={
                            "X-Content-Type-Options": "nosniff",
                            # Health data: not kept by a shared cache, and a browser that
                            # shows it anyway runs nothing in it.
                            "Cache-Control": "private, no-store",
                            "Content-Security-Policy": "default-src 'none'; sandbox"})


@router.post("/avvik/{deviation_id}/vedlegg/{attachment_id}/slett",
             name="deviation_attachment_remove")
def remove(request: Request, deviation_id: str, attachment_id: int, user: CurrentUser,
           db: Db) -> Response:
    try:
        attachments.remove(db, user, deviation_id, attachment_id, ip=client_ip(request),
                           settings=attachments.load_attachment_settings())
    except DeviationError as error:
        return _refused(request, deviation_id, error)
    except ValueError as broken:
        return _misconfigured(request, deviation_id, broken)
    return RedirectResponse(f"/avvik/{deviation_id}#vedlegg", status_code=303)


# --- the body's bound (used by flyt.web.pages.data.UploadLimit) --------------------------

def body_limit() -> int:
    """The largest upload body taken in: the file's limit and the form around it."""
    try:
        settings = attachments.load_attachment_settings()
    except ValueError:  # a broken [deviations] section: the upload itself says so
        settings = attachments.AttachmentSettings()
    return settings.max_bytes + FORM_OVERHEAD


async def too_large(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    """413 for a body over `body_limit`, before or while it streams in."""
    request = Request(scope)
    lang = language(request)
    back = scope["path"].rsplit("/", 1)[0]
    html = _refused_template().render(
        lang=lang, title=i18n.t("att_refused", lang), back=back,
        back_text=i18n.t("att_back", lang),
        message=i18n.t("dev_att_too_large", lang).format(
            limit=attachments.limit_text(limit - FORM_OVERHEAD)),
        t=lambda key: i18n.t(key, lang))
    response = HTMLResponse(html, status_code=413)
    response.headers["Connection"] = "close"  # the rest of the body is not wanted
    await response(scope, receive, send)


@functools.cache
def _refused_template() -> jinja2.Template:
    # Without the menu: the session (who is signed in) is not read this far out.
    return environment().from_string(
        '{% extends "base.html.j2" %}{% block main %}<p role="alert">{{ message }}</p>'
        '<p><a href="{{ back }}">{{ back_text }}</a></p>{% endblock %}')
