"""One clock (issue 11, §3): every "now" and "today" is Oslo wall-clock time from
flyt.domain.clock, whatever zone the machine is in, and no other module reads the
machine's clock or names the zone."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import flyt
from flyt.domain import clock

PACKAGE = Path(flyt.__file__).resolve().parent
MACHINE_CLOCK = re.compile(
    r"datetime\.now\(|datetime\.today\(|date\.today\(|datetime\.utcnow\(|ZoneInfo\(|"
    r"time\.localtime\(|[\"']Europe/Oslo[\"']")


def test_only_the_clock_module_reads_the_machine_clock_or_names_the_zone():
    offenders = sorted(
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in PACKAGE.rglob("*.py") if path.name != "clock.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if MACHINE_CLOCK.search(line.split("#")[0]))
    assert offenders == []


def test_now_is_oslo_wall_clock_time_in_any_machine_zone():
    probe = ("from flyt.domain import clock; from datetime import datetime, UTC; "
             "print(clock.now().isoformat(), datetime.now(UTC).isoformat())")
    for zone in ("America/New_York", "Asia/Tokyo", "UTC"):
        out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                             check=True, env={**os.environ, "TZ": zone}).stdout.split()
        wall, utc = datetime.fromisoformat(out[0]), datetime.fromisoformat(out[1])
        assert abs((clock.wall_clock(utc) - wall).total_seconds()) < 2, zone
        offset = (wall - utc.replace(tzinfo=None)).total_seconds() / 3600
        assert round(offset) in (1, 2), zone  # CET or CEST, never the machine's zone


def test_wall_clock_across_the_daylight_saving_changes():
    # 31.03.2024: 02:00 CET jumps to 03:00 CEST; 27.10.2024: 03:00 CEST back to 02:00 CET.
    before, after = datetime(2024, 3, 31, 0, 59, tzinfo=UTC), datetime(2024, 3, 31, 1, tzinfo=UTC)
    assert clock.wall_clock(before) == datetime(2024, 3, 31, 1, 59)
    assert clock.wall_clock(after) == datetime(2024, 3, 31, 3, 0)
    # The repeated hour: two instants an hour apart, the same wall-clock time.
    first = clock.wall_clock(datetime(2024, 10, 27, 0, 30, tzinfo=UTC))
    second = clock.wall_clock(datetime(2024, 10, 27, 1, 30, tzinfo=UTC))
    assert first == second == datetime(2024, 10, 27, 2, 30)
    naive = datetime(2024, 6, 1, 12, 0)
    assert clock.wall_clock(naive) is naive  # naive is wall-clock time already
    assert clock.local(naive).utcoffset().total_seconds() == 7200


def test_stamp_is_to_the_second_and_today_is_the_oslo_date():
    stamp = clock.stamp()
    assert stamp.microsecond == 0 and stamp.tzinfo is None
    assert clock.today() in {clock.now().date(), stamp.date()}
