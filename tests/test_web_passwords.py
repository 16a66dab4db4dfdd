"""The rule for new passwords and user names: the same for `flyt user add/passwd` and
the users page (flyt.accounts.passwords, flyt.accounts.users)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from flyt.accounts import passwords, users
from flyt.cli.main import cli
from flyt.store.db import Database

GOOD = "correct horse battery"


@pytest.mark.parametrize(("password", "code"), [
    (" " * 12, "password_blank"),
    ("\t \u00a0" * 5, "password_blank"),
    ("short", "password_short"),
    ("   eleven    ", "password_short"),  # the spaces around it do not count
    ("x" * 1025, "password_long"),
    ("kari-nordmann-2024", "password_name"),
    ("aaaaaaaaaaaa", "password_repeated"),
    ("abcabcabcabc", "password_repeated"),
    ("123456789012", "password_run"),
    ("987654321098", "password_run"),
    ("abcdefghijklm", "password_run"),
    ("Password1234", "password_common"),
    ("passord12345", "password_common"),
    ("Sommer2024!!!", "password_common"),  # a common word with digits and marks after it
])
def test_it_refuses_weak_passwords_with_a_reason(password, code):
    with pytest.raises(passwords.WeakPassword) as refused:
        passwords.check_new(password, "kari")
    assert refused.value.code == code
    assert str(refused.value)  # a sentence for the command line


def test_the_user_name_counts_in_any_case_and_with_dots_or_dashes_removed():
    with pytest.raises(passwords.WeakPassword, match="must not contain the user name"):
        passwords.check_new("my name is KariNordmann!", "kari.nordmann")


@pytest.mark.parametrize("password", [GOOD, "a-brand-new-passphrase", "Tr0llstigen i tåke",
                                      "blåbærsyltetøy på brødskiva",
                                      (GOOD + " ") * 46 + "ferdig nå!!!"])  # 1 024 characters
def test_it_accepts_passwords_that_break_no_rule(password):
    assert len(password) <= passwords.MAX_LENGTH
    passwords.check_new(password, "kari")


def run(db_url: str, *args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, [*args, "--db", db_url], input=stdin)


def test_flyt_user_add_and_passwd_refuse_the_user_name_and_twelve_spaces(db_url):
    added = run(db_url, "user", "add", "kari", "--role", "reader", "--password-stdin",
                stdin="kari12345678\n")
    assert added.exit_code != 0
    assert "the password must not contain the user name" in added.output
    assert "Traceback" not in added.output
    assert run(db_url, "user", "add", "kari", "--role", "reader", "--password-stdin",
               stdin=GOOD + "\n").exit_code == 0
    spaces = run(db_url, "user", "passwd", "kari", "--password-stdin", stdin=" " * 12 + "\n")
    assert spaces.exit_code != 0
    assert "must not be blank" in spaces.output
    db = Database.open(db_url)
    try:
        assert passwords.verify(users.get(db, "kari").password_hash, GOOD)  # unchanged
    finally:
        db.close()


@pytest.mark.parametrize("name", ["helse/kari", "kari nordmann", ".kari", "kari\u200b",
                                  "ｋａｒｉ", "k" * 101, "kari?", "../x"])
def test_flyt_user_add_refuses_names_outside_the_allowed_characters(db_url, name):
    result = run(db_url, "user", "add", name, "--role", "reader", "--password-stdin",
                 stdin=GOOD + "\n")
    assert result.exit_code != 0
    assert "a user name is 1–100 characters" in result.output


@pytest.mark.parametrize("name", ["kari", "kari.nordmann", "kari_n-2", "kari@stolav.no",
                                  "Åsmund", "bjørn"])
def test_flyt_user_add_accepts_ordinary_names(db_url, name):
    result = run(db_url, "user", "add", name, "--role", "reader", "--password-stdin",
                 stdin=GOOD + "\n")
    assert result.exit_code == 0, result.output


def test_a_name_that_differs_only_in_case_is_taken(db_url):
    run(db_url, "user", "add", "kari", "--role", "reader", "--password-stdin", stdin=GOOD)
    again = run(db_url, "user", "add", "KARI", "--role", "reader", "--password-stdin",
                stdin=GOOD)
    assert again.exit_code != 0
    assert "exists already" in again.output
