"""/avvik/ny: the report form (GET shows it, POST reports through
flyt.deviations.handling.report) and /avvik/veileder: the guide, the "low-threshold
learning package" (and its JSON twin).

The form is one column for a phone. A wrong field re-shows the form with every value
kept and the reason at the field (422). Free text that looks like it holds a national
id or a personal name (records.looks_like_national_id, flyt.deviations.privacy) is not
stored at the first sending: the form comes back with a warning naming the field and a
"send anyway" box (confirm=1). The reporter's organisation is the user's own; users who
act for none (readers, the improvement group) get 403.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from flyt.deviations import annual, codes, guide, handling, privacy
from flyt.deviations.errors import InvalidDeviation
from flyt.deviations.importing import MAX_LENGTH
from flyt.deviations.records import NewDeviation, looks_like_national_id
from flyt.deviations.settings import DeviationSettings, load_deviation_settings
from flyt.domain import clock
from flyt.i18n import t
from flyt.store.reference import packaged_organisations
from flyt.web.deps import CurrentUser, Db, User, client_ip
from flyt.web.pages import page
from flyt.web.render import language, render_page

router = APIRouter()

FORM_TEMPLATE = "deviations/reporting_form.html.j2"
# The free-text fields the warning reads (spec: summary, description, immediate action,
# and the place, which a reporter may fill with a person's room or name).
WARNED = ("summary", "description", "immediate_action", "place")
TEXT_FIELDS = ("subcategory", "agreement_clause", "patient_ref", "place", "summary",
               "description", "immediate_action")
# Which field a refusal of flyt.deviations.records is about (the rest go on top).
FIELD_OF_REFUSAL = {
    "dev_unknown_org": "receiver_org", "dev_no_receiver": "receiver_org",
    "dev_receiver_is_reporter": "receiver_org", "dev_bad_category": "category",
    "dev_bad_severity": "severity", "dev_bad_level": "level",
    "dev_clause_required": "agreement_clause", "dev_summary_required": "summary",
    "dev_patient_ref_national_id": "patient_ref",
}
KIND_ORDER = ("sykehus", "kommune", "fastlege")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})(?::\d{2})?$")  # seconds, if a browser sends them
_NORWEGIAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")

Text = Annotated[str, Form()]


@dataclass
class Submitted:
    """The form as the user sent it: strings as typed, so a re-shown form keeps them."""

    receivers: list[str]
    values: dict[str, str]
    anonymous: bool
    confirm: bool
    reporter_org: str | None = None
    errors: dict[str, str] = field(default_factory=dict)

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)


def field_labels(lang: str) -> dict[str, str]:
    """Each field's name as the form shows it (for the messages that name a field)."""
    return {"receiver_org": t("devform_f_receivers", lang),
            "occurred_date": t("devform_f_occurred_date", lang),
            "occurred_time": t("devform_f_occurred_time", lang),
            "category": t("devform_f_category", lang),
            "subcategory": t("devform_f_subcategory", lang),
            "severity": t("devform_f_severity", lang), "level": t("devform_f_level", lang),
            "agreement_clause": t("devform_f_clause", lang),
            "patient_ref": t("devform_f_patient_ref", lang), "place": t("devform_f_place", lang),
            "summary": t("devform_f_summary", lang),
            "description": t("devform_f_description", lang),
            "immediate_action": t("devform_f_immediate_action", lang)}


# --- reading the form ---------------------------------------------------------------

def parse_day(text: str) -> date:
    """An <input type=date> value (ISO) or, typed by hand, dd.mm.yyyy."""
    norwegian = _NORWEGIAN_DATE.match(text)
    if norwegian:
        day, month, year = (int(g) for g in norwegian.groups())
        return date(year, month, day)
    return date.fromisoformat(text)


def parse_time(text: str) -> time:
    match = _TIME.match(text)
    if not match:
        raise ValueError(text)
    return time(int(match.group(1)), int(match.group(2)))


def occurred(form: Submitted, lang: str) -> date | datetime | None:
    """The event's date (and time, if given), or None with the reason at the field."""
    day_text = form.values["occurred_date"]
    time_text = form.values["occurred_time"]
    if not day_text:
        form.error("occurred_date", t("devform_date_required", lang))
        return None
    try:
        day = parse_day(day_text)
    except ValueError:
        form.error("occurred_date", t("devform_date_bad", lang))
        return None
    moment: date | datetime = day
    if time_text:
        try:
            moment = datetime.combine(day, parse_time(time_text))
        except ValueError:
            form.error("occurred_time", t("devform_time_bad", lang))
            return None
    now = clock.now()
    if (moment > now) if isinstance(moment, datetime) else (moment > now.date()):
        form.error("occurred_date", t("devform_date_future", lang))
        return None
    return moment


def check_choices(form: Submitted, settings: DeviationSettings, lang: str) -> None:
    """Every field the form can tell is wrong, each with its own reason, so the user
    sees them all at once (records.checked stops at the first)."""
    values = form.values
    if not form.receivers:
        form.error("receiver_org", InvalidDeviation("dev_no_receiver").message(lang))
    for name, parse in (("category", lambda v: codes.parse_category(v, settings.categories)),
                        ("severity", codes.parse_severity), ("level", codes.parse_level)):
        if not values[name]:
            form.error(name, t("devform_choose", lang).format(
                field=field_labels(lang)[name].lower()))
            continue
        try:
            parse(values[name])
        except InvalidDeviation as refused:
            form.error(name, refused.message(lang))
    if values["level"] == "system" and not values["agreement_clause"]:
        form.error("agreement_clause", InvalidDeviation("dev_clause_required").message(lang))
    if not values["summary"]:
        form.error("summary", InvalidDeviation("dev_summary_required").message(lang))
    if values["patient_ref"] and looks_like_national_id(values["patient_ref"]):
        form.error("patient_ref",
                   InvalidDeviation("dev_patient_ref_national_id").message(lang))
        values["patient_ref"] = ""  # a national id is not written back into the page
    for name in TEXT_FIELDS:
        if len(values[name]) > MAX_LENGTH[name]:
            form.error(name, t("devform_too_long", lang).format(
                length=len(values[name]), max=MAX_LENGTH[name]))


def warnings(form: Submitted, lang: str) -> dict[str, str]:
    """field -> the warning for free text that looks like a national id or a name."""
    labels = field_labels(lang)
    found: dict[str, str] = {}
    for name in WARNED:
        text = form.values[name]
        if text and looks_like_national_id(text):
            found[name] = t("devform_warn_national_id", lang).format(field=labels[name])
        elif text and privacy.looks_like_personal_name(text):
            found[name] = t("devform_warn_name", lang).format(field=labels[name])
    return found


# --- what the template gets -----------------------------------------------------------

def receiver_groups(own: str | None, chosen: list[str], lang: str) -> list[dict[str, Any]]:
    """The organisations one may report to, by kind (the hospital, the municipalities,
    the GPs), the user's own left out."""
    names = {"sykehus": t("devform_group_hospital", lang),
             "kommune": t("devform_group_municipalities", lang),
             "fastlege": t("devform_group_gps", lang)}
    groups = []
    for kind in KIND_ORDER:
        orgs = [{"org_id": o.org_id, "name": o.name, "checked": o.org_id in chosen}
                for o in packaged_organisations() if o.kind == kind and o.org_id != own]
        if orgs:
            groups.append({"kind": kind, "name": names[kind], "orgs": orgs,
                           "open": kind == "sykehus" or any(o["checked"] for o in orgs)})
    return groups


def entries(items: list[guide.Entry]) -> list[dict[str, str]]:
    return [{"code": e.code, "name": e.name, "explanation": e.explanation,
             "example": e.example} for e in items]


def org_name(org_id: str | None) -> str:
    return next((o.name for o in packaged_organisations() if o.org_id == org_id),
                org_id or "")


def form_data(user: User, lang: str, form: Submitted | None = None,
              warned: dict[str, str] | None = None, error: str | None = None) -> dict:
    form = form or Submitted([], dict.fromkeys(
        ("occurred_date", "occurred_time", "category", "severity", "level", *TEXT_FIELDS),
        ""), anonymous=False, confirm=False)
    settings = load_deviation_settings()
    return {
        "reporter": {"org_id": user.organisation, "name": org_name(user.organisation)},
        "groups": receiver_groups(user.organisation, form.receivers, lang),
        "categories": entries(guide.categories(settings.categories, lang)),
        "severities": entries(guide.severities(lang)),
        "levels": [{"code": code, "name": annual.label("level", code, lang)}
                   for code in codes.LEVELS],
        "given": form.values, "anonymous": form.anonymous, "errors": form.errors,
        "warnings": warned or {}, "error": error, "max": MAX_LENGTH,
        "today": clock.today().isoformat(),
    }


def show_form(request: Request, user: User, *, status_code: int = 200,
              **data: Any) -> HTMLResponse:
    lang = language(request)
    response = render_page(request, FORM_TEMPLATE, form_data(user, lang, **data),
                           title="devform_title")
    response.status_code = status_code
    return response


def refused(request: Request) -> HTMLResponse:
    """403 for a user who acts for no organisation, in one sentence."""
    response = render_page(request, "deviations/reporting_refused.html.j2", {},
                           title="devform_title")
    response.status_code = 403
    return response


# --- the routes ----------------------------------------------------------------------

@router.get("/avvik/ny", response_class=HTMLResponse, name="deviation_report_form")
def report_form(request: Request, user: CurrentUser) -> HTMLResponse:
    if user.organisation is None:
        return refused(request)
    return show_form(request, user)


@router.post("/avvik/ny", name="deviation_report")
def report(request: Request, user: CurrentUser, db: Db,
           receiver_org: Annotated[list[str] | None, Form()] = None,
           occurred_date: Text = "", occurred_time: Text = "", category: Text = "",
           subcategory: Text = "", severity: Text = "", level: Text = "",
           agreement_clause: Text = "", patient_ref: Text = "", place: Text = "",
           summary: Text = "", description: Text = "", immediate_action: Text = "",
           anonymous: Text = "", confirm: Text = "",
           reporter_org: Text = "") -> Response:
    """`reporter_org` is not on the form (it is the user's own); one sent anyway that
    is not the user's own is refused by handling.report."""
    if user.organisation is None:
        return refused(request)
    lang = language(request)
    values = {"occurred_date": occurred_date.strip(), "occurred_time": occurred_time.strip(),
              "category": category.strip(), "severity": severity.strip(),
              "level": level.strip(), "subcategory": subcategory.strip(),
              "agreement_clause": agreement_clause.strip(), "patient_ref": patient_ref.strip(),
              "place": place.strip(), "summary": summary.strip(),
              "description": description.strip(), "immediate_action": immediate_action.strip()}
    form = Submitted([r for r in (receiver_org or []) if r], values,
                     anonymous=anonymous == "1", confirm=confirm == "1",
                     reporter_org=reporter_org.strip() or None)
    moment = occurred(form, lang)
    check_choices(form, load_deviation_settings(), lang)
    if form.errors or moment is None:
        return show_form(request, user, status_code=422, form=form)
    warned = warnings(form, lang)
    if warned and not form.confirm:
        return show_form(request, user, form=form, warned=warned)
    new = NewDeviation(
        reporter_org=form.reporter_org or user.organisation, receiver_orgs=form.receivers,
        occurred_at=moment, category=values["category"], severity=values["severity"],
        level=values["level"], summary=values["summary"],
        agreement_clause=values["agreement_clause"] or None,
        subcategory=values["subcategory"] or None, patient_ref=values["patient_ref"] or None,
        place=values["place"] or None, description=values["description"] or None,
        immediate_action=values["immediate_action"] or None, anonymous=form.anonymous)
    try:
        item = handling.report(db, user, new, ip=client_ip(request))
    except InvalidDeviation as refusal:
        name = FIELD_OF_REFUSAL.get(refusal.key)
        if name is None:
            return show_form(request, user, status_code=422, form=form,
                             error=refusal.message(lang))
        form.error(name, refusal.message(lang))
        return show_form(request, user, status_code=422, form=form)
    return RedirectResponse(f"/avvik/{item.id}", status_code=303)


@page(router, "/avvik/veileder", "deviations/reporting_guide.html.j2", title="devguide_title")
def guide_page(request: Request, user: CurrentUser) -> dict:
    """The guide: open to every signed-in user (also those who cannot report)."""
    lang = language(request)
    settings = load_deviation_settings()
    return {
        "categories": entries(guide.categories(settings.categories, lang)),
        "severities": entries(guide.severities(lang)),
        "deadlines": {"acknowledge_working_days": settings.acknowledge_working_days,
                      "answer_days": settings.answer_days,
                      "close_after_days": settings.close_after_days,
                      # Inside a sentence: "moderat skade", not "Moderat skade".
                      "answer_from": annual.label("severity", codes.ANSWER_REQUIRED_FROM,
                                                  lang).lower()},
        "may_report": user.organisation is not None,
    }
