"""``[deviations] attachment_max_bytes``, ``attachment_max_count`` and
``attachments_dir``, read and checked for ``deviations.attachments`` (docs/deployment.md).
Apart from the rest of the ``[deviations]`` section, which ``deviations.settings`` reads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flyt.config import data_dir, raw_config

MIB = 1 << 20


@dataclass(frozen=True)
class AttachmentSettings:
    max_bytes: int = 10 * MIB
    max_count: int = 10  # per deviation
    directory: Path | None = None  # None: <data dir>/attachments

    def folder(self) -> Path:
        if self.directory is None:
            return data_dir() / "attachments"
        # A relative path is taken under the data directory, not the working directory
        # of whichever process happens to serve.
        return self.directory if self.directory.is_absolute() else data_dir() / self.directory


def _whole(section: dict[str, Any], key: str, default: int) -> int:
    value = section.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"[deviations] {key} must be a whole number >= 1")
    return value


def load_attachment_settings(raw: dict[str, Any] | None = None) -> AttachmentSettings:
    """The defaults, overridden by ``[deviations] attachment_max_bytes``,
    ``attachment_max_count`` and ``attachments_dir``; ValueError naming the key."""
    section = (raw_config() if raw is None else raw).get("deviations", {})
    if not isinstance(section, dict):
        raise ValueError("[deviations] in the configuration file must be a table")
    defaults = AttachmentSettings()
    folder = section.get("attachments_dir")
    if folder is not None and (not isinstance(folder, str) or not folder.strip()):
        raise ValueError("[deviations] attachments_dir must be a directory's path")
    return AttachmentSettings(
        max_bytes=_whole(section, "attachment_max_bytes", defaults.max_bytes),
        max_count=_whole(section, "attachment_max_count", defaults.max_count),
        directory=Path(folder).expanduser() if folder else None)
