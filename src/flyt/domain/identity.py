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
from collections.abc import Sequence
from datetime import date

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
    return born is not None and born <= (today or date.today())


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
    return born <= (today or date.today())


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
