"""What the store knows before a cut-off, as the raw material of the what-if model.

``read(db, before)`` runs the engine's own rule steps (flyt.engine.rules: ukp_period,
stay_month, ukp_stay, readmitted) with the cut-off ``before`` 00:00, so the UKP days,
destinations and readmissions are the KPIs' to the day; nothing after the cut-off
exists. The window is the ``years`` years before it. The frames are kept whole (one row
per stay) so that a model can resample them (bootstrap) and carry the uncertainty of
the calibration; the summary estimates are computed from them here. docs/simulation.md
(Calibration) says what each estimate is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pandas as pd
import sqlalchemy as sa

from flyt import i18n
from flyt.domain.codes import DEATH
from flyt.engine.compute import run_steps
from flyt.engine.rules import STEPS
from flyt.payment.rates import NoDayRate, PaymentSettings, load_payment_settings
from flyt.store.db import Database

MIN_HISTORY_DAYS = 365  # less than a year cannot tell a season
MAX_YEARS = 20
# Prior weights (in stays) of the community's pattern in a municipality's estimate: a
# municipality with this many stays of its own is estimated half from them.
READINESS_PRIOR = 100
DESTINATION_PRIOR = 20
READMISSION_DAYS = 30

# The rule steps the calibration needs: the UKP stays with their days and readmissions.
_STEPS = tuple(s for s in STEPS if s[0] in ("ukp_period", "stay_month", "ukp_stay", "readmitted"))

# Each UKP stay known at the cut-off: its first ready moment, whether a period is still
# open at the cut-off (end_at is the cut-off only then, or at a withdrawal exactly then).
_UKP_STAYS = """
SELECT u.municipality, u.sector, CAST(f.ready_at AS DATE) AS ready_day,
       CAST(u.discharged_at AS DATE) AS discharged_day, u.destination, u.ukp_days,
       CASE WHEN r.stay_id IS NULL THEN 0 ELSE 1 END AS readmitted,
       CASE WHEN u.discharged_at IS NULL AND f.open_end >= p.cutoff THEN 1 ELSE 0 END
           AS waiting,
       u.discharged_at
FROM ukp_stay u
JOIN (SELECT source, stay_id, MIN(start_at) AS ready_at, MAX(end_at) AS open_end
      FROM ukp_period GROUP BY source, stay_id) f
    ON f.source = u.source AND f.stay_id = u.stay_id
LEFT JOIN readmitted r ON r.source = u.source AND r.stay_id = u.stay_id
CROSS JOIN params p
ORDER BY ready_day, u.municipality, u.source, u.stay_id
"""

# Short-term stays begun before the cut-off and not ended before the window: KPI 6's
# length (date(end) - date(start)), censored at the cut-off while still under way.
_SHORT_STAYS = """
SELECT s.unit, s.municipality, s.from_hospital, CAST(s.started_at AS DATE) AS start_day,
       CASE WHEN s.ended_at <= p.cutoff THEN CAST(s.ended_at AS DATE)
            ELSE CAST(p.cutoff AS DATE) END - CAST(s.started_at AS DATE) AS days,
       CASE WHEN s.ended_at <= p.cutoff THEN 1 ELSE 0 END AS ended
FROM short_stays s CROSS JOIN params p
WHERE s.started_at < p.cutoff
  AND (s.ended_at IS NULL OR s.ended_at > p.cutoff OR s.started_at >= :first)
ORDER BY start_day, s.unit, s.source, s.stay_id
"""

# Short-term units with their beds: the latest census before the cut-off (the largest
# count when several sources counted at that moment), else the reference default.
_UNITS = """
SELECT u.name, u.owner, COALESCE(c.available, u.beds_default) AS beds
FROM units u
LEFT JOIN (
    SELECT b.unit, MAX(b.available) AS available
    FROM bed_census b
    JOIN (SELECT unit, MAX(counted_at) AS counted_at FROM bed_census
          WHERE counted_at < :cutoff GROUP BY unit) last
        ON last.unit = b.unit AND last.counted_at = b.counted_at
    GROUP BY b.unit
) c ON c.unit = u.name
WHERE u.kind = 'short_term'
ORDER BY u.name
"""

# The short-term units' censuses in the last year before the cut-off (the largest count
# when several sources counted at one moment): beds and beds occupied, also by residents
# the store has no stay for (respite, rehabilitation, waiting for a long-term place).
_CENSUS = """
SELECT b.unit, CAST(b.counted_at AS DATE) AS day, MAX(b.available) AS available,
       MAX(b.occupied) AS occupied
FROM bed_census b JOIN units u ON u.name = b.unit
WHERE u.kind = 'short_term' AND b.counted_at < :cutoff AND b.counted_at >= :since
GROUP BY b.unit, b.counted_at
ORDER BY b.counted_at, b.unit
"""

_FIRST_READY = "SELECT MIN(start_at) FROM ukp_period"
_MUNICIPALITIES = "SELECT code FROM municipalities ORDER BY code"


class CalibrationError(Exception):
    """A calibration that cannot be made; ``key`` names the i18n text, ``values`` fill it."""

    def __init__(self, key: str, **values: object):
        super().__init__(key)
        self.key = key
        self.values = values

    def message(self, lang: str = "nb") -> str:
        """The text in ``lang``, its dates and numbers as the language writes them."""
        shown = {k: i18n.day(v, lang) if isinstance(v, date)
                 else i18n.number(v, lang=lang) if isinstance(v, int) else v
                 for k, v in self.values.items()}
        return i18n.t(self.key, lang).format(**shown)


@dataclass(frozen=True)
class Calibration:
    """What the store knew at ``before`` 00:00 over the window ``first`` <= day < ``before``.

    Raw frames (one row per stay, for resampling): ``readiness`` (day x municipality),
    ``stays``, ``open_stays``, ``short_stays``, ``short_open``, ``units``, ``census`` (the
    short-term units' bed counts of the last year); ``rates`` the
    day rate per year. Summary estimates: ``readiness_base`` (stays a day per
    municipality), ``weekday_factors`` (Monday=0 .. Sunday=6 x municipality),
    ``month_factors`` (1..12 x municipality), ``destination_shares`` (municipality x
    destination), ``waits``, ``short_length``, ``readmission_share``."""

    before: date
    first: date
    readiness: pd.DataFrame
    stays: pd.DataFrame
    open_stays: pd.DataFrame
    short_stays: pd.DataFrame
    short_open: pd.DataFrame
    units: pd.DataFrame
    census: pd.DataFrame
    rates: dict[int, Decimal]
    readiness_base: pd.Series
    weekday_factors: pd.DataFrame
    month_factors: pd.DataFrame
    destination_shares: pd.DataFrame
    waits: pd.DataFrame
    short_length: pd.DataFrame
    readmission_share: pd.Series


def _frame(conn: sa.Connection, query: str, params: dict | None = None) -> pd.DataFrame:
    """Rows read in bulk by pandas (as flyt.capacity.history: not from Row objects)."""
    found = pd.read_sql(sa.text(query), conn, params=params or {})
    return found.astype({c: object for c in found.columns
                         if c in ("municipality", "unit", "sector", "destination")})


def _years_back(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _as_date(column: pd.Series) -> pd.Series:
    return pd.to_datetime(column).dt.date


def read(db: Database, before: date, years: int = 3,
         payment: PaymentSettings | None = None) -> Calibration:
    """The calibration from the ``years`` years before ``before`` 00:00."""
    if not 1 <= years <= MAX_YEARS:
        raise CalibrationError("simulation_calibration_years", years=years, most=MAX_YEARS)
    cutoff = datetime.combine(before, time())
    window_first = _years_back(before, years)
    with db.engine.begin() as conn:  # the temp tables live in this transaction only
        run_steps(conn, cutoff, _STEPS)
        first_ready = conn.execute(sa.text(_FIRST_READY)).scalar_one_or_none()
        municipalities = [r[0] for r in conn.execute(sa.text(_MUNICIPALITIES))]
        ukp = _frame(conn, _UKP_STAYS)
        short = _frame(conn, _SHORT_STAYS,
                       {"first": datetime.combine(window_first, time())})
        units = _frame(conn, _UNITS, {"cutoff": cutoff})
        census = _frame(conn, _CENSUS, {"cutoff": cutoff,
                                        "since": cutoff - timedelta(days=365)})
        for name, _ in reversed(_STEPS):  # not left in the pooled connection
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {name}")
        conn.exec_driver_sql("DROP TABLE IF EXISTS params")
    known_first = pd.Timestamp(first_ready).date() if first_ready is not None else before
    first = max(window_first, known_first)
    if (before - first).days < MIN_HISTORY_DAYS:
        raise CalibrationError("simulation_calibration_short_history",
                               days=max((before - first).days, 0), needed=MIN_HISTORY_DAYS)
    for column in ("ready_day", "discharged_day"):
        ukp[column] = _as_date(ukp[column])
    in_window = (ukp["ready_day"] >= first) & (ukp["ready_day"] < before)
    stays = ukp[in_window & ukp["discharged_day"].notna()].reset_index(drop=True)
    stays["readmitted"] = stays["readmitted"].astype(bool)
    if stays.empty:
        raise CalibrationError("simulation_calibration_no_stays", first=first, before=before)
    waiting = ukp[ukp["waiting"] == 1]
    open_stays = pd.DataFrame({
        "municipality": waiting["municipality"],
        "ready_day": waiting["ready_day"],
        "waited": [(before - d).days for d in waiting["ready_day"]],
        "ukp_days": waiting["ukp_days"],
    }).reset_index(drop=True)
    readiness = _readiness(ukp[in_window], first, before, municipalities)
    short["start_day"] = _as_date(short["start_day"])
    short["ended"] = short["ended"].astype(bool)
    short_open = short[~short["ended"]].reset_index(drop=True)
    short_stays = short[short["start_day"] >= first].reset_index(drop=True)
    census["day"] = _as_date(census["day"])
    base, weekday, month = _readiness_pattern(readiness)
    return Calibration(
        before=before, first=first, readiness=readiness,
        stays=stays[["municipality", "sector", "ready_day", "discharged_day", "destination",
                     "ukp_days", "readmitted"]],
        open_stays=open_stays, short_stays=short_stays, short_open=short_open,
        units=units, census=census, rates=_rates(payment or load_payment_settings(), first.year,
                                  (before - timedelta(days=1)).year),
        readiness_base=base, weekday_factors=weekday, month_factors=month,
        destination_shares=destination_shares(stays, municipalities),
        waits=_waits(stays), short_length=_short_length(short_stays),
        readmission_share=_readmission_share(stays, before),
    )


def _readiness(ukp: pd.DataFrame, first: date, before: date,
               municipalities: list[str]) -> pd.DataFrame:
    """Stays becoming ready each day per municipality (0 on days without)."""
    index = pd.date_range(first, before - timedelta(days=1), freq="D", name="day")
    counts = (ukp.assign(day=pd.to_datetime(ukp["ready_day"]))
              .groupby(["day", "municipality"]).size().unstack("municipality"))
    known = municipalities + sorted(set(counts.columns) - set(municipalities))
    frame = counts.reindex(index=index, columns=known).fillna(0).astype(int)
    frame.columns.name = None
    return frame


def _factors(readiness: pd.DataFrame, key: pd.Index, keys: range) -> pd.DataFrame:
    """Multiplicative factors: the mean per weekday (or month) over the overall mean. A
    municipality with n stays in the window gets w x its own + (1 - w) x the community's,
    w = n / (n + READINESS_PRIOR)."""
    community = readiness.sum(axis=1)
    pooled = community.groupby(key).mean().reindex(keys) / community.mean()
    own = readiness.groupby(key).mean().reindex(keys)
    columns = {}
    for name in readiness.columns:
        n = float(readiness[name].sum())
        raw = own[name] / readiness[name].mean() if n else pooled
        w = n / (n + READINESS_PRIOR)
        columns[name] = w * raw.fillna(pooled) + (1 - w) * pooled
    return pd.DataFrame(columns, index=pd.Index(keys))


def _readiness_pattern(readiness: pd.DataFrame
                       ) -> tuple[pd.Series, pd.DataFrame, pd.DataFrame]:
    base = readiness.mean(axis=0)
    weekday = _factors(readiness, readiness.index.day_of_week, range(7))
    month = _factors(readiness, readiness.index.month, range(1, 13))
    weekday.index.name, month.index.name = "weekday", "month"
    return base, weekday, month


def destination_shares(stays: pd.DataFrame, municipalities: list[str]) -> pd.DataFrame:
    """(n_m,d + W x community share_d) / (n_m + W): a municipality with few stays leans
    on the community's shares, W = DESTINATION_PRIOR stays."""
    counts = stays.groupby(["municipality", "destination"]).size().unstack(fill_value=0)
    community = counts.sum(axis=0) / counts.values.sum()
    rows = municipalities + sorted(set(counts.index) - set(municipalities))
    counts = counts.reindex(rows, fill_value=0)
    shares = counts.add(community * DESTINATION_PRIOR, axis=1).div(
        counts.sum(axis=1) + DESTINATION_PRIOR, axis=0)
    shares.index.name, shares.columns.name = "municipality", "destination"
    return shares


def _waits(stays: pd.DataFrame) -> pd.DataFrame:
    """Per municipality and destination: stays, share with 0 UKP days, the mean of the
    positive ones (NaN when none)."""
    grouped = stays.groupby(["municipality", "destination"])["ukp_days"]
    return pd.DataFrame({
        "stays": grouped.size(),
        "zero_share": grouped.apply(lambda d: float((d == 0).mean())),
        "positive_mean": grouped.apply(lambda d: float(d[d > 0].mean()) if (d > 0).any()
                                       else float("nan")),
    })


def _short_length(short: pd.DataFrame) -> pd.DataFrame:
    """KPI 6's length per unit over the short-term stays of the window that ended."""
    ended = short[short["ended"]].groupby("unit")["days"]
    return pd.DataFrame({"stays": ended.size(), "median": ended.median().astype(float),
                         "mean": ended.mean().astype(float)})


def _readmission_share(stays: pd.DataFrame, before: date) -> pd.Series:
    """KPI 5's share per municipality, over the stays discharged alive 30 x 24 hours or
    more before the cut-off (a later one has not had its 30 days to come back in)."""
    horizon = pd.Timestamp(before) - pd.Timedelta(days=READMISSION_DAYS)
    seen = stays[(stays["destination"] != DEATH)
                 & (pd.to_datetime(stays["discharged_at"]) <= horizon)]
    return seen.groupby("municipality")["readmitted"].mean().astype(float)


def _rates(payment: PaymentSettings, first_year: int, last_year: int) -> dict[int, Decimal]:
    """The day rate of each year of the window and the next one (a year before every
    known rate has none)."""
    rates = {}
    for year in range(first_year, last_year + 2):  # the window's years and the next
        try:
            rates[year] = payment.day_rate(year).amount
        except NoDayRate:
            continue
    return rates
