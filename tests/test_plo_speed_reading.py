"""The worker's shortcuts (flyt.plo.reading, flyt.plo.xmltools) give what the long way
gave: a file read without a buffer of the size limit, the DOCTYPE check that skips
libxml2 for plain UTF-8 and ISO-8859-1, and a chunk prepared stage by stage."""

from __future__ import annotations

import re
import tracemalloc
from datetime import datetime
from pathlib import Path

import pytest

from flyt.plo import reading
from flyt.plo.build import plo_message, synthetic_fnr
from flyt.plo.reading import Context, Prepared, prepare_chunk, read_bounded
from flyt.plo.sealing import unseal
from flyt.plo.xmltools import has_doctype
from tests.support.plo import plo_settings

SETTINGS = plo_settings()
MEGABYTE = 1024 * 1024


def test_reading_a_small_file_does_not_allocate_a_buffer_of_the_size_limit(tmp_path):
    path = tmp_path / "m.xml"
    path.write_bytes(b"<a>" + b"x" * 4000 + b"</a>")
    tracemalloc.start()
    try:
        data, size = read_bounded(path, 5 * MEGABYTE)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (len(data), size) == (4007, 4007)
    assert peak < 100_000  # the file and a read buffer (8 KB), not 5 MB


@pytest.mark.parametrize("limit, expected", [(4006, 4007), (4007, 4007), (10, 4007)])
def test_a_file_over_the_limit_is_read_up_to_one_byte_past_it(tmp_path, limit, expected):
    path = tmp_path / "m.xml"
    path.write_bytes(b"<a>" + b"x" * 4000 + b"</a>")
    data, size = read_bounded(path, limit)
    assert size == expected
    assert len(data) == min(limit + 1, 4007)


DOCTYPE = '<!DOCTYPE a [<!ENTITY e "x">]>'


@pytest.mark.parametrize("data, declared", [
    (f'<?xml version="1.0" encoding="UTF-8"?>{DOCTYPE}<a/>'.encode(), True),
    (f"<?xml version='1.0' encoding='utf-8' standalone='yes'?>\n{DOCTYPE}<a/>".encode(), True),
    (f'<?xml version="1.0"?><!-- a comment -->{DOCTYPE}<a/>'.encode(), True),
    (f"{DOCTYPE}<a/>".encode(), True),  # no declaration
    (f'<?xml version="1.0" encoding="ISO-8859-1"?>{DOCTYPE}<a>æ</a>'.encode("latin-1"), True),
    (b"\xef\xbb\xbf" + f'<?xml version="1.0"?>{DOCTYPE}<a/>'.encode(), True),  # UTF-8 BOM
    (f'<?xml version="1.0" encoding="UTF-16"?>{DOCTYPE}<a/>'.encode("utf-16"), True),
    (f'<?xml version="1.0" encoding="UTF-8"?><a><!-- {DOCTYPE} --></a>'.encode(), False),
    (b'<?xml version="1.0" encoding="UTF-8"?><a>&lt;!DOCTYPE a&gt;</a>', False),
    (b'<?xml version="1.0" encoding="UTF-8"?><a/>', False),
    ('<?xml version="1.0" encoding="UTF-16"?><a/>'.encode("utf-16"), False),
])
def test_a_doctype_is_found_in_any_encoding_and_only_before_the_root(data, declared):
    assert has_doctype(data) is declared


def normalized(prepared: Prepared) -> tuple:
    """What a Prepared says, without what is random each time: the sealed bytes' IV
    and timestamp (compared unsealed) and the OK receipt's own id (a UUID)."""
    summary: tuple | None = None
    if prepared.summary is not None:
        s, receiver = prepared.summary, prepared.summary.receiver
        answer = (None, None, None) if receiver is None else (
            receiver.her_id, receiver.as_copy,
            re.sub(rb"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}", b"UUID",
                   receiver.ok_receipt))
        summary = (s.msg_id, s.status, s.content_digest, s.match_key, s.keys,
                   s.receiver_ids, s.fields, *answer)
    data = unseal(prepared.sealed, SETTINGS.message_key) if prepared.sealed else b""
    return (prepared.path, data, summary, prepared.unreadable, prepared.too_large)


def test_a_chunk_prepared_stage_by_stage_gives_what_each_file_alone_gives(
        tmp_path: Path, monkeypatch):
    files = {
        "1-ok.xml": plo_message("innlagt", "m-1", ids=[("FNR", synthetic_fnr(1))],
                                at="2026-03-01T10:00:00"),
        "2-broken.xml": b"<MsgHead><unclosed></MsgHead>",
        "3-ok.xml": plo_message("klar", "m-3", ids=[("FNR", synthetic_fnr(2))],
                                at="2026-03-02T10:00:00", admitted="2026-03-01T10:00:00"),
        "4-doctype.xml": b'<?xml version="1.0"?><!DOCTYPE a><a/>',
        "5-too-large.xml": b"<a>" + b"x" * 30_000 + b"</a>",
        "7-unmapped.xml": plo_message("innlagt", "m-7", ids=[("FNR", synthetic_fnr(3))],
                                      at="2026-03-03T10:00:00", receiver=("111", "222")),
        "8-empty.xml": b"",
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    paths = sorted(tmp_path.glob("*.xml"))
    paths.insert(5, tmp_path / "6-gone.xml")
    context = Context(SETTINGS.pseudonym_key, SETTINGS.message_key, frozenset({"5078"}),
                      datetime(2026, 3, 4, 12, 0), max_bytes=20_000)
    monkeypatch.setattr(reading, "STAGE_BYTES", 8_000)  # a stage holds about two messages

    together = [normalized(p) for p in prepare_chunk(paths, context)]
    alone = [normalized(prepare_chunk([p], context)[0]) for p in paths]

    assert together == alone
    assert [p[0].name for p in together] == [p.name for p in paths]
    # what each file became, by hand: applied in the common case, answered by the
    # importer (no summary), not read (gone, too large)
    summaries = {p[0].name: p[2] for p in together}
    assert summaries["1-ok.xml"][7] == "5078" and summaries["3-ok.xml"][7] == "5078"
    assert summaries["7-unmapped.xml"][7:] == (None, None, None)  # readable, not mapped
    assert {n for n, s in summaries.items() if s is None} == {
        "2-broken.xml", "4-doctype.xml", "5-too-large.xml", "6-gone.xml", "8-empty.xml"}
    states = {p[0].name: (p[3], p[4]) for p in together}
    assert states["6-gone.xml"] == ("cannot read the file: it is gone", None)
    assert states["5-too-large.xml"][1].startswith("message too large: 30007 bytes")
