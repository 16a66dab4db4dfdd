"""Does a free text look like it names a person? The report form's warning before
sending (spec/deviations.md: a warning, not a refusal, when summary, description,
immediate action or place look like they hold a national id or a personal name).

A heuristic, pure and deliberately simple. A text is flagged when it has

1. a common Norwegian first name followed by another capitalised word ("Kari Hansen",
   "Ola Nordmann"); the first names are a packaged list (data/first_names.txt, about 200
   of the most common names in Statistics Norway's public name statistics);
2. a title or role word followed by a capitalised word ("fru Hansen", "pasient Ola",
   "dr. Berg", "fastlege Olsen");
3. a common first name alone inside a sentence ("snakket med Kari på vakta"), unless the
   name is also an everyday word ("Per", "Liv", "Dag", "Stein" …) — those need rule 1
   or 2.

Place names are not names: the words of the packaged organisations and municipalities
("St. Olavs hospital", "Trondheim kommune", "Indre Fosen"), anything after "St." or
"Sankt", and a capitalised run followed by a place noun ("Olav Tryggvasons gate", "Øya
helsehus", "Kari Bergs sykehjem").

Limits (docs/deviations.md): a surname alone ("Hansen ringte"), a rare or foreign first
name, a name written in lower case and a name at the start of a sentence without a
surname are not found; an unusual place named after a person may be flagged. It is a
warning the reporter can override, never a refusal, and the text is not logged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from flyt.store.reference import packaged_municipalities, packaged_organisations

# Words: letters with inner hyphens or apostrophes ("Anne-Lise", "O'Brien").
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")
# Between two words of one name: spaces only (no comma, no full stop).
_SPACE_ONLY = re.compile(r"[ \t]+")
# Between a title and the name: spaces, or an abbreviation's full stop ("dr. Berg").
_AFTER_ABBREVIATION = re.compile(r"\.?[ \t]+")
_SENTENCE_END = re.compile(r"[.!?:;\n\r•]")

TITLES = frozenset({
    "fru", "frue", "herr", "hr", "frk", "frøken", "dr", "doktor", "lege", "legen",
    "fastlege", "fastlegen", "overlege", "overlegen", "sykepleier", "sykepleieren",
    "pasient", "pasienten", "pas", "beboer", "beboeren", "bruker", "brukeren",
    "pårørende", "sønnen", "datteren", "kona", "mannen", "ektefelle", "ektefellen",
    "mr", "mrs", "ms", "miss", "patient", "nurse", "doctor",
})
ABBREVIATIONS = frozenset({"dr", "hr", "frk", "pas", "mr", "mrs", "ms"})
# Names that are everyday words as well: flagged only with a surname or a title.
AMBIGUOUS = frozenset({"Per", "Liv", "Dag", "Stein", "Finn", "Gro", "Tor", "Line", "Even",
                       "Odd", "Ann", "Eli", "Ella", "Aud", "Signe", "Åse", "Olaf"})
SAINTS = frozenset({"st", "sankt", "sta"})
# A capitalised run followed by one of these is a place or an institution.
PLACE_NOUNS = frozenset({
    "gate", "gata", "vei", "veien", "veg", "vegen", "plass", "allé", "senter", "senteret",
    "sykehjem", "sykehjemmet", "helsehus", "helsehuset", "hospital", "sykehus",
    "sykehuset", "omsorgssenter", "legekontor", "legesenter", "legevakt", "kommune",
    "klinikk", "skole", "bydel", "omsorgsbolig", "omsorgsboliger", "hf",
})


@dataclass(frozen=True)
class _Word:
    text: str
    start: int
    end: int


@cache
def first_names() -> frozenset[str]:
    """The packaged first names (data/first_names.txt)."""
    text = (resources.files("flyt.deviations") / "data" / "first_names.txt").read_text(
        encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines()
                     if line.strip() and not line.startswith("#"))


@cache
def place_words() -> frozenset[str]:
    """The capitalised words of the packaged organisations' and municipalities' names,
    case-folded ("trondheim", "olavs", "fosen")."""
    names = [o.name for o in packaged_organisations()]
    names += [m.name for m in packaged_municipalities()]
    return frozenset(w.group().casefold() for name in names for w in _WORD.finditer(name)
                     if w.group()[0].isupper())


def _capitalised(word: str) -> bool:
    """Capital first letter, a lower-case letter after it: "Hansen", not "PLO" or "ok"."""
    return word[0].isupper() and any(c.islower() for c in word[1:])


def _is_first_name(word: str) -> bool:
    return word.split("-")[0] in first_names()


def _sentence_start(text: str, words: list[_Word], i: int) -> bool:
    if i == 0:
        return True
    return bool(_SENTENCE_END.search(text, words[i - 1].end, words[i].start))


def _joined(text: str, left: _Word, right: _Word, pattern: re.Pattern[str]) -> bool:
    return bool(pattern.fullmatch(text, left.end, right.start))


def _place(words: list[_Word], i: int, places: frozenset[str]) -> bool:
    """Whether the capitalised run starting at `i` is a place: one of its words is a
    known place word or a place noun, it follows "St.", or a place noun follows it."""
    if i > 0 and words[i - 1].text.casefold() in SAINTS:
        return True
    j = i
    while j < len(words) and _capitalised(words[j].text):
        folded = words[j].text.casefold()
        if folded in places or folded in PLACE_NOUNS:
            return True
        j += 1
    return j < len(words) and words[j].text.casefold() in PLACE_NOUNS


def name_like(text: str, *, places: frozenset[str] | None = None) -> list[str]:
    """The parts of `text` that look like a personal name (empty: none), in order."""
    places = place_words() if places is None else places
    words = [_Word(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
    found: list[str] = []
    for i, word in enumerate(words):
        following = words[i + 1] if i + 1 < len(words) else None
        if following is not None and _capitalised(following.text):
            title = word.text.casefold()
            gap = _AFTER_ABBREVIATION if title in ABBREVIATIONS else _SPACE_ONLY
            if (title in TITLES and _joined(text, word, following, gap)
                    and not _place(words, i + 1, places)):
                found.append(text[word.start:following.end])
                continue
            if (_is_first_name(word.text) and _joined(text, word, following, _SPACE_ONLY)
                    and not _place(words, i, places)):
                found.append(text[word.start:following.end])
                continue
        if (_is_first_name(word.text) and word.text not in AMBIGUOUS
                and not _sentence_start(text, words, i) and not _place(words, i, places)
                and not (i > 0 and words[i - 1].text.casefold() in TITLES)):
            found.append(word.text)
    return found


def looks_like_personal_name(text: str) -> bool:
    """Whether `text` seems to name a person (see the module's rules and limits)."""
    return bool(name_like(text))
