"""The ``[plo]`` section of the configuration file: how large a message may be.

A PLO message is a few kilobytes; a file far larger is not a message but an attack
or an accident, and is refused before it is read into memory or parsed::

    [plo]
    max_message_mb = 5    # the default: 5 MB (5 x 1 048 576 bytes)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from flyt.config import raw_config

MEGABYTE = 1024 * 1024
DEFAULT_MAX_MESSAGE_MB = 5
KEY = "[plo] max_message_mb"


@dataclass(frozen=True)
class PloLimits:
    max_message_bytes: int = DEFAULT_MAX_MESSAGE_MB * MEGABYTE


DEFAULT_LIMITS = PloLimits()


def load_plo_limits(raw: dict[str, Any] | None = None) -> PloLimits:
    """The default, or ``[plo] max_message_mb``; ValueError naming the key if it is bad."""
    section = (raw_config() if raw is None else raw).get("plo", {})
    if not isinstance(section, dict):
        raise ValueError("[plo] must be a table")
    value = section.get("max_message_mb", DEFAULT_MAX_MESSAGE_MB)
    if (isinstance(value, bool) or not isinstance(value, int | float)
            or not 0 < value < math.inf):
        raise ValueError(f"{KEY} must be a number of megabytes > 0, not {value!r}")
    return PloLimits(max(1, int(value * MEGABYTE)))
