"""The municipalities' escalation plans (flyt.capacity.plans, plans_store and pages) on
DuckDB and PostgreSQL: the model's bounds, the store's round trip and versions, who may
read and who may change (only a municipality user of that municipality), a stale save
(409, the input kept), a refused field (400, nothing stored), the JSON twins, the audit.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from flyt.accounts import users
from flyt.capacity import plans, plans_store
from flyt.capacity.plans import Contact, EscalationPlan, PlanRefused, StalePlan
from flyt.domain import clock
from flyt.store import schema
from flyt.store.db import Database
from flyt.web.app import create_app
from tests.support.web import HTTPS, PASSWORD, csrf, fresh_store, signed_in_as

# name: (role, municipality, organisation)
PEOPLE = {"malvik": ("municipality", "5031", None), "melhus": ("municipality", "5028", None),
          "ola": ("analyst", None, None), "anna": ("admin", None, None),
          "asu": ("reader", None, None), "lege": ("gp", None, "fastlege-5031")}
NOW = datetime(2026, 12, 2, 9, 30)
URL = "/kapasitet/beredskapsplaner"

GOOD_FORM = {
    "actions_1": "Vanlig drift.\r\nDaglig tavlemøte kl. 09.  ",
    "actions_2": "Vurder å åpne 2 ekstra korttidsplasser.",
    "actions_3": "", "actions_4": "Kriseledelsen kalles inn.",
    "beds": "3", "note": "Gjelder fra 01.12.2026.",
    "contact_0_role": "Tildelingskontoret", "contact_0_name": "Kari Nordmann",
    "contact_0_phone": "+47 72 00 00 00", "contact_0_email": "tildeling@malvik.kommune.no",
    "contact_1_role": "", "contact_1_name": "", "contact_1_phone": "", "contact_1_email": "",
    "contact_2_role": "Kommuneoverlege", "contact_2_name": "", "contact_2_phone": "",
    "contact_2_email": "",
}


def refused_field(values: dict[str, str]) -> str:
    with pytest.raises(PlanRefused) as caught:
        plans.from_form("5031", values)
    return caught.value.field


# --- the model ---

def test_a_form_becomes_a_plan_with_lines_kept_and_empty_rows_dropped():
    plan = plans.from_form("5031", GOOD_FORM)
    assert plan.actions == ("Vanlig drift.\nDaglig tavlemøte kl. 09.",
                            "Vurder å åpne 2 ekstra korttidsplasser.", "",
                            "Kriseledelsen kalles inn.")
    assert plan.contacts == (
        Contact("Tildelingskontoret", "Kari Nordmann", "+47 72 00 00 00",
                "tildeling@malvik.kommune.no"),
        Contact("Kommuneoverlege", "", "", ""))
    assert plan.lendable_short_term_beds == 3
    assert plan.note == "Gjelder fra 01.12.2026."
    assert plan.version == 0 and not plan.exists


def test_an_empty_form_is_an_empty_plan():
    assert plans.from_form("5031", {}) == EscalationPlan("5031")


def test_the_bounds_of_the_actions_and_the_note():
    full = "x" * plans.MAX_ACTIONS
    assert plans.from_form("5031", {"actions_2": full}).actions[1] == full
    assert refused_field({"actions_2": full + "y"}) == "actions_2"
    # A Windows line end counts as one character, as it is stored.
    assert plans.from_form("5031", {"actions_1": "a\r\n" * 1333}).actions[0].count("\n") == 1332
    assert refused_field({"note": "x" * (plans.MAX_NOTE + 1)}) == "note"
    assert refused_field({"note": "a\x00b"}) == "note"
    assert refused_field({"actions_4": "bell\x07"}) == "actions_4"
    assert plans.from_form("5031", {"note": "a\tb"}).note == "a\tb"


@pytest.mark.parametrize(("raw", "beds"), [("", 0), ("0", 0), (" 12 ", 12), ("500", 500)])
def test_lendable_beds_within_the_bound(raw, beds):
    assert plans.from_form("5031", {"beds": raw}).lendable_short_term_beds == beds


@pytest.mark.parametrize("raw", ["501", "-1", "2.5", "tre", "١٢", "99999999999"])
def test_lendable_beds_outside_the_bound_are_refused(raw):
    assert refused_field({"beds": raw}) == "beds"


def test_the_contacts_bounds():
    twenty = {f"contact_{n}_name": f"Person {n}" for n in range(plans.MAX_CONTACTS)}
    assert len(plans.from_form("5031", twenty).contacts) == 20
    assert refused_field({**twenty, "contact_20_name": "Én til"}) == "contacts"
    # An empty row beyond the last is no contact and no refusal.
    assert len(plans.from_form("5031", {**twenty, "contact_20_name": " "}).contacts) == 20
    assert refused_field({"contact_0_name": "x" * 101}) == "contact_0_name"
    assert refused_field({"contact_3_phone": "72 00 00 00"}) == "contact_3_name"
    assert refused_field({"contact_0_name": "A", "contact_0_phone": "ring meg"}) == \
        "contact_0_phone"
    assert refused_field({"contact_0_name": "A", "contact_0_email": "a@b"}) == "contact_0_email"
    assert refused_field({"contact_1_name": "A\nB"}) == "contact_1_name"


def test_a_refusal_says_the_field_and_the_limit_in_both_languages():
    with pytest.raises(PlanRefused) as caught:
        plans.from_form("5031", {"actions_3": "x" * 4001})
    assert caught.value.message("nb") == \
        "Tiltak på nivå 3 (høyt press) er 4\xa0001 tegn; høyst 4\xa0000 er tillatt."
    assert caught.value.message("en") == \
        "Actions at level 3 (high pressure) is 4,001 characters; at most 4,000 are allowed."


def test_check_refuses_more_contacts_than_allowed():
    plan = EscalationPlan("5031", contacts=tuple(Contact(name=str(n)) for n in range(21)))
    with pytest.raises(PlanRefused):
        plans.check(plan)
    with pytest.raises(PlanRefused):
        plans.check(EscalationPlan("5031", lendable_short_term_beds=-1))


def test_changed_names_the_parts():
    old = plans.from_form("5031", GOOD_FORM)
    new = replace(old, actions=(old.actions[0], "ny", *old.actions[2:]), note="")
    assert plans.changed(old, new) == ["actions_2", "note"]
    assert plans.changed(EscalationPlan("5031"), old) == [
        "actions_1", "actions_2", "actions_4", "contacts", "beds", "note"]


# --- the store ---

def test_the_store_keeps_a_plan_and_refuses_a_stale_save(db, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    assert plans_store.read(db, "5031") == EscalationPlan("5031")
    plan = plans.from_form("5031", {**GOOD_FORM, "note": "Æ ø å «sitat» <b>ikke html</b>"})
    assert plans_store.save(db, plan, 0, "malvik") == 1
    stored = plans_store.read(db, "5031")
    assert stored == replace(plan, version=1, updated_at=NOW, updated_by="malvik")
    with pytest.raises(StalePlan):  # a second "first" plan
        plans_store.save(db, plan, 0, "malvik2")
    assert plans_store.save(db, replace(plan, lendable_short_term_beds=7), 1, "malvik") == 2
    with pytest.raises(StalePlan):
        plans_store.save(db, replace(plan, note="eldre"), 1, "malvik")
    assert plans_store.read(db, "5031").lendable_short_term_beds == 7
    assert plans_store.read(db, "5031").note == plan.note
    assert set(plans_store.read_all(db)) == {"5031"}


# --- the pages ---

@dataclass
class World:
    app: FastAPI
    clients: dict[str, TestClient] = field(default_factory=dict)

    def as_(self, name: str) -> TestClient:
        if name not in self.clients:
            self.clients[name] = signed_in_as(self.app, name, follow_redirects=False)
        return self.clients[name]

    def post(self, name: str, kommune: str, values: dict[str, str]):
        client = self.as_(name)
        return client.post(f"{URL}/{kommune}", data={**values, "csrf_token": csrf(client)})

    @property
    def db(self) -> Database:
        return self.app.state.db


@pytest.fixture(scope="module", params=["duckdb", "postgresql"])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
          _duckdb_template: Path) -> Iterator[World]:
    with pytest.MonkeyPatch.context() as env:
        url = fresh_store(request, tmp_path_factory.mktemp("capacity-plans"),
                          _duckdb_template, env)
        db = Database.open(url)
        for name, (role, municipality, organisation) in PEOPLE.items():
            users.add(db, name, role, municipality, password=PASSWORD,
                      organisation=organisation)
        db.close()
        app = create_app(url)
        yield World(app)
        app.state.db.close()


@pytest.fixture
def site(world: World, monkeypatch: pytest.MonkeyPatch) -> World:
    """No plans stored, an empty audit log, at NOW."""
    monkeypatch.setattr(clock, "now", lambda: NOW)
    with world.db.engine.begin() as conn:
        for table in ("escalation_plans", "audit_log"):
            conn.execute(sa.delete(schema.metadata.tables[table]))
    return world


def form_of(page: str) -> dict[str, str]:
    """The version the page's form holds."""
    return {"version": page.split('name="version" value="', 1)[1].split('"', 1)[0]}


def test_every_signed_in_user_reads_and_only_the_own_municipality_sees_the_form(site):
    for name in PEOPLE:
        page = site.as_(name).get(f"{URL}/5031")
        assert page.status_code == 200, name
        assert "Ingen plan registrert ennå" in page.text
        assert ('name="actions_1"' in page.text) == (name == "malvik"), name
        assert site.as_(name).get(f"{URL}/5031.json").json()["may_edit"] == (name == "malvik")
        assert site.as_(name).get(URL).status_code == 200


def test_the_municipality_edits_its_own_plan(site):
    assert site.post("malvik", "5031", {**GOOD_FORM, "version": "0"}).status_code == 303
    stored = plans_store.read(site.db, "5031")
    assert stored.version == 1 and stored.updated_by == "malvik"
    assert stored.lendable_short_term_beds == 3
    page = site.as_("asu").get(f"{URL}/5031").text
    assert "Vanlig drift.\nDaglig tavlemøte kl. 09." in page
    assert "Kari Nordmann" in page and "02.12.2026 09:30" in page


@pytest.mark.parametrize("name", ["melhus", "ola", "anna", "asu", "lege"])
def test_nobody_else_changes_the_plan(site, name):
    response = site.post(name, "5031", {**GOOD_FORM, "version": "0"})
    assert response.status_code == 403
    assert not plans_store.read(site.db, "5031").exists


def test_a_signed_out_visitor_is_sent_to_sign_in(site):
    anonymous = TestClient(site.app, base_url=HTTPS, follow_redirects=False)
    page = anonymous.get(f"{URL}/5031")
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    assert anonymous.get(f"{URL}.json").status_code == 401
    posted = anonymous.post(f"{URL}/5031", data={**GOOD_FORM, "version": "0",
                                                 "csrf_token": csrf(anonymous)})
    assert posted.status_code in (303, 401, 403)
    assert not plans_store.read(site.db, "5031").exists


def test_an_unknown_municipality_is_404(site):
    assert site.as_("asu").get(f"{URL}/9999").status_code == 404
    assert site.as_("asu").get(f"{URL}/9999.json").status_code == 404
    assert site.post("malvik", "9999", {"version": "0"}).status_code == 404


def test_a_stale_save_is_409_and_keeps_the_input(site):
    version = form_of(site.as_("malvik").get(f"{URL}/5031").text)
    # Someone else in Malvik saves first.
    plans_store.save(site.db, plans.from_form("5031", {"note": "Kollegaens versjon"}), 0,
                     "malvik-kollega")
    response = site.post("malvik", "5031", {**GOOD_FORM, **version,
                                            "note": "Min <versjon>"})
    assert response.status_code == 409
    assert "Noen andre har lagret planen for 5031" in response.text
    assert "Min &lt;versjon&gt;</textarea>" in response.text  # the input, escaped
    assert 'name="version" value="1"' in response.text  # a second save may go through
    assert plans_store.read(site.db, "5031").note == "Kollegaens versjon"
    assert site.post("malvik", "5031", {**GOOD_FORM, "version": "1"}).status_code == 303
    assert plans_store.read(site.db, "5031").note == GOOD_FORM["note"]


def test_a_refused_field_is_400_names_it_and_stores_nothing(site):
    response = site.post("malvik", "5031", {**GOOD_FORM, "version": "0", "beds": "501"})
    assert response.status_code == 400
    assert "må være et helt tall fra 0 til 500, ikke «501»" in response.text
    assert 'id="escplan-beds" name="beds" value="501"' in response.text
    assert 'aria-invalid="true" aria-describedby="escplan-beds-error"' in response.text
    assert "Kari Nordmann" in response.text  # the rest of the input kept
    assert not plans_store.read(site.db, "5031").exists
    bad_version = site.post("malvik", "5031", {**GOOD_FORM, "version": "x"})
    assert bad_version.status_code == 409


def test_a_change_is_audited_and_an_unchanged_save_is_not(site):
    site.post("malvik", "5031", {**GOOD_FORM, "version": "0"})
    site.post("malvik", "5031", {**GOOD_FORM, "version": "1"})  # nothing changed
    assert plans_store.read(site.db, "5031").version == 1
    site.post("malvik", "5031", {**GOOD_FORM, "version": "1", "beds": "4"})
    with site.db.engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT user_name, action, target, detail FROM audit_log "
            "WHERE action LIKE 'capacity%' ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [
        ("malvik", "capacity.plan_change", "5031",
         "actions_1, actions_2, actions_4, contacts, beds, note"),
        ("malvik", "capacity.plan_change", "5031", "beds")]


def test_the_json_twins(site):
    site.post("malvik", "5031", {**GOOD_FORM, "version": "0"})
    listing = site.as_("asu").get(f"{URL}.json").json()
    assert set(listing) == {"plans", "with_plan", "lendable_short_term_beds"}
    assert listing["with_plan"] == 1 and listing["lendable_short_term_beds"] == 3
    assert len(listing["plans"]) == 20  # every municipality of the community
    malvik = next(p for p in listing["plans"] if p["municipality"] == "5031")
    assert malvik == {"municipality": "5031", "name": "Malvik", "has_plan": True,
                      "lendable_short_term_beds": 3, "version": 1,
                      "updated_at": "2026-12-02T09:30", "updated_by": "malvik"}
    melhus = next(p for p in listing["plans"] if p["municipality"] == "5028")
    assert melhus["has_plan"] is False and melhus["lendable_short_term_beds"] is None
    one = site.as_("asu").get(f"{URL}/5031.json").json()
    assert set(one) == {"municipality", "name", "has_plan", "lendable_short_term_beds",
                        "version", "updated_at", "updated_by", "levels", "contacts", "note",
                        "may_edit"}
    assert one["levels"][0] == {"level": 1, "actions": "Vanlig drift.\nDaglig tavlemøte kl. 09."}
    assert [lv["level"] for lv in one["levels"]] == [1, 2, 3, 4]
    assert one["contacts"][1] == {"role": "Kommuneoverlege", "name": "", "phone": "",
                                  "email": ""}
    # No audit for reading: the plans hold no patient data.
    with site.db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM audit_log "
                                    "WHERE action LIKE 'capacity%'")).scalar_one() == 1


def test_the_list_page_and_the_printable_plan(site):
    site.post("malvik", "5031", {**GOOD_FORM, "version": "0"})
    listing = site.as_("ola").get(URL).text
    assert "1 av 20 kommuner har registrert en plan; til sammen 3 korttidsplasser" in listing
    assert f'href="{URL}/5031">5031 Malvik</a>' in listing
    page = site.as_("ola").get(f"{URL}/5031?lang=en").text
    assert "Level 4: critical" in page and 'data-print hidden>Print</button>' in page
    assert 'class="escplan"' in page


def test_text_is_shown_as_text_never_as_html(site):
    site.post("malvik", "5031", {"version": "0", "actions_1": "<script>alert(1)</script>"})
    page = site.as_("asu").get(f"{URL}/5031").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert json.loads(site.as_("asu").get(f"{URL}/5031.json").text)["levels"][0][
        "actions"] == "<script>alert(1)</script>"


# --- the demo ---

def test_the_demo_gives_three_municipalities_a_plan_and_never_overwrites_one(db):
    from flyt.demo import escalation_plans as demo

    plans_store.save(db, plans.from_form("5031", {"note": "Malviks egen"}), 0, "malvik")
    assert demo.store(db) == 2  # Trondheim and Indre Fosen; Malvik keeps its own
    stored = plans_store.read_all(db)
    assert set(stored) == {"5001", "5031", "5054"}
    assert stored["5031"].note == "Malviks egen"
    trondheim = stored["5001"]
    assert trondheim.updated_by == "flyt demo" and trondheim.lendable_short_term_beds == 4
    assert all(t.startswith("Demo:") for t in (*trondheim.actions, trondheim.note))
    assert [c.role for c in trondheim.contacts] == ["Tildelingskontoret", "Kommuneoverlege"]
    assert demo.store(db) == 0
    assert plans_store.read(db, "5001").version == 1
