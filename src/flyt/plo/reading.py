"""Read and prepare message files, in worker processes when there are many.

Everything about one message that depends on that message alone is done here:
read the file, parse and validate it, pseudonymize its identifiers, seal its
bytes, take out the fields to store and, for the common case, build its OK
receipt. That costs about 0.3 ms of CPU a message (most of the work) and is independent
for every file, so a large folder is prepared by a pool of processes while the
importer (flyt.plo.receive) decides and stores what it already has. `read_files`
yields the files in the order given: the outcome is the same as preparing them
one by one.

Workers are started with "spawn", not "fork": the importer holds an open
database (DuckDB runs its own threads), and forking a process with running
threads can copy a held lock into the child.
"""

from __future__ import annotations

import multiprocessing
import os
import stat
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from flyt.domain.identity import pseudonymize
from flyt.plo import limits
from flyt.plo.apprec import ok_apprec
from flyt.plo.fields import message_fields, receiver_candidates
from flyt.plo.message import PloMessage, read_message
from flyt.plo.sealing import seal, unseal

PARALLEL_FROM = 500  # below this many files the pool's start-up (~0.5 s) does not pay
CHUNK = 100  # files per task: amortizes the round trip, keeps results flowing in order
MAX_WORKERS = 4
IN_FLIGHT_PER_WORKER = 4  # bounds the prepared files waiting in memory for the importer
STAGE_BYTES = 1 << 20  # prepare_chunk holds about this much of the files' bytes at once


@dataclass(frozen=True)
class Context:
    """What preparing needs besides the file: the keys, the receivers mapped when
    the import began, and the receipts' time."""

    pseudonym_key: bytes
    message_key: bytes
    receivers: frozenset[str]
    now: datetime
    max_bytes: int = limits.DEFAULT_LIMITS.max_message_bytes  # a larger file is not read


@dataclass(frozen=True)
class Receiver:
    """The first HER-id among the receiver's and copy receivers' that was mapped
    to a municipality when the import began, and the OK receipt answering as it."""

    her_id: str
    as_copy: bool
    ok_receipt: bytes  # the AppRec if the message is applied


@dataclass(frozen=True)
class Summary:
    """What the importer needs of a readable message to decide it without a query
    (flyt.plo.batch.fast_receive). Small, because it crosses a process boundary."""

    msg_id: str
    status: str  # Forsendelsesstatus: N | C | M | A
    content_digest: str
    match_key: str
    keys: tuple[str, ...]  # pseudonyms of the patient's identifiers, sorted
    receiver_ids: tuple[str, ...]  # every candidate HER-id, in the order they are tried
    fields: dict[str, Any]  # flyt.plo.fields.message_fields
    receiver: Receiver | None  # None: no candidate was mapped at the start


@dataclass(frozen=True)
class Prepared:
    path: Path
    sealed: bytes  # the file exactly as received, sealed (flyt.plo.sealing)
    summary: Summary | None  # None: not a readable message; the importer answers the error
    unreadable: str | None = None  # why the file could not be read: nothing to keep or answer
    too_large: str | None = None  # why a file over the limit was not read (its bytes not kept)

    def data(self, message_key: bytes) -> bytes:
        return unseal(self.sealed, message_key)


def read_bounded(path: Path, limit: int) -> tuple[bytes, int]:
    """(the bytes, the size); only `limit` + 1 bytes are read of a larger file, so a
    huge file never fills memory (the size then comes from the file system). Opened
    without blocking and checked to be a regular file: a FIFO or device put in place of
    a listed file must not hang the import."""
    with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as file:
        listed = os.fstat(file.fileno())
        if not stat.S_ISREG(listed.st_mode):
            raise OSError(0, "not a regular file")
        # As many bytes as the file has (one more, to see a file that grew since), not
        # limit + 1 at once: read(n) allocates n bytes, and a 5 MB buffer for every
        # 4 KB message cost more than the read itself (30 against 6 µs).
        expected = min(listed.st_size, limit) + 1
        data = file.read(expected)
        if len(data) == expected <= limit:  # it grew: read on, up to the limit
            data += file.read(limit + 1 - expected)
        size = len(data) if len(data) <= limit else max(os.fstat(file.fileno()).st_size,
                                                        len(data))
    return data, size


def why_unreadable(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "cannot read the file: it is gone"
    return f"cannot read the file: {(error.strerror or type(error).__name__).lower()}"


def prepare(path: Path, context: Context) -> Prepared:
    return prepare_chunk([path], context)[0]


def prepare_chunk(paths: Sequence[Path], context: Context) -> list[Prepared]:
    """Each file prepared, stage by stage over the whole chunk (read every file, then
    read every message, summarize, seal), with the outcome of preparing them one by
    one: a stage's code and tables (libxml2, the schema, zlib, the cipher) then stay
    in the CPU's caches, where a message at a time they evicted one another (380
    against 300 µs a message)."""
    prepared: list[Prepared] = []
    group: list[tuple[Path, Prepared | bytes]] = []
    size = 0
    for path in paths:
        group.append((path, load(path, context)))
        size += len(group[-1][1]) if isinstance(group[-1][1], bytes) else 0
        if size >= STAGE_BYTES:  # large files: only so many of them in memory at once
            prepared += prepare_loaded(group, context)
            group, size = [], 0
    return prepared + prepare_loaded(group, context)


def prepare_loaded(group: list[tuple[Path, Prepared | bytes]], context: Context
                   ) -> list[Prepared]:
    messages = [None if isinstance(x, Prepared) else readable(x) for _, x in group]
    summaries = [None if m is None else summary_or_none(m, context) for m in messages]
    return [x if isinstance(x, Prepared) else Prepared(p, seal(x, context.message_key), summary)
            for (p, x), summary in zip(group, summaries, strict=True)]


def load(path: Path, context: Context) -> Prepared | bytes:
    """The file's bytes, or the finished Prepared of a file that is not read."""
    try:
        data, size = read_bounded(path, context.max_bytes)
    except OSError as error:  # gone since the folder was listed, no permission, …
        return Prepared(path, b"", None, unreadable=why_unreadable(error))
    if size > context.max_bytes:
        return Prepared(path, seal(b"", context.message_key), None, too_large=(
            f"message too large: {size} bytes, the limit is {context.max_bytes} bytes "
            f"({limits.KEY})"))
    return data


def readable(data: bytes) -> PloMessage | None:
    """The message, or None: a MessageError, or a failure no one foresaw, is answered
    by the importer's one-message path."""
    try:
        return read_message(data)
    except Exception:  # see above
        return None


def summary_or_none(message: PloMessage, context: Context) -> Summary | None:
    try:
        return summarize(message, context)
    except Exception:  # as readable: the one-message path answers it
        return None


def summarize(message: PloMessage, context: Context) -> Summary:
    keys = tuple(sorted(set(pseudonymize([p.value for p in message.patient_ids],
                                         context.pseudonym_key))))
    candidates = receiver_candidates(message)
    found = next((c for c in candidates if c[0] in context.receivers), None)
    receiver = None
    if found is not None:
        her_id, party, as_copy = found
        receiver = Receiver(her_id, as_copy,
                            ok_apprec(message, as_party=party, now=context.now))
    fields = message_fields(message)
    return Summary(message.msg_id, message.status, message.content_digest, fields["match_key"],
                   keys, tuple(c[0] for c in candidates), fields, receiver)


def worker_count() -> int:
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return max(1, min(MAX_WORKERS, available or os.cpu_count() or 1))


def read_files(paths: Sequence[Path], context: Context) -> Iterator[Prepared]:
    """Every file prepared, in the order given; in parallel for many files."""
    workers = worker_count()
    if len(paths) < PARALLEL_FROM or workers < 2:
        yield from (prepare(p, context) for p in paths)
        return
    pending: deque[Future[list[Prepared]]] = deque()
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        for start in range(0, len(paths), CHUNK):
            pending.append(pool.submit(prepare_chunk, paths[start:start + CHUNK], context))
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()

