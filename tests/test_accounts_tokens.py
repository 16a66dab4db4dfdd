"""Bearer tokens for /api (flyt.accounts.tokens, `flyt token create|list|revoke`) on both
engines: shown once, stored only as a hash, revocable, dead with a disabled user, audited."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime

import pytest
import sqlalchemy as sa
from alembic import command
from click.testing import CliRunner

from flyt.accounts import audit, tokens, users
from flyt.cli.main import cli
from flyt.domain import clock
from flyt.store.db import Database, _alembic_config

TOKEN_SHAPE = r"flyt_[0-9a-f]{8}_[0-9a-f]{64}"


@pytest.fixture
def store(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(clock, "now", lambda: datetime(2024, 11, 21, 8, 5, 0))
    db = Database.open(db_url)
    users.add(db, "trd", "municipality", "5001", password="correct horse battery")
    users.add(db, "fg", "improvement", password="correct horse battery")
    db.close()
    return db_url


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def stored_rows(url: str) -> list[dict[str, object]]:
    db = Database.open(url)
    with db.engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(sa.text("SELECT * FROM api_tokens"))]
    db.close()
    return rows


def test_a_new_token_is_printed_once_and_the_store_holds_only_its_hash(store):
    code, out, err = run("token", "create", "--user", "trd", "--label", "EQS-kobling",
                         "--db", store)
    assert code == 0, err
    token = out.strip()
    assert re.fullmatch(TOKEN_SHAPE, token)
    assert "vises bare denne ene gangen" in err
    assert token not in err
    [row] = stored_rows(store)
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert row["prefix"] == token[5:13]
    secret = token[14:]
    assert not any(secret in str(value) for value in row.values())
    assert (row["label"], row["created_at"]) == ("EQS-kobling", datetime(2024, 11, 21, 8, 5))


def test_the_english_message_says_the_token_is_shown_once(store):
    code, _, err = run("token", "create", "--user", "fg", "--lang", "en", "--db", store)
    assert code == 0
    assert "It is shown this once only" in err


def test_the_list_shows_prefix_user_label_and_times_but_never_the_token(store, monkeypatch):
    _, first, _ = run("token", "create", "--user", "trd", "--label", "EQS", "--db", store)
    _, second, _ = run("token", "create", "--user", "fg", "--db", store)
    db = Database.open(store)
    monkeypatch.setattr(clock, "now", lambda: datetime(2024, 11, 22, 9, 30, 0))
    assert tokens.verify(db, first.strip()) is not None
    db.close()
    code, out, _ = run("token", "list", "--user", "trd", "--db", store)
    assert code == 0
    assert out.splitlines() == [
        f"{first.strip()[5:13]}\ttrd\tEQS\t2024-11-21 08:05\t2024-11-22 09:30\t-"]
    _, everyone, _ = run("token", "list", "--db", store)
    assert len(everyone.splitlines()) == 2
    assert first.strip()[14:] not in everyone and second.strip()[14:] not in everyone


def test_a_token_acts_as_its_user_and_a_wrong_secret_or_stranger_text_does_not(store):
    db = Database.open(store)
    token, info = tokens.create(db, "trd")
    user = tokens.verify(db, token)
    assert (user.name, user.role, user.organisation) == ("trd", "municipality", "5001")
    wrong = token[:-1] + ("0" if token[-1] != "0" else "1")
    assert tokens.verify(db, wrong) is None
    assert tokens.verify(db, "flyt_00000000_" + "0" * 64) is None
    assert tokens.verify(db, "not a token") is None
    db.close()


def test_a_revoked_token_stops_working_and_the_revocation_is_audited(store):
    _, out, _ = run("token", "create", "--user", "trd", "--db", store)
    token = out.strip()
    code, _, err = run("token", "revoke", token[5:13], "--db", store)
    assert code == 0, err
    assert "trukket tilbake" in err
    db = Database.open(store)
    assert tokens.verify(db, token) is None
    actions = [(e.action, e.target, e.detail) for e in
               reversed(audit.entries(db, audit.Filters(action="token")))]
    db.close()
    assert actions == [("token.create", "trd", f"prefix {token[5:13]}"),
                       ("token.revoke", "trd", f"prefix {token[5:13]}")]
    _, listed, _ = run("token", "list", "--db", store)
    assert listed.split("\t")[-1].strip() == "2024-11-21 08:05"


def test_a_disabled_users_token_stops_working_until_the_user_is_enabled(store):
    db = Database.open(store)
    token, _ = tokens.create(db, "trd")
    users.disable(db, "trd")
    assert tokens.verify(db, token) is None
    users.enable(db, "trd")
    assert tokens.verify(db, token) is not None
    db.close()


def test_a_token_for_an_unknown_or_disabled_user_is_refused_in_one_line(store):
    code, out, err = run("token", "create", "--user", "nobody", "--db", store)
    assert (code, out) == (1, "")
    assert err.strip() == "Error: no user 'nobody'"
    db = Database.open(store)
    users.disable(db, "fg")
    db.close()
    code, _, err = run("token", "create", "--user", "fg", "--db", store)
    assert code == 1 and "disabled" in err and "Traceback" not in err
    assert stored_rows(store) == []


def test_revoking_an_unknown_prefix_is_refused_in_one_line(store):
    code, _, err = run("token", "revoke", "abcdef12", "--db", store)
    assert code == 1
    assert err.strip() == ("Error: no token with the prefix 'abcdef12': see `flyt token "
                           "list`")


def test_undoing_0012_drops_the_token_table(tmp_path):
    url = f"duckdb:///{tmp_path / 'down.duckdb'}"
    Database.open(url).close()
    db = Database.open(url, migrate=False)
    with db.engine.begin() as conn:
        config = _alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "0011")
        tables = set(conn.execute(sa.text(
            "SELECT table_name FROM information_schema.tables")).scalars())
        sequences = set(conn.execute(sa.text(
            "SELECT sequence_name FROM duckdb_sequences()")).scalars())
    db.close()
    assert "api_tokens" not in tables and "users" in tables
    assert "api_tokens_id_seq" not in sequences
