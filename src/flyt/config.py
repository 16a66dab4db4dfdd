"""Configuration: where the data lives, the pseudonym and message keys, goals, disclosure.

Defaults follow spec/kpi.md. A TOML file (``$FLYT_CONFIG`` or ``<data dir>/flyt.toml``)
overrides them, so a community can set its own targets, baseline year and bands.
"""

from __future__ import annotations

import base64
import os
import secrets
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import platformdirs

APP_NAME = "flyt"
# Everything Flyt creates is for the user who runs it alone: the store, the keys, the
# PLO messages and receipts name patients or unlock what does. A umask is the one sure
# way, since DuckDB creates its own files (the write-ahead log again after each
# checkpoint); the mkdir and open calls below also ask for it themselves.
PRIVATE_UMASK = 0o077
PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600


def use_private_files() -> int:
    """From now on, this process creates directories 0700 and files 0600, also those a
    user names with --output (docs/deployment.md, "Files"). The previous umask back."""
    return os.umask(PRIVATE_UMASK)


def private_dir(path: Path) -> Path:
    """`path` as a directory; one made now is 0700 (its missing parents too). An
    existing one keeps its mode: it may be shared on purpose."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=PRIVATE_DIR, exist_ok=True)
    return path


def write_private(path: Path, text: str) -> None:
    """A new file with `text`, 0600 from the first moment (O_EXCL: never an old one)."""
    private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)


def data_dir() -> Path:
    """The platform's directory for user data (XDG on Linux), or ``$FLYT_DATA_DIR``."""
    override = os.environ.get("FLYT_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME))


def default_database_url() -> str:
    """``FLYT_DATABASE_URL`` if set, else the embedded DuckDB file in the data directory."""
    return os.environ.get("FLYT_DATABASE_URL") or f"duckdb:///{data_dir() / 'flyt.duckdb'}"


@dataclass(frozen=True)
class GoalSpec:
    """One configured goal: a target for a KPI in one group and sector.

    ``target`` is absolute; ``target_factor`` makes it relative to the baseline
    (KPI 6: 20 % lower than the baseline = factor 0.8).
    """

    kpi: int
    sector: str
    group_type: str
    group_id: str
    target: float | None = None
    target_factor: float | None = None


DEFAULT_GOALS: tuple[GoalSpec, ...] = (
    GoalSpec(1, "somatikk", "community", "all", target=1000),
    GoalSpec(2, "somatikk", "community", "all", target=90),
    GoalSpec(3, "somatikk", "community", "all", target=2),
    GoalSpec(4, "somatikk", "community", "all", target=30),
    GoalSpec(5, "somatikk", "community", "all", target=16),
    GoalSpec(6, "alle", "unit", "Øya helsehus korttid", target_factor=0.8),
)


@dataclass(frozen=True)
class GoalSettings:
    start: date = date(2024, 1, 1)  # ASU: targets effective from 2024-01-01
    baseline_year: int = 2023
    months_to_full: int = 24  # 50 % after one year, 100 % after two
    yellow_band: float = 25.0  # percentage points below expected that is still yellow
    goals: tuple[GoalSpec, ...] = DEFAULT_GOALS


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default_factory=default_database_url)
    pseudonym_key: bytes = b""
    message_key: bytes = b""  # Fernet key sealing stored PLO messages (flyt.plo.sealing)
    suppression_threshold: int = 5
    goals: GoalSettings = GoalSettings()


def config_path() -> Path:
    return Path(os.environ.get("FLYT_CONFIG") or data_dir() / "flyt.toml")


def _pseudonym_key(raw: dict) -> bytes:
    """The HMAC key for national identity numbers.

    ``FLYT_PSEUDONYM_KEY`` or ``pseudonym_key`` in the config file; otherwise a
    random key is created once in the data directory (mode 0600) so that the
    same person always gets the same pseudonym on this installation.
    """
    key = os.environ.get("FLYT_PSEUDONYM_KEY") or raw.get("pseudonym_key")
    if key:
        return str(key).encode()
    path = data_dir() / "pseudonym.key"
    if not path.exists():
        write_private(path, secrets.token_hex(32))
    return path.read_text().strip().encode()


def message_key(raw: dict | None = None) -> bytes:
    """The key that seals received PLO messages at rest (they name the patient).

    ``FLYT_MESSAGE_KEY`` or ``message_key`` in the config file (a Fernet key:
    32 bytes, URL-safe base64); otherwise one is created once in the data
    directory (mode 0600). Without it the stored messages cannot be read back:
    back it up with the database.
    """
    if raw is None:
        raw = raw_config()
    key = os.environ.get("FLYT_MESSAGE_KEY") or raw.get("message_key")
    if key:
        return str(key).strip().encode()
    path = data_dir() / "message.key"
    if not path.exists():
        write_private(path, base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
    return path.read_text().strip().encode()


def _goal_settings(raw: dict) -> GoalSettings:
    section = raw.get("goals", {})
    defaults = GoalSettings()
    goals = tuple(GoalSpec(**g) for g in section["targets"]) if "targets" in section else None
    return GoalSettings(
        start=date.fromisoformat(str(section.get("start", defaults.start.isoformat()))),
        baseline_year=int(section.get("baseline_year", defaults.baseline_year)),
        months_to_full=int(section.get("months_to_full", defaults.months_to_full)),
        yellow_band=float(section.get("yellow_band", defaults.yellow_band)),
        goals=goals if goals is not None else defaults.goals,
    )


def raw_config() -> dict[str, Any]:
    """The configuration file as parsed TOML ({} when there is none). Each area reads
    its own section (payment rates, mail and distribution lists, schedule)."""
    path = config_path()
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"the configuration file {path} is not valid TOML: {exc}") from None


@dataclass(frozen=True)
class ServeSettings:
    """The ``[serve]`` section: the work ``flyt serve`` does beside the dashboard, in the
    same process (docs/deployment.md, "One process"); its options win over it."""

    plo_folders: tuple[Path, ...] = ()  # watched for PLO messages
    receipts: Path | None = None  # the PLO receipts' folder; None: <data dir>/plo/receipts
    plo_interval: float = 5.0  # seconds between looks at the folders
    schedule: bool = False  # mail the reports on the schedule ([schedule], [distribution])
    lang: str = "nb"  # the language of the mailed reports


SERVE_KEYS = ("plo_folders", "receipts", "plo_interval", "schedule", "lang")


def load_serve_settings(raw: dict[str, Any] | None = None) -> ServeSettings:
    """The ``[serve]`` section; ValueError naming the key when a value is wrong. A
    relative folder is taken from the configuration file's own folder."""
    section = (raw_config() if raw is None else raw).get("serve", {})
    if not isinstance(section, dict):
        raise ValueError("[serve] in the configuration file must be a table")
    unknown = sorted(set(section) - set(SERVE_KEYS))
    if unknown:
        raise ValueError(f"[serve] {unknown[0]}: unknown setting "
                         f"(known: {', '.join(SERVE_KEYS)})")
    defaults = ServeSettings()
    folders = section.get("plo_folders", [])
    if not isinstance(folders, list) or not all(isinstance(f, str) and f for f in folders):
        raise ValueError('[serve] plo_folders must be a list of folders: ["/srv/plo/inbox"]')
    receipts = section.get("receipts")
    if receipts is not None and not (isinstance(receipts, str) and receipts):
        raise ValueError('[serve] receipts must be a folder: "/srv/plo/receipts"')
    interval = section.get("plo_interval", defaults.plo_interval)
    if (isinstance(interval, bool) or not isinstance(interval, int | float)
            or not 0 < interval <= 86400):
        raise ValueError(f"[serve] plo_interval must be seconds (> 0, at most 86400), "
                         f"not {interval!r}")
    schedule = section.get("schedule", defaults.schedule)
    if not isinstance(schedule, bool):
        raise ValueError(f"[serve] schedule must be true or false, not {schedule!r}")
    lang = section.get("lang", defaults.lang)
    if lang not in ("nb", "en"):
        raise ValueError(f'[serve] lang must be "nb" or "en", not {lang!r}')
    return ServeSettings(plo_folders=tuple(_configured_path(f) for f in folders),
                         receipts=_configured_path(receipts) if receipts else None,
                         plo_interval=float(interval), schedule=schedule, lang=lang)


def _configured_path(text: str) -> Path:
    path = Path(text).expanduser()
    return path if path.is_absolute() else config_path().parent / path


def load_settings(database_url: str | None = None) -> Settings:
    raw = raw_config()
    return Settings(
        database_url=database_url
        or os.environ.get("FLYT_DATABASE_URL")
        or raw.get("database_url")
        or default_database_url(),
        pseudonym_key=_pseudonym_key(raw),
        message_key=message_key(raw),
        suppression_threshold=int(raw.get("suppression_threshold", 5)),
        goals=_goal_settings(raw),
    )
