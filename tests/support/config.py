"""A configuration file for one test: written, and named in FLYT_CONFIG."""

from __future__ import annotations

from pathlib import Path

import pytest


def configure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toml: str) -> Path:
    """Write `toml` as the configuration file the code under test reads; the path, for
    writing it again."""
    config = tmp_path / "flyt.toml"
    config.write_text(toml, encoding="utf-8")
    monkeypatch.setenv("FLYT_CONFIG", str(config))
    return config
