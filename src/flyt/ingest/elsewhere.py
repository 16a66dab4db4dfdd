"""Records that already exist under another source: the same real events imported twice.

Records are keyed by source + id, so the demo's own files imported again without
`--source demo` come in as 300 000 "new" stays and every figure doubles. Before a
file is written, its records are looked for under every other source by what
identifies the real event, not by the id a system gave it:

- stays: the same patient_id, admitted_at and municipality;
- short-stays: the same patient_id, unit and started_at;
- ukp-periods: the same ready_from for the same stay: a stay of the same id under
  the other source, or a stay there that is this one (as for stays);
- beds: the same unit and time (at).

One SQL statement over the staged rows (`incoming`) and the stored ones, in the
engine; the caller decides what to do with what it finds (flyt.ingest.importer
stops unless the user says the records are new).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from flyt.ingest.errors import Text

_SAME_STAY = ("t.patient_id = i.patient_id AND t.admitted_at = i.admitted_at "
              "AND t.municipality = i.municipality")
_MATCHES = {
    "stays": f"FROM incoming i JOIN stays t ON {_SAME_STAY} WHERE t.source <> :source",
    "short-stays": ("FROM incoming i JOIN short_stays t ON t.patient_id = i.patient_id "
                    "AND t.unit = i.unit AND t.started_at = i.started_at "
                    "WHERE t.source <> :source"),
    "beds": ("FROM incoming i JOIN bed_census t ON t.unit = i.unit "
             "AND t.counted_at = i.counted_at WHERE t.source <> :source"),
    # A period's stay is known by its id under the source it names; under another
    # source it may have the same id (the same file imported under two names), or be
    # a stay with another id that is the same stay.
    "ukp-periods": (
        "FROM incoming i JOIN ukp_periods t ON t.source <> :source "
        "AND t.ready_from = i.ready_from AND (t.stay_id = i.stay_id OR EXISTS ("
        "SELECT 1 FROM stays s JOIN stays o ON o.patient_id = s.patient_id "
        "AND o.admitted_at = s.admitted_at AND o.municipality = s.municipality "
        "WHERE s.source = :source AND s.stay_id = i.stay_id "
        "AND o.source = t.source AND o.stay_id = t.stay_id))"),
}


@dataclass(frozen=True)
class Elsewhere:
    """Incoming records found under other sources."""

    kind: str
    source: str  # the other source with the most of them
    count: int  # how many incoming records exist under `source`
    total: int  # records in the file
    sources: int  # other sources with any

    def text(self) -> Text:
        return Text.of("ingest_exists_elsewhere", count=self.count, total=self.total,
                       what=Text.of(f"ingest_records_{self.kind}"), source=self.source,
                       same=Text.of(f"ingest_same_{self.kind}"),
                       more=Text.of("ingest_more_sources", sources=self.sources - 1)
                       if self.sources > 1 else "")

    def hint(self, web: bool) -> Text:
        return Text.of("ingest_exists_elsewhere_web" if web else "ingest_exists_elsewhere_cli",
                       source=self.source, what=Text.of(f"ingest_records_{self.kind}"))


def find(conn: sa.Connection, kind: str, source: str, total: int) -> Elsewhere | None:
    """The staged records (`incoming`, with `_row`) that exist under another source."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ANALYZE incoming")  # a temp table has no statistics otherwise
    found = conn.execute(sa.text(
        f"SELECT t.source, COUNT(DISTINCT i._row) AS n {_MATCHES[kind]} "
        "GROUP BY t.source ORDER BY n DESC, t.source"), {"source": source}).all()
    if not found:
        return None
    return Elsewhere(kind, found[0][0], int(found[0][1]), total, len(found))
