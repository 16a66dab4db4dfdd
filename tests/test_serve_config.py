"""The `[serve]` section: what `flyt serve` runs beside the dashboard; a wrong value is
one line naming the key, and the command-line options win over the section."""

from __future__ import annotations

from pathlib import Path

import pytest

from flyt.cli.serving import plan_for
from flyt.config import ServeSettings, load_serve_settings


def configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    folder = tmp_path / "etc"
    folder.mkdir(exist_ok=True)
    (folder / "flyt.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("FLYT_CONFIG", str(folder / "flyt.toml"))
    return folder


def test_without_a_serve_section_nothing_runs_beside_the_dashboard():
    assert load_serve_settings({}) == ServeSettings(
        plo_folders=(), receipts=None, plo_interval=5.0, schedule=False, lang="nb")


def test_the_section_is_read_and_relative_folders_are_taken_from_the_files_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    etc = configured(tmp_path, monkeypatch, """
[serve]
plo_folders = ["inbox", "/srv/plo/second"]
receipts = "receipts"
plo_interval = 2
schedule = true
lang = "en"
""")
    assert load_serve_settings() == ServeSettings(
        plo_folders=(etc / "inbox", Path("/srv/plo/second")), receipts=etc / "receipts",
        plo_interval=2.0, schedule=True, lang="en")


@pytest.mark.parametrize(("section", "message"), [
    ('plo_folder = ["x"]', "[serve] plo_folder: unknown setting (known: plo_folders, "
                           "receipts, plo_interval, schedule, lang)"),
    ('plo_folders = "/srv/plo"', '[serve] plo_folders must be a list of folders: '
                                 '["/srv/plo/inbox"]'),
    ('plo_folders = [""]', '[serve] plo_folders must be a list of folders: ["/srv/plo/inbox"]'),
    ("receipts = 3", '[serve] receipts must be a folder: "/srv/plo/receipts"'),
    ("plo_interval = 0", "[serve] plo_interval must be seconds (> 0, at most 86400), not 0"),
    ("plo_interval = true", "[serve] plo_interval must be seconds (> 0, at most 86400), "
                            "not True"),
    ('schedule = "yes"', "[serve] schedule must be true or false, not 'yes'"),
    ('lang = "de"', "[serve] lang must be \"nb\" or \"en\", not 'de'"),
])
def test_a_wrong_value_is_one_line_naming_the_key(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  section: str, message: str):
    configured(tmp_path, monkeypatch, f"[serve]\n{section}\n")
    with pytest.raises(ValueError) as raised:
        load_serve_settings()
    assert str(raised.value) == message


def test_the_options_win_over_the_section(tmp_path: Path):
    inbox, other = tmp_path / "inbox", tmp_path / "other"
    inbox.mkdir()
    other.mkdir()
    section = ServeSettings(plo_folders=(inbox,), receipts=tmp_path / "r", plo_interval=3,
                            schedule=True)
    plan = plan_for(section, (other,), tmp_path / "mine", False)
    assert plan.plo is not None and list(plan.plo.folders) == [other]
    assert (plan.plo.receipts, plan.plo.interval, plan.receipts) == (
        tmp_path / "mine", 3, tmp_path / "mine")
    assert plan.dist is None  # --no-schedule


def test_the_section_alone_names_the_folders_and_the_receipts_default_to_the_data_dir(
        tmp_path: Path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    plan = plan_for(ServeSettings(plo_folders=(inbox,)), (), None, None)
    assert plan.plo is not None and list(plan.plo.folders) == [inbox]
    assert plan.receipts == tmp_path / "data" / "plo" / "receipts"
    assert plan.dist is None
