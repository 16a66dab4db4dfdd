"""`flyt user` and `flyt audit export`."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from flyt.accounts import passwords, users
from flyt.cli.main import cli
from flyt.store.db import Database

PASSWORD = "correct horse battery"


def run(db_url: str, *args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, [*args, "--db", db_url], input=stdin)


def test_user_add_stores_an_argon2_hash_never_the_password(db_url):
    result = run(db_url, "user", "add", "malvik", "--role", "municipality",
                 "--municipality", "5031", "--password-stdin", stdin=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    db = Database.open(db_url)
    record = users.get(db, "malvik")
    with db.engine.connect() as conn:
        dump = " ".join(str(v) for row in conn.execute(sa.text("SELECT * FROM users"))
                        for v in row)
        logged = " ".join(str(v) for row in conn.execute(sa.text("SELECT * FROM audit_log"))
                          for v in row)
    db.close()
    assert record is not None and record.municipality == "5031"
    assert record.password_hash.startswith("$argon2id$")
    assert passwords.verify(record.password_hash, PASSWORD)
    assert PASSWORD not in dump and PASSWORD not in logged
    assert "user.add" in logged


@pytest.mark.parametrize(("args", "message"), [
    (["--role", "municipality", "--municipality", "9999"], "unknown municipality"),
    (["--role", "municipality"], "needs --municipality"),
    (["--role", "reader", "--municipality", "5031"], "only municipality users"),
])
def test_user_add_refuses_wrong_roles_and_municipalities(db_url, args, message):
    result = run(db_url, "user", "add", "x", *args, "--password-stdin", stdin=PASSWORD)
    assert result.exit_code != 0
    assert message in result.output


def test_user_add_refuses_a_short_password(db_url):
    result = run(db_url, "user", "add", "x", "--role", "reader", "--password-stdin",
                 stdin="short\n")
    assert result.exit_code != 0
    assert "at least 12 characters" in result.output


def test_user_add_refuses_a_name_that_exists(db_url):
    run(db_url, "user", "add", "x", "--role", "reader", "--password-stdin", stdin=PASSWORD)
    again = run(db_url, "user", "add", "x", "--role", "admin", "--password-stdin",
                stdin=PASSWORD)
    assert "exists already" in again.output


def test_list_disable_enable_and_passwd(db_url):
    run(db_url, "user", "add", "ola", "--role", "analyst", "--password-stdin", stdin=PASSWORD)
    assert run(db_url, "user", "passwd", "ola", "--password-stdin",
               stdin="another long password\n").exit_code == 0
    assert run(db_url, "user", "disable", "ola").exit_code == 0
    listing = run(db_url, "user", "list").output
    assert listing.strip() == "ola\tanalyst\t-\tstolav\tpassword\tdisabled"
    assert "no user" in run(db_url, "user", "disable", "nobody").output
    assert run(db_url, "user", "enable", "ola").exit_code == 0
    assert run(db_url, "user", "list").output.strip() == "ola\tanalyst\t-\tstolav\tpassword\tactive"
    db = Database.open(db_url)
    record = users.get(db, "ola")
    db.close()
    assert record is not None and passwords.verify(record.password_hash,
                                                   "another long password")


def test_audit_export_writes_json_and_csv(db_url, tmp_path):
    run(db_url, "user", "add", "ola", "--role", "analyst", "--password-stdin", stdin=PASSWORD)
    out = tmp_path / "audit.json"
    assert run(db_url, "audit", "export", "--format", "json", "--output", str(out)).exit_code == 0
    entries = json.loads(out.read_text())
    assert [(e["action"], e["target"]) for e in entries] == [("user.add", "ola")]
    csv_text = run(db_url, "audit", "export").output
    assert csv_text.startswith("id,created_at,user_name,action")
    assert "audit.export" in csv_text  # the first export was recorded


def test_user_role_changes_the_role_with_the_same_checks_as_add(db_url):
    run(db_url, "user", "add", "ola", "--role", "analyst", "--password-stdin", stdin=PASSWORD)
    refused = run(db_url, "user", "role", "ola", "--role", "municipality")
    assert refused.exit_code != 0
    assert "needs --municipality" in refused.output
    assert run(db_url, "user", "role", "ola", "--role", "reader").exit_code == 0
    assert run(db_url, "user", "list").output.strip() == "ola\treader\t-\t-\tpassword\tactive"
    assert "no user" in run(db_url, "user", "role", "nobody", "--role", "reader").output
