"""/api/avvik on both engines (spec/deviations.md, "API"): bearer tokens, the four
operations with their success and error bodies, hostile bodies refused with nothing
stored, errors in English or Norwegian, the OpenAPI, and the export's audit entry."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from fastapi.testclient import TestClient

from flyt.accounts import audit, tokens, users
from flyt.cli.main import cli
from flyt.domain import clock
from flyt.domain.identity import make_fnr
from flyt.store.db import Database
from flyt.web.app import create_app
from tests.conftest import count
from tests.support.web import PASSWORD

HTTPS = "https://testserver"
# name → (role, municipality, organisation)
PEOPLE = {"trd": ("municipality", "5001", None), "malvik": ("municipality", "5031", None),
          "ola": ("analyst", None, None), "lege": ("gp", None, "fastlege-5001"),
          "fg": ("improvement", None, None), "asu": ("reader", None, None)}
REPORT = {"reporter_org": "5001", "receiver_org": ["stolav"],
          "occurred_at": "2024-11-20T14:30", "category": "utskrivning",
          "severity": "moderat_skade", "level": "pasient",
          "summary": "Utskrevet uten legemiddelliste"}


class Api:
    def __init__(self, app, keys: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
        self.app = app
        self.keys = keys
        self.client = TestClient(app, base_url=HTTPS)

    @property
    def db(self) -> Database:
        return self.app.state.db

    def as_(self, who: str, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[who]}", **extra}

    def post(self, who: str, path: str, body: object, **headers: str):  # type: ignore[no-untyped-def]
        return self.client.post(path, content=json.dumps(body),
                                headers={**self.as_(who), "Content-Type": "application/json",
                                         **headers})

    def get(self, who: str, path: str, **headers: str):  # type: ignore[no-untyped-def]
        return self.client.get(path, headers={**self.as_(who), **headers})

    def report(self, who: str = "trd", **fields: object) -> dict:
        response = self.post(who, "/api/avvik", {**REPORT, **fields})
        assert response.status_code == 201, response.text
        return response.json()


@pytest.fixture
def api(db_url: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(clock, "now", lambda: datetime(2024, 11, 21, 8, 5, 0))
    db = Database.open(db_url)
    keys = {}
    for name, (role, municipality, organisation) in PEOPLE.items():
        # Only trd signs in with a password too (hashing one takes a while).
        users.add(db, name, role, municipality, organisation=organisation,
                  password=PASSWORD if name == "trd" else None)
        keys[name] = tokens.create(db, name)[0]
    db.close()
    app = create_app(db_url)
    yield Api(app, keys)
    app.state.db.close()


def deviations_stored(api: Api) -> int:
    return count(api.db, "deviations")


# --- POST /api/avvik --------------------------------------------------------------

def test_a_report_with_a_bearer_token_is_created_with_its_id_version_and_status(api):
    response = api.post("trd", "/api/avvik", REPORT)
    assert response.status_code == 201
    assert response.json() == {"id": "AV-2024-00001", "version": 1, "status": "meldt"}
    [entry] = audit.entries(api.db, audit.Filters(action="deviation.create"))
    assert (entry.user_name, entry.target) == ("trd", "AV-2024-00001")


def test_receiver_org_may_be_one_string_or_a_list_and_a_date_alone_is_a_day(api):
    one = api.report(receiver_org="stolav", occurred_at="2024-11-19")
    two = api.report(receiver_org=["stolav", "fastlege-5001"],
                     occurred_at="2024-11-20T14:30:00+00:00")
    first = api.get("trd", f"/api/avvik/{one['id']}").json()
    second = api.get("trd", f"/api/avvik/{two['id']}").json()
    assert (first["receiver_org"], first["occurred_at"]) == (["stolav"], "2024-11-19")
    # 14:30 UTC is 15:30 in Oslo in November (CET, UTC+1).
    assert (second["receiver_org"], second["occurred_at"]) == (
        ["fastlege-5001", "stolav"], "2024-11-20T15:30")


def test_the_reporter_must_be_the_users_own_organisation(api):
    response = api.post("trd", "/api/avvik", {**REPORT, "reporter_org": "5031",
                                              "receiver_org": "stolav"})
    assert response.status_code == 422
    assert response.json() == {"detail": "You can only report deviations for your own "
                                         "organisation (5001), not 5031."}
    assert deviations_stored(api) == 0


def test_unknown_fields_are_refused_naming_them_and_nothing_is_stored(api):
    response = api.post("trd", "/api/avvik", {**REPORT, "priority": 1, "colour": "red"})
    assert response.status_code == 422
    assert response.json() == {"detail": "Unknown fields: priority, colour."}
    hostile = api.post("trd", "/api/avvik", {**REPORT, **{f"k{i}" + "x" * 99: 1
                                                          for i in range(12)}})
    assert hostile.json()["detail"] == ("Unknown fields: " + ", ".join(
        f"k{i}" + "x" * (40 - len(f"k{i}")) + "…" for i in range(10)) + ", ….")
    response = api.post("trd", "/api/avvik", {**REPORT, "status": "lukket", "id": "AV-1"})
    assert response.json() == {"detail": "The fields id, status are set by Flyt, not by "
                                         "the caller."}
    assert deviations_stored(api) == 0


def test_missing_fields_are_named(api):
    body = {k: v for k, v in REPORT.items() if k not in ("summary", "severity")}
    response = api.post("trd", "/api/avvik", body)
    assert (response.status_code, response.json()) == (
        422, {"detail": "Missing fields: severity, summary."})


@pytest.mark.parametrize(("field", "value", "detail"), [
    ("anonymous", "yes", '"anonymous" must be true or false.'),
    ("summary", 123, '"summary" must be text.'),
    ("receiver_org", 5, '"receiver_org" must be an org_id or a list of them.'),
    ("summary", "x" * 301, '"summary" is longer than 300 characters.'),
    ("occurred_at", "20. november", '"occurred_at" must be a date or a date and time in '
                                    "ISO 8601, Oslo time (2024-11-20 or 2024-11-20T14:30)."),
    ("severity", "litt vondt", 'Unknown severity "litt vondt" (known: ingen_skade, '
                               "mindre_skade, moderat_skade, betydelig_skade, dod)."),
])
def test_wrong_types_and_values_are_refused_with_one_clear_sentence(api, field, value, detail):
    response = api.post("trd", "/api/avvik", {**REPORT, field: value})
    assert (response.status_code, response.json()) == (422, {"detail": detail})
    assert deviations_stored(api) == 0


def test_a_national_id_in_patient_ref_is_refused_and_nothing_is_stored(api):
    national_id = next(n for i in range(100, 200)
                       if (n := make_fnr(date(1961, 3, 14), i)) is not None)
    response = api.post("trd", "/api/avvik", {**REPORT, "patient_ref": national_id})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("The patient reference looks like a "
                                                "national identity number")
    assert national_id not in response.text
    assert deviations_stored(api) == 0


def test_a_body_over_64_kib_is_refused_with_413_and_nothing_is_stored(api):
    body = {**REPORT, "description": "x" * (65 * 1024)}
    response = api.post("trd", "/api/avvik", body)
    assert (response.status_code, response.json()) == (
        413, {"detail": "The request is larger than 64 KiB."})
    # Sent in chunks without a Content-Length, it is stopped as it passes the limit.
    chunks = (b"x" * 1024 for _ in range(70))
    response = api.client.post("/api/avvik", content=chunks, headers=api.as_("trd"))
    assert response.status_code == 413
    assert deviations_stored(api) == 0


def test_a_body_that_is_not_a_json_object_is_refused(api):
    bad = api.client.post("/api/avvik", content=b"{not json", headers=api.as_("trd"))
    assert (bad.status_code, bad.json()) == (422, {"detail": "The request body is not "
                                                             "valid JSON."})
    listed = api.post("trd", "/api/avvik", [REPORT])
    assert (listed.status_code, listed.json()) == (
        422, {"detail": "The request body must be a JSON object."})


# --- GET /api/avvik/{id} ------------------------------------------------------------

def test_reading_a_deviation_gives_its_fields_version_and_history(api):
    made = api.report(patient_ref="pas-117", place="Øya helsehus")
    api.post("ola", f"/api/avvik/{made['id']}/status", {"to": "mottatt", "version": 1,
                                                         "comment": "Sett"})
    response = api.get("trd", f"/api/avvik/{made['id']}")
    assert response.status_code == 200
    got = response.json()
    assert (got["id"], got["version"], got["status"], got["patient_ref"], got["place"]) == (
        "AV-2024-00001", 2, "mottatt", "pas-117", "Øya helsehus")
    assert got["reported_at"] == "2024-11-21T08:05"
    assert got["acknowledged_at"] == "2024-11-21T08:05"
    assert [(e["version"], e["organisation"], e["from_status"], e["to_status"], e["comment"])
            for e in got["history"]] == [(1, "5001", None, "meldt", None),
                                         (2, "stolav", "meldt", "mottatt", "Sett")]


def test_the_improvement_group_reads_every_deviation_without_patient_ref(api):
    made = api.report(patient_ref="pas-117")
    got = api.get("fg", f"/api/avvik/{made['id']}").json()
    assert (got["id"], got["patient_ref"], got["summary"]) == (
        made["id"], None, "Utskrevet uten legemiddelliste")


def test_a_deviation_one_may_not_see_is_404_with_the_body_of_one_that_does_not_exist(api):
    before = api.get("malvik", "/api/avvik/AV-2024-00001")
    api.report()
    after = api.get("malvik", "/api/avvik/AV-2024-00001")
    reader = api.get("asu", "/api/avvik/AV-2024-00001")
    assert before.status_code == after.status_code == reader.status_code == 404
    assert before.json() == after.json() == reader.json() == {
        "detail": "Deviation AV-2024-00001 not found."}


# --- POST /api/avvik/{id}/status ----------------------------------------------------

def test_a_status_step_answers_200_with_the_new_version(api):
    made = api.report()
    response = api.post("ola", f"/api/avvik/{made['id']}/status",
                        {"to": "mottatt", "version": 1})
    assert (response.status_code, response.json()) == (
        200, {"id": made["id"], "version": 2, "status": "mottatt"})


def test_a_stale_version_is_409_and_changes_nothing(api):
    made = api.report()
    api.post("ola", f"/api/avvik/{made['id']}/status", {"to": "mottatt", "version": 1})
    stale = api.post("ola", f"/api/avvik/{made['id']}/status",
                     {"to": "under_behandling", "version": 1})
    assert stale.status_code == 409
    assert stale.json() == {"detail": f"Deviation {made['id']} was changed by someone else "
                                      "since you opened it (version 1, now 2). Reload it; "
                                      "nothing was saved."}
    assert api.get("trd", f"/api/avvik/{made['id']}").json()["status"] == "mottatt"


def test_a_step_not_allowed_or_without_its_answer_or_reason_is_422(api):
    made = api.report()
    path = f"/api/avvik/{made['id']}/status"
    not_allowed = api.post("ola", path, {"to": "lukket", "version": 1})
    no_reason = api.post("ola", path, {"to": "avvist", "version": 1, "reason": "  "})
    assert (not_allowed.status_code, not_allowed.json()) == (422, {
        "detail": 'A deviation with status "meldt" cannot move to "lukket".'})
    assert (no_reason.status_code, no_reason.json()) == (422, {
        "detail": "A deviation can only be rejected with a reason."})
    for step in ("mottatt", "under_behandling"):
        version = api.get("ola", f"/api/avvik/{made['id']}").json()["version"]
        assert api.post("ola", path, {"to": step, "version": version}).status_code == 200
    no_answer = api.post("ola", path, {"to": "besvart", "version": 3})
    assert (no_answer.status_code, no_answer.json()) == (422, {
        "detail": "A deviation can only be answered with a written answer."})
    answered = api.post("ola", path, {"to": "besvart", "version": 3, "answer": "Rutine endret"})
    assert answered.json() == {"id": made["id"], "version": 4, "status": "besvart"}


def test_a_step_with_a_wrong_body_is_422_naming_the_field(api):
    made = api.report()
    path = f"/api/avvik/{made['id']}/status"
    assert api.post("ola", path, {"to": "mottatt", "version": "1"}).json() == {
        "detail": '"version" must be a whole number from 1.'}
    assert api.post("ola", path, {"to": "mottatt"}).json() == {
        "detail": "Missing fields: version."}
    assert api.post("ola", path, {"to": "mottatt", "version": 1, "by": "x"}).json() == {
        "detail": "Unknown fields: by."}


def test_a_step_on_a_deviation_one_may_not_see_is_404_and_changes_nothing(api):
    made = api.report()
    response = api.post("malvik", f"/api/avvik/{made['id']}/status",
                        {"to": "mottatt", "version": 1})
    assert (response.status_code, response.json()) == (
        404, {"detail": f"Deviation {made['id']} not found."})
    assert api.get("trd", f"/api/avvik/{made['id']}").json()["version"] == 1


# --- GET /api/avvik -----------------------------------------------------------------

def test_the_list_is_paged_and_filtered_as_the_user_may_see_it(api):
    first = api.report(severity="ingen_skade", summary="Første")
    second = api.report(occurred_at="2024-10-02", summary="Andre")
    api.report("malvik", reporter_org="5031", summary="Malviks")
    mine = api.get("trd", "/api/avvik").json()
    assert (mine["total"], mine["offset"], mine["limit"]) == (2, 0, 50)
    assert [i["id"] for i in mine["items"]] == [second["id"], first["id"]]
    assert mine["items"][0] == {
        "id": second["id"], "version": 1, "status": "meldt", "reporter_org": "5001",
        "receiver_org": ["stolav"], "occurred_at": "2024-10-02",
        "reported_at": "2024-11-21T08:05", "category": "utskrivning",
        "severity": "moderat_skade", "level": "pasient", "summary": "Andre", "overdue": []}
    paged = api.get("ola", "/api/avvik?limit=1&offset=1").json()
    assert (paged["total"], paged["offset"], paged["limit"]) == (3, 1, 1)
    assert [i["id"] for i in paged["items"]] == [second["id"]]
    filtered = api.get("ola", "/api/avvik?severity=Moderat%20skade&from=2024-11-01"
                       "&to=2024-11-30&organisation=5001&status=meldt&q=f%C3%B8rste").json()
    assert filtered["total"] == 0
    found = api.get("ola", "/api/avvik?from=2024-11-01&q=malvik").json()
    assert [i["summary"] for i in found["items"]] == ["Malviks"]
    [entry] = audit.entries(api.db, audit.Filters(action="deviation.list", user_name="trd"))
    assert entry.target == "2 hits"


@pytest.mark.parametrize(("query", "detail"), [
    ("from=1.11.2024", '"from" must be a date (YYYY-MM-DD).'),
    ("limit=0", '"limit" must be a whole number from 1 to 500.'),
    ("offset=-1", '"offset" must be a whole number from 0 to 10000000.'),
    ("overdue=kanskje", '"overdue" must be true or false.'),
    ("colour=red", "Unknown parameters: colour."),
    ("status=ferdig", 'Unknown status "ferdig" (known: meldt, mottatt, under_behandling, '
                      "besvart, lukket, avvist, gjenapnet)."),
    ("q=" + "x" * 201, '"q" is longer than 200 characters.'),
])
def test_a_bad_filter_is_422_with_one_sentence(api, query, detail):
    response = api.get("trd", f"/api/avvik?{query}")
    assert (response.status_code, response.json()) == (422, {"detail": detail})


# --- tokens, language, the shell ---------------------------------------------------

def test_errors_are_english_by_default_and_norwegian_when_asked(api):
    english = api.get("trd", "/api/avvik/AV-2024-00009")
    by_header = api.get("trd", "/api/avvik/AV-2024-00009",
                        **{"Accept-Language": "nb-NO,nb;q=0.9,en;q=0.8"})
    by_query = api.get("trd", "/api/avvik/AV-2024-00009?lang=nb")
    assert english.json() == {"detail": "Deviation AV-2024-00009 not found."}
    assert by_header.json() == by_query.json() == {"detail": "Fant ikke avviket AV-2024-00009."}


def test_without_a_token_or_with_a_bad_one_the_api_answers_401_with_a_bearer_challenge(api):
    missing = api.client.get("/api/avvik")
    bad = api.client.get("/api/avvik", headers={"Authorization": "Bearer flyt_nope"})
    assert missing.status_code == bad.status_code == 401
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    assert bad.headers["WWW-Authenticate"] == 'Bearer realm="flyt", error="invalid_token"'
    assert missing.json() == {"detail": "Sign in first: send an API token in "
                                        "Authorization: Bearer."}
    assert bad.json() == {"detail": "The API token is unknown, wrong or revoked, or its user "
                                    "is disabled."}
    [refused] = audit.entries(api.db, audit.Filters(action="token.refused"))
    assert (refused.user_name, refused.target, refused.ip) == (None, "flyt_nope", "testclient")


def test_a_revoked_token_and_a_disabled_users_token_get_401(api):
    assert api.get("trd", "/api/avvik").status_code == 200
    tokens.revoke(api.db, api.keys["trd"][5:13])
    assert api.get("trd", "/api/avvik").status_code == 401
    assert api.get("ola", "/api/avvik").status_code == 200
    users.disable(api.db, "ola")
    refused = api.post("ola", "/api/avvik", {**REPORT, "reporter_org": "stolav",
                                             "receiver_org": "5001"})
    assert refused.status_code == 401
    assert deviations_stored(api) == 0


def test_a_bearer_token_is_never_accepted_outside_the_api(api):
    page = api.client.get("/admin/users.json", headers=api.as_("ola"))
    home = api.client.get("/", headers=api.as_("trd"), follow_redirects=False)
    assert page.status_code == 401
    assert (home.status_code, home.headers["location"]) == (303, "/login?next=%2F")


def signed_in(api: Api, name: str) -> TestClient:
    client = TestClient(api.app, base_url=HTTPS)
    form = client.get("/login").text
    token = form.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = client.post("/login", data={"name": name, "password": PASSWORD,
                                           "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    return client


def test_a_cookie_session_keeps_its_csrf_rule_on_the_api_and_a_token_needs_none(api):
    browser = signed_in(api, "trd")
    refused = browser.post("/api/avvik", json=REPORT)
    assert refused.status_code == 403
    assert deviations_stored(api) == 0
    csrf = browser.get("/login").text.split('name="csrf_token" value="', 1)[1].split('"')[0]
    accepted = browser.post("/api/avvik", json=REPORT, headers={"X-CSRF-Token": csrf})
    assert accepted.status_code == 201
    assert api.post("trd", "/api/avvik", REPORT).status_code == 201  # no CSRF token at all


def test_a_bad_token_is_refused_even_with_a_signed_in_cookie(api):
    browser = signed_in(api, "trd")
    response = browser.get("/api/avvik", headers={"Authorization": "Bearer flyt_x"})
    assert response.status_code == 401


def test_failed_tokens_from_one_address_are_limited(api):
    wrong = {"Authorization": "Bearer flyt_0badc0de_" + "0" * 64}
    answers = [api.client.get("/api/avvik", headers=wrong).status_code for _ in range(6)]
    assert answers == [401] * 5 + [429]


def test_the_openapi_describes_the_four_operations_the_bearer_scheme_and_error_bodies(api):
    spec = api.client.get("/openapi.json").json()
    operations = {(path, method) for path, item in spec["paths"].items()
                  if path.startswith("/api/") for method in item}
    assert operations == {("/api/avvik", "post"), ("/api/avvik", "get"),
                          ("/api/avvik/{deviation_id}", "get"),
                          ("/api/avvik/{deviation_id}/status", "post")}
    assert spec["components"]["securitySchemes"]["bearer"] == {
        "type": "http", "scheme": "bearer",
        "description": "A token from `flyt token create --user NAME`."}
    status = spec["paths"]["/api/avvik/{deviation_id}/status"]["post"]
    assert status["security"] == [{"bearer": []}]
    assert {"404", "409", "422"} <= set(status["responses"])
    assert status["responses"]["409"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Problem"}
    body = status["requestBody"]["content"]["application/json"]["schema"]
    assert set(body["properties"]) == {"to", "comment", "answer", "reason", "version"}
    report = spec["paths"]["/api/avvik"]["post"]["requestBody"]["content"]
    assert "receiver_org" in report["application/json"]["schema"]["properties"]


def test_the_export_command_is_audited_with_its_format_and_row_count(api, tmp_path):
    api.report()
    api.report(summary="To")
    url = api.db.engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(cli, ["deviations", "export", "--format", "json", "--output",
                                      str(tmp_path / "a.json"), "--db", url])
    assert result.exit_code == 0, result.output
    with api.db.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT action, target, detail FROM audit_log "
                                    "WHERE action = 'deviation.export'")).all()
    assert [tuple(r) for r in rows] == [("deviation.export", "json", "2 rows (command line)")]
