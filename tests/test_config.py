"""Configuration: goals, threshold and database from a TOML file, with the spec's defaults."""

from __future__ import annotations

from datetime import date

import pytest

from flyt.config import DEFAULT_GOALS, GoalSpec, load_settings
from flyt.plo.sealing import SealError, seal, unseal


def test_without_a_file_the_defaults_of_the_spec_apply(monkeypatch, tmp_path):
    monkeypatch.setenv("FLYT_CONFIG", str(tmp_path / "none.toml"))
    settings = load_settings()
    assert settings.goals.start == date(2024, 1, 1)
    assert settings.goals.baseline_year == 2023
    assert settings.goals.yellow_band == 25
    assert settings.goals.goals == DEFAULT_GOALS
    assert settings.suppression_threshold == 5
    assert settings.database_url.startswith("duckdb:///") and "flyt.duckdb" in settings.database_url


def test_a_community_sets_its_own_targets_and_bands(monkeypatch, tmp_path):
    path = tmp_path / "flyt.toml"
    path.write_text(
        'suppression_threshold = 3\n'
        '[goals]\nstart = "2025-01-01"\nbaseline_year = 2024\nyellow_band = 10\n'
        '[[goals.targets]]\nkpi = 1\nsector = "alle"\ngroup_type = "municipality"\n'
        'group_id = "5031"\ntarget = 50\n', encoding="utf-8")
    monkeypatch.setenv("FLYT_CONFIG", str(path))
    settings = load_settings()
    assert settings.suppression_threshold == 3
    assert (settings.goals.start, settings.goals.baseline_year, settings.goals.yellow_band) == (
        date(2025, 1, 1), 2024, 10)
    assert settings.goals.goals == (GoalSpec(1, "alle", "municipality", "5031", target=50),)


def test_the_database_url_comes_from_the_flag_then_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("FLYT_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("FLYT_DATABASE_URL", "postgresql://env/db")
    assert load_settings().database_url == "postgresql://env/db"
    assert load_settings("postgresql://flag/db").database_url == "postgresql://flag/db"


def test_a_generated_pseudonym_key_is_kept_and_reused(monkeypatch, tmp_path):
    monkeypatch.setenv("FLYT_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.delenv("FLYT_PSEUDONYM_KEY")
    first = load_settings().pseudonym_key
    assert len(first) == 64 and load_settings().pseudonym_key == first
    key_file = tmp_path / "data" / "pseudonym.key"
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


def test_a_generated_message_key_is_a_kept_fernet_key(monkeypatch, tmp_path):
    monkeypatch.setenv("FLYT_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.delenv("FLYT_MESSAGE_KEY", raising=False)
    first = load_settings().message_key
    assert load_settings().message_key == first
    assert unseal(seal(b"<MsgHead/>", first), first) == b"<MsgHead/>"
    key_file = tmp_path / "data" / "message.key"
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


def test_a_message_key_that_is_not_a_fernet_key_is_refused_in_plain_words(monkeypatch, tmp_path):
    monkeypatch.setenv("FLYT_MESSAGE_KEY", "too short")
    key = load_settings().message_key
    with pytest.raises(SealError, match="not a valid Fernet key"):
        seal(b"<MsgHead/>", key)
