"""Text from an input file, made safe to show: in a terminal, a web page, JSON.

A cell can hold anything: terminal escape sequences (ESC [ … m recolours or
clears the screen of whoever reads the error listing), other C0/C1 control
characters, bidi overrides that turn the rest of a line around, line breaks.
Every value Flyt echoes back goes through `shown` (escaped and shortened) and
every message that quotes one through `escape`.
"""

from __future__ import annotations

WIDTH = 60  # characters of a value shown before it is cut off with "…"
ELLIPSIS = "…"


def _escaped(ch: str) -> str:
    """One character as it would be written in Python source: \\x1b, \\u202e, …"""
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def escape(text: str) -> str:
    """`text` with every character that is not printable written as an escape.

    Not printable (str.isprintable): control characters (C0, DEL, C1, ESC),
    format characters (bidi overrides and isolates, zero-width ones), line and
    paragraph separators, unassigned code points, and blanks other than the
    space. Idempotent: an escape is printable, so escaping twice changes nothing.
    """
    if text.isprintable():  # the usual case, checked in C
        return text
    return "".join(ch if ch.isprintable() else _escaped(ch) for ch in text)


def shown(value: str | None, width: int = WIDTH) -> str | None:
    """A value to echo: escaped, and cut to `width` characters (then "…")."""
    if value is None:
        return None
    if len(value) <= width and value.isprintable():
        return value
    out: list[str] = []
    used = 0
    for ch in value:
        piece = ch if ch.isprintable() else _escaped(ch)
        if used + len(piece) > width:  # never half an escape
            return "".join(out) + ELLIPSIS
        out.append(piece)
        used += len(piece)
    return "".join(out)
