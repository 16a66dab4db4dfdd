"""Norwegian national identity numbers: validation and pseudonymisation.

A fødselsnummer is never stored (spec/formats.md): it is checked here and
turned into a pseudonymous patient id with a keyed hash. Pure functions, no I/O.

Layout of the 11 digits: DDMMYY III K1 K2 — birth date, individual number
(which also gives the century), two mod-11 control digits.
- D-nummer: the first digit is raised by 4 (day + 40).
- Synthetic test persons (Skatteetaten's Tenor): the month is raised by 80.
- Hjelpenummer (help numbers, given by health services to a patient whose
  fødselsnummer or D-nummer is not known; PLO messages carry them as TypeId
  HNR): an H-nummer raises the third digit by 4 (month + 40); a felles
  hjelpenummer (FH-nummer, from Norsk helsenett) starts with 8 or 9 and holds
  no birth date. Both have the same two mod-11 control digits as a
  fødselsnummer. (The rule is not in ../shared/data/plo; it is the one the
  acceptance test's numbers follow: its H-nummer for 15.07.1965 starts 154765.)
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Sequence
from datetime import date

import numpy as np

from flyt.domain import clock

PSEUDONYM_PREFIX = "h:"  # marks a patient id derived from a national id

K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2, 1)  # over digits 1–10; sum % 11 == 0 when valid
K2_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1)  # over digits 1–11
D_NUMBER_DAY_OFFSET = 40
SYNTHETIC_MONTH_OFFSET = 80
H_NUMBER_MONTH_OFFSET = 40
D_NUMBER_FIRST_DIGITS = "4567"  # day 41–71
FH_NUMBER_FIRST_DIGITS = "89"


def century(year2: int, individual: int) -> int | None:
    """The century (1800, 1900, 2000) given by the individual number, or None if impossible."""
    if individual <= 499:
        return 1900
    if individual <= 749 and year2 >= 54:
        return 1800
    if individual >= 500 and year2 <= 39:
        return 2000
    if individual >= 900 and year2 >= 40:
        return 1900
    return None


def birth_date(fnr: str) -> date | None:
    """The birth date encoded in an 11-digit number (D-nummer and synthetic persons too)."""
    if len(fnr) != 11 or not fnr.isascii() or not fnr.isdigit():
        return None
    day, month, year2 = int(fnr[0:2]), int(fnr[2:4]), int(fnr[4:6])
    if day > D_NUMBER_DAY_OFFSET:
        day -= D_NUMBER_DAY_OFFSET
    if month > SYNTHETIC_MONTH_OFFSET:
        month -= SYNTHETIC_MONTH_OFFSET
    base = century(year2, int(fnr[6:9]))
    if base is None:
        return None
    try:
        return date(base + year2, month, day)
    except ValueError:
        return None


def has_valid_control_digits(fnr: str) -> bool:
    if len(fnr) != 11 or not fnr.isascii() or not fnr.isdigit():
        return False
    digits = [int(c) for c in fnr]
    k1 = sum(w * d for w, d in zip(K1_WEIGHTS, digits, strict=False)) % 11
    k2 = sum(w * d for w, d in zip(K2_WEIGHTS, digits, strict=True)) % 11
    return k1 == 0 and k2 == 0


def is_valid_fnr(s: str, *, today: date | None = None) -> bool:
    """True for a fødselsnummer or D-nummer with valid control digits and a plausible birth date.

    Plausible: a real calendar date, not after today.
    """
    if not isinstance(s, str):
        return False
    s = s.strip()
    if not has_valid_control_digits(s):
        return False
    born = birth_date(s)
    return born is not None and born <= (today or clock.today())


def is_valid_d_number(s: str, *, today: date | None = None) -> bool:
    """True for a valid D-nummer (day + 40), and only for a D-nummer."""
    return (isinstance(s, str) and s.strip()[:1] in D_NUMBER_FIRST_DIGITS
            and is_valid_fnr(s, today=today))


def is_valid_help_number(s: str, *, today: date | None = None) -> bool:
    """True for a valid H-nummer or FH-nummer (see the module docstring).

    H-nummer: control digits, and a real birth date not after today once 40 is
    taken off the month. FH-nummer: first digit 8 or 9 and control digits; it
    has no date to check.
    """
    if not isinstance(s, str):
        return False
    s = s.strip()
    if not has_valid_control_digits(s):
        return False
    if s[0] in FH_NUMBER_FIRST_DIGITS:
        return True
    month = int(s[2:4])
    if s[0] in D_NUMBER_FIRST_DIGITS or not 1 <= month - H_NUMBER_MONTH_OFFSET <= 12:
        return False
    base = century(int(s[4:6]), int(s[6:9]))
    if base is None:
        return False
    try:
        born = date(base + int(s[4:6]), month - H_NUMBER_MONTH_OFFSET, int(s[0:2]))
    except ValueError:
        return False
    return born <= (today or clock.today())


# The kinds of identifier a type code may carry (TypeId of code list 8116, as in PLO
# messages). FNR also takes a D-nummer: systems label both "FNR", and it is the same
# person either way. FHN is the FH-nummer's own code; HNR covers both help numbers.
ACCEPTED_KINDS = {"FNR": ("fnr", "dnr"), "DNR": ("dnr",), "HNR": ("hnr",), "FHN": ("hnr",)}


def identifier_kind(value: str, *, today: date | None = None) -> str | None:
    """"fnr", "dnr" or "hnr" from the digits alone, or None when the number is not valid."""
    if is_valid_fnr(value, today=today):
        return "dnr" if value.strip()[0] in D_NUMBER_FIRST_DIGITS else "fnr"
    if is_valid_help_number(value, today=today):
        return "hnr"
    return None


def classify_identifier(value: str, type_code: str, *, today: date | None = None) -> str | None:
    """The kind ("fnr", "dnr", "hnr") of a patient identifier sent with a type code,
    or None when the number is invalid or does not fit its type (an H-nummer sent
    as FNR, any number under an unknown type code)."""
    if not isinstance(value, str) or not isinstance(type_code, str):
        return None
    kind = identifier_kind(value, today=today)
    return kind if kind in ACCEPTED_KINDS.get(type_code.strip().upper(), ()) else None


def pseudonymize(values: Sequence[str], key: bytes) -> list[str]:
    """Keyed hashes (HMAC-SHA-256, hex) of national ids, prefixed "h:".

    Deterministic for a given key, so the same person gets the same patient id
    from every source (files, PLO messages). Surrounding whitespace is ignored;
    callers validate the numbers first.
    """
    if not key:
        raise ValueError("the pseudonym key must not be empty")
    base = hmac.new(key, digestmod=hashlib.sha256)

    def one(value: str) -> str:
        h = base.copy()
        h.update(value.strip().encode("utf-8"))
        return PSEUDONYM_PREFIX + h.hexdigest()

    return [one(v) for v in values]


def make_fnr(
    born: date, individual: int, *, synthetic: bool = True, d_number: bool = False
) -> str | None:
    """The number for a birth date and individual number (000–999), or None when that
    individual number has no valid control digits or does not fit the century.

    Synthetic (month + 80) by default: tests and demo data never hold a real person's number.
    """
    year2 = born.year % 100
    if century(year2, individual) != born.year - year2:
        return None
    day = born.day + (D_NUMBER_DAY_OFFSET if d_number else 0)
    month = born.month + (SYNTHETIC_MONTH_OFFSET if synthetic else 0)
    digits = [int(c) for c in f"{day:02d}{month:02d}{year2:02d}{individual:03d}"]
    k1 = (11 - sum(w * d for w, d in zip(K1_WEIGHTS, digits, strict=False)) % 11) % 11
    if k1 == 10:
        return None
    digits.append(k1)
    k2 = (11 - sum(w * d for w, d in zip(K2_WEIGHTS, digits, strict=False)) % 11) % 11
    if k2 == 10:
        return None
    return "".join(map(str, digits)) + str(k2)


# --- national ids where they do not belong ------------------------------------------
#
# Free text (a department, a stay id, a file's source name) must not carry a national
# id: it would be stored in clear and shown. What looks like one: 11 digits, or 6 and
# 5 digits with one space between ("010180 12345", as people write them), not part of
# a longer number, that pass the checks above for a fødselsnummer, D-nummer, H-nummer
# or FH-nummer; or a whole value of 10 digits that does once its leading zero is put
# back (Excel drops it).

NATIONAL_ID_IN_TEXT = re.compile(r"(?<!\d)(\d{6}) ?(\d{5})(?!\d)")
MASK = "*"


def national_id_like(digits: np.ndarray, *, today: date | None = None) -> np.ndarray:
    """Which rows of `digits` (n × 11, the digits as numbers 0–9) pass the checks of a
    fødselsnummer, D-nummer, H-nummer or FH-nummer (identifier_kind is not None):
    the same rules, for a whole column at once."""
    d = np.asarray(digits, dtype=np.int64).reshape(-1, 11)
    controls = ((d[:, :10] @ np.array(K1_WEIGHTS)) % 11 == 0) & (
        (d @ np.array(K2_WEIGHTS)) % 11 == 0)
    day, month, year2 = d[:, 0] * 10 + d[:, 1], d[:, 2] * 10 + d[:, 3], d[:, 4] * 10 + d[:, 5]
    individual = d[:, 6] * 100 + d[:, 7] * 10 + d[:, 8]
    base = np.select([individual <= 499, (individual <= 749) & (year2 >= 54),
                      (individual >= 500) & (year2 <= 39), (individual >= 900) & (year2 >= 40)],
                     [1900, 1800, 2000, 1900], default=0)
    year = base + year2
    today = today or clock.today()
    # fødselsnummer and D-nummer (day + 40), synthetic persons too (month + 80)
    fnr_day = np.where(day > D_NUMBER_DAY_OFFSET, day - D_NUMBER_DAY_OFFSET, day)
    fnr_month = np.where(month > SYNTHETIC_MONTH_OFFSET, month - SYNTHETIC_MONTH_OFFSET, month)
    fnr = _born_by(year, fnr_month, fnr_day, today) & (base > 0)
    # H-nummer (month + 40; not a D-nummer) and FH-nummer (first digit 8 or 9, no date)
    h_number = (_born_by(year, month - H_NUMBER_MONTH_OFFSET, day, today) & (base > 0)
                & ~np.isin(d[:, 0], [int(c) for c in D_NUMBER_FIRST_DIGITS]))
    fh_number = np.isin(d[:, 0], [int(c) for c in FH_NUMBER_FIRST_DIGITS])
    return controls & (fnr | h_number | fh_number)


def _born_by(year: np.ndarray, month: np.ndarray, day: np.ndarray, today: date) -> np.ndarray:
    """Which (year, month, day) are calendar dates not after `today`."""
    real_month = (month >= 1) & (month <= 12)
    first = ((year - 1970) * 12 + np.clip(month, 1, 12) - 1).astype("datetime64[M]")
    length = ((first + 1).astype("datetime64[D]") - first.astype("datetime64[D]")).astype(int)
    real_day = (day >= 1) & (day <= length)
    born = first.astype("datetime64[D]") + np.clip(day - 1, 0, 30)
    return real_month & real_day & (born <= np.datetime64(today, "D"))


def as_digits(numbers: list[str]) -> np.ndarray:
    """11-digit strings → their digits, n × 11."""
    data = np.frombuffer("".join(numbers).encode("ascii"), dtype=np.uint8)
    return (data.reshape(-1, 11) - 48).astype(np.int64)


def candidates_in_text(text: str) -> list[tuple[int, int, str]]:
    """(start, end, the 11 digits) of every number in `text` that may be a national id."""
    found = [(m.start(), m.end(), m.group(1) + m.group(2))
             for m in NATIONAL_ID_IN_TEXT.finditer(text)]
    whole = "".join(text.split())
    if not found and len(whole) in (10, 11) and whole.isascii() and whole.isdigit():
        found = [(0, len(text), whole.zfill(11))]
    return found


def mask_national_ids(text: str, *, today: date | None = None) -> tuple[str, int]:
    """`text` with the digits of each national id in it replaced by "*", and how many
    there were. Text without one comes back as it is."""
    found = candidates_in_text(text)
    if not found:
        return text, 0
    like = national_id_like(as_digits([number for _, _, number in found]), today=today)
    masked, n = list(text), 0
    for (start, end, _), hit in zip(found, like, strict=True):
        if hit:
            n += 1
            masked[start:end] = [MASK if c.isdigit() else c for c in text[start:end]]
    return "".join(masked), n
