"""The receipt files of a batch are written in chunks on a background thread: all of
them before the batch commits, none left when it is rolled back."""

from __future__ import annotations

from pathlib import Path

from flyt.plo.receipts import ReceiptWriter


def test_every_receipt_is_on_disk_after_wait_also_a_last_chunk_not_yet_full(tmp_path: Path):
    writer = ReceiptWriter(tmp_path / "r")
    count = ReceiptWriter.CHUNK * 2 + 3
    try:
        for n in range(count):
            writer.write(tmp_path / "r" / f"{n}.xml", f"<r n='{n}'/>".encode())
        writer.wait()
    finally:
        writer.close()
    files = sorted((tmp_path / "r").iterdir(), key=lambda p: int(p.stem))
    assert len(files) == count
    assert files[-1].read_bytes() == f"<r n='{count - 1}'/>".encode()


def test_a_discarded_batch_leaves_no_receipt_handed_over_or_not(tmp_path: Path):
    writer = ReceiptWriter(tmp_path / "r")
    try:
        for n in range(ReceiptWriter.CHUNK + 5):  # one full chunk handed over, 5 waiting
            writer.write(tmp_path / "r" / f"{n}.xml", b"<r/>")
        writer.discard()
    finally:
        writer.close()
    assert list((tmp_path / "r").iterdir()) == []
