"""Where records come from: the source name every record is keyed by (source + id).

The name is stored with every record, shown on the data page and in the import
history, and typed on command lines: a short name of safe characters.
"""

from __future__ import annotations

import re

from flyt.domain.identity import mask_national_ids
from flyt.ingest.echo import shown
from flyt.ingest.errors import Text

MAX_SOURCE_LENGTH = 64
SOURCE_NAME = re.compile(rf"[A-Za-z0-9ÆØÅæøå._-]{{1,{MAX_SOURCE_LENGTH}}}")


class BadSourceName(ValueError):
    """A source name outside the safe character set, or one that holds a national id
    (the CLI shows it as one line)."""

    def __init__(self, text: Text) -> None:
        self.text = text
        super().__init__(text("en"))


def checked_source(name: str) -> str:
    """`name` if it is a valid source name, else BadSourceName."""
    if not SOURCE_NAME.fullmatch(name):
        raise BadSourceName(Text.of("ingest_source_name", name=shown(name) or "",
                                    max=MAX_SOURCE_LENGTH))
    if mask_national_ids(name)[1]:  # never echoed
        raise BadSourceName(Text.of("ingest_source_national_id"))
    return name
