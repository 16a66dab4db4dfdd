"""The organisation a user acts for (spec/deviations.md, "Organisations"): derived from
the role, given with --organisation, checked against the organisations, stored in
`users.organisation` (migration 0011 fills it for existing users), on both engines."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from click.testing import CliRunner

from flyt.accounts import User, users
from flyt.cli.main import cli
from flyt.store.db import Database, _alembic_config
from tests.support.migrations import store_at

PASSWORD = "correct horse battery\n"


def run(db_url: str, *args: str, stdin: str | None = PASSWORD):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, [*args, "--db", db_url], input=stdin)


def stored(db_url: str) -> list[tuple[str, str, str | None]]:
    db = Database.open(db_url)
    try:
        return [(u.name, u.role, u.organisation) for u in users.all_users(db)]
    finally:
        db.close()


@pytest.mark.parametrize(("user", "organisation"), [
    (User("malvik", "municipality", "5031"), "5031"),
    (User("anna", "admin"), "stolav"),
    (User("ola", "analyst"), "stolav"),
    (User("ola", "analyst", organisation="5001"), "5001"),
    (User("asu", "reader"), None),
    (User("asu", "reader", organisation="5028"), "5028"),
    (User("lege", "gp", organisation="fastlege-5001"), "fastlege-5001"),
    (User("fg", "improvement"), None),
])
def test_a_user_acts_for_the_organisation_its_role_implies(user: User,
                                                           organisation: str | None) -> None:
    assert user.organisation == organisation


def test_a_gp_is_added_for_its_gp_party_and_listed_with_it(db_url: str) -> None:
    added = run(db_url, "user", "add", "lege", "--role", "gp", "--organisation",
                "fastlege-5001", "--password-stdin")
    assert added.exit_code == 0, added.output
    assert "added lege (gp fastlege-5001)" in added.output
    assert run(db_url, "user", "add", "fg", "--role", "improvement",
               "--password-stdin").exit_code == 0
    assert run(db_url, "user", "add", "ola", "--role", "analyst",
               "--password-stdin").exit_code == 0
    listing = run(db_url, "user", "list", stdin=None).output.strip().splitlines()
    assert listing == ["fg\timprovement\t-\t-\tpassword\tactive",
                       "lege\tgp\t-\tfastlege-5001\tpassword\tactive",
                       "ola\tanalyst\t-\tstolav\tpassword\tactive"]


@pytest.mark.parametrize(("args", "message"), [
    (["--role", "gp", "--organisation", "fastlege-9999"], "unknown organisation 'fastlege-9999'"),
    (["--role", "reader", "--organisation", "nowhere"], "unknown organisation 'nowhere'"),
    (["--role", "gp"], "a gp user needs --organisation"),
    (["--role", "gp", "--organisation", "5001"], "a gp user acts for a GP party"),
    (["--role", "gp", "--organisation", "stolav"], "a gp user acts for a GP party"),
    (["--role", "municipality", "--municipality", "5031", "--organisation", "5001"],
     "--organisation must be 5031 or left out"),
    (["--role", "municipality", "--municipality", "5031", "--organisation",
      "fastlege-5031"], "--organisation must be 5031 or left out"),
    (["--role", "improvement", "--organisation", "stolav"],
     "the improvement group acts for no organisation"),
])
def test_it_refuses_an_organisation_that_does_not_fit_and_stores_nothing(
        db_url: str, args: list[str], message: str) -> None:
    result = run(db_url, "user", "add", "kari", *args, "--password-stdin")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.output
    assert "Traceback" not in result.output
    assert stored(db_url) == []


def test_a_municipality_user_may_name_its_own_municipality_as_organisation(db_url: str) -> None:
    assert run(db_url, "user", "add", "malvik", "--role", "municipality", "--municipality",
               "5031", "--organisation", "5031", "--password-stdin").exit_code == 0
    assert stored(db_url) == [("malvik", "municipality", "5031")]


def test_a_new_role_takes_its_own_organisation_never_the_old_ones(db_url: str) -> None:
    run(db_url, "user", "add", "kari", "--role", "municipality", "--municipality", "5031",
        "--password-stdin")
    moved = run(db_url, "user", "role", "kari", "--role", "gp", "--organisation",
                "fastlege-5028", stdin=None)
    assert moved.exit_code == 0, moved.output
    assert "kari is now gp fastlege-5028" in moved.output
    assert stored(db_url) == [("kari", "gp", "fastlege-5028")]
    assert run(db_url, "user", "role", "kari", "--role", "reader", stdin=None).exit_code == 0
    assert stored(db_url) == [("kari", "reader", None)]
    assert run(db_url, "user", "role", "kari", "--role", "analyst", stdin=None).exit_code == 0
    assert stored(db_url) == [("kari", "analyst", "stolav")]
    refused = run(db_url, "user", "role", "kari", "--role", "gp", stdin=None)
    assert refused.exit_code == 1 and "needs --organisation" in refused.output
    assert stored(db_url) == [("kari", "analyst", "stolav")]


def test_the_signed_in_user_carries_the_stored_organisation(db: Database) -> None:
    users.add(db, "lege", "gp", organisation="fastlege-5031", password="correct horse battery")
    users.add(db, "trd", "analyst", organisation="5001", password="correct horse battery")
    lege, trd = users.get(db, "lege"), users.get(db, "trd")
    assert lege is not None and trd is not None
    assert lege.as_user() == User("lege", "gp", None, "fastlege-5031")
    assert trd.as_user().organisation == "5001"


def test_the_audit_log_names_the_organisation(db: Database) -> None:
    users.add(db, "lege", "gp", organisation="fastlege-5031", password="correct horse battery")
    with db.engine.connect() as conn:
        detail = conn.execute(sa.text("SELECT detail FROM audit_log WHERE action = 'user.add'")
                              ).scalar_one()
    assert detail == "role=gp organisation=fastlege-5031"


def test_the_migration_gives_existing_users_their_organisation(db_url: str) -> None:
    # Back to 0010 (the store of the fixture is at the head), users of that time, up again.
    old = Database.open(db_url)
    config = _alembic_config()
    with old.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0010")
    old.close()
    with store_at(db_url, "0010") as conn:
        for i, (name, role, municipality) in enumerate([
                ("anna", "admin", None), ("ola", "analyst", None),
                ("malvik", "municipality", "5031"), ("asu", "reader", None)], start=1):
            conn.execute(sa.text(
                "INSERT INTO users (id, name, role, municipality, disabled, created_at, "
                "session_generation) VALUES (:id, :name, :role, :m, false, "
                "TIMESTAMP '2024-01-02 03:04:05', 0)"),
                {"id": i, "name": name, "role": role, "m": municipality})
    assert sorted(stored(db_url)) == [("anna", "admin", "stolav"), ("asu", "reader", None),
                                      ("malvik", "municipality", "5031"),
                                      ("ola", "analyst", "stolav")]
