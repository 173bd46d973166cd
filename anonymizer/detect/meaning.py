"""What a number means: a price, a clock time, a duration, a quantity, a speed, a model number or a year
is nobody's personal data; an identifier, a code, a phone number or a birth date is.

A dictated number is read once (``digits.digit_runs``); here its neighbours decide. A run is *harmless*
when the words next to it (two before, two after; the lexicon's ``meaning`` section) give it one of those
readings *and* its shape fits the reading (a time has at most four digits, an hour under 25 and minutes
under 60; a price at most two groups; a year four digits from 1900 to 2099; …) — unless a personal-data
cue stands before it in its sentence, or in the question it answers ("Ihre PIN?", "born in", "my number
is"). Everything else stays redacted: the safety net catches what has no reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from anonymizer.detect.digits import DigitRun
from anonymizer.detect.lexicon import Lexicon, lexicon, rules_language
from anonymizer.detect.tokens import Token, sentence_first

NEIGHBOURS = 2  # words either side that say what a number is
_WORD = re.compile(r"[^\W\d_]+|[€$£%]")
_CENTS = re.compile(r"\d[.,]\d{2}$")
_SPLIT_CENTS = re.compile(r"^[.,]\d{2}$")  # ASR's "$47 .50"
_MIXED = re.compile(r"[A-Za-z]\S*\d|\d\S*[A-Za-z]")  # letters and digits in one token ("X7590")
# one number written with thousands separators ("24.300", "1,000,000"): a magnitude, not digits said one by one
_THOUSANDS = re.compile(r"^\d{1,3}(?:[.,]\d{3})+[.,;:!?]?$")
_MAGNITUDE = re.compile(r"tausend|thousand|million")
MAX_QUANTITY_DIGITS = 6  # such a number before its unit: "24.300 Kilowattstunden", "120,000 miles"
# a code ASR wrote as one token, two to four capital letters glued to its digits ("ZN901", "KD4711"): a
# reference, read as a model number only next to a product word ("GT500 Router"); one letter ("X7590", "S23")
# is a model's
GLUED_CODE = re.compile(r"^[A-ZÄÖÜ]{2,4}\d|\d[A-ZÄÖÜ]{2,4}$")


@dataclass(frozen=True)
class Meaning:
    """The cue words of one language, lower case."""

    readings: dict[str, tuple[str, ...]]
    pii_cues: tuple[str, ...]


@cache
def meaning_lexicon(language: str) -> Meaning:
    lex = lexicon(rules_language(language))
    pii = (*lex.meaning_pii_cues, *lex.phone_context, *lex.iban_context, *lex.card_context, *lex.id_context,
           *lex.date_context, *lex.birth_cues, *lex.address_cues)
    return Meaning(lex.meaning, tuple(sorted({c.lower() for c in pii})))


def _words(tokens: tuple[Token, ...], first: int, last: int) -> list[str]:
    return [w.lower() for t in tokens[max(0, first) : max(0, last)] for w in _WORD.findall(t.text)]


# a cue this short is a whole word, never a prefix: "p" (pence) is not "PIN" or "please", "at" not "attached"
MIN_PREFIX_CUE = 3


def has_cue(words: list[str], cues: tuple[str, ...]) -> bool:
    """Whether a cue (a word prefix, a short word, or a phrase) is among ``words``.

    >>> has_cue(["euros"], ("euro",)), has_cue(["pin"], ("p",)), has_cue(["p"], ("p",)), has_cue(["attached"], ("at",))
    (True, False, True, False)
    """
    text = " " + " ".join(words) + " "
    return any((" " + cue) in text if " " in cue else
               any(w.startswith(cue) if len(cue) >= MIN_PREFIX_CUE else w == cue for w in words) for cue in cues)


QUESTION_REACH_WORDS = 12  # a question's cue governs the numbers this close after it (an answer is short)


def personal_context(tokens: tuple[Token, ...], run: DigitRun, language: str, cues: tuple[str, ...] | None = None
                     ) -> bool:
    """A personal-data cue (of ``cues``, by default all of them) before ``run`` in its sentence, or in the
    question before it ("Ihre PIN? 4 7 1 1") when the run starts within ``QUESTION_REACH_WORDS`` of it (ASR's
    run-on sentence after a birth date's answer: "… birth? Ah, December 8th, 1957, you've got Fiber Max 500,
    so up to 500 megabits" — the agent's talk about the line, not the answer)."""
    start = sentence_first(tokens, run.first)
    if start > 0 and tokens[start - 1].raw.endswith("?") and run.first - start < QUESTION_REACH_WORDS:
        start = sentence_first(tokens, start - 1)
    return has_cue(_words(tokens, start, run.first), meaning_lexicon(language).pii_cues if cues is None else cues)


# the readings that only ASR's habits suggest (a year with no cue word, numbers a homophone joined) hold only
# when no personal-data cue is among this many words before the number, whatever the sentences: a customer
# who hesitates ("Ihre Vertragsnummer bitte. Ja, Moment, die habe ich irgendwo notiert, das war 2021.")
WIDE_CONTEXT_WORDS = 25


def cue_nearby(tokens: tuple[Token, ...], run: DigitRun, language: str) -> bool:
    """A personal-data cue among the ``WIDE_CONTEXT_WORDS`` words before ``run``."""
    return has_cue(_words(tokens, run.first - WIDE_CONTEXT_WORDS, run.first), meaning_lexicon(language).pii_cues)


def _thousands(tokens: tuple[Token, ...], run: DigitRun) -> bool:
    """Whether the run is one number written with thousands separators, as Whisper writes a magnitude: in one
    token ("24.300") or split before a group ("20 .300"), never after a pause ("20, 300": said apart); or said as
    one in words ("zwölftausend", "twelve thousand three hundred")."""
    raw = [tokens[i].raw for i in range(run.first, run.last + 1)]
    words = [tokens[i].text.lower() for i in range(run.first, run.last + 1)]
    if all(w.isalpha() for w in words) and any(_MAGNITUDE.search(w) for w in words) \
            and not any(r.endswith((",", ".")) for r in raw[:-1]):
        return True  # said as a magnitude: "zwölftausend", "twelve thousand three hundred"
    if len(raw) > 2 or (len(raw) == 2 and raw[0].endswith((",", "."))):
        return False
    return bool(_THOUSANDS.match("".join(tokens[i].text for i in range(run.first, run.last + 1))))


def _fits(reading: str, tokens: tuple[Token, ...], run: DigitRun) -> bool:
    """Whether the run's shape fits ``reading``."""
    digits, groups = run.digits, run.groups
    written = [tokens[i].text for i in range(run.first, run.last + 1)]
    if reading == "price":
        return groups <= 2 and len(digits) <= 7
    if reading == "time":
        if len(digits) > 4 or groups > 2:
            return False
        hour, minute = (int(digits[:-2] or 0), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
        return hour <= 24 and minute < 60
    if reading == "quantity" and _thousands(tokens, run):
        return len(digits) <= MAX_QUANTITY_DIGITS
    if reading in ("duration", "quantity", "speed"):
        return len(digits) <= 4 and groups <= 2
    if reading == "model":
        return len(digits) <= 6 and groups <= 2
    if reading == "year":
        return groups <= 2 and len(digits) == 4 and 1900 <= int(digits) <= 2099 and not any(
            _MIXED.search(w) for w in written)
    return False


def reading(tokens: tuple[Token, ...], run: DigitRun, language: str) -> str | None:
    """The harmless reading of ``run`` its neighbours and shape give it, or None."""
    readings = meaning_lexicon(language).readings
    before = _words(tokens, run.first - NEIGHBOURS, run.first)
    after = _words(tokens, run.last + 1, run.last + 1 + NEIGHBOURS)
    signs = "".join(tokens[i].raw for i in range(run.first, run.last + 1))
    written = [tokens[i].text for i in range(run.first, run.last + 1)]
    if (any(ch in signs for ch in "€$£") or any(_CENTS.search(w) for w in written)) and _fits("price", tokens, run):
        return "price"
    if any(_MIXED.search(w) for w in written) and run.first == run.last and _fits("model", tokens, run) \
            and not GLUED_CODE.search(written[0]):
        return "model"  # "X7590", "S23": letters and digits in one token next to nothing personal
    if run.first == run.last and recent_year(written[0] if written[0][:1].isdigit() else run.digits) \
            and not cue_nearby(tokens, run, language):
        return "year"  # "seit 2021", "Kollektion zweitausenddreiundzwanzig": too recent to be a birth year
    for name in ("price", "speed", "quantity", "duration", "time", "model", "year"):
        cues = readings.get(name, ())
        near = after[:1] + before[-1:] if name in ("quantity", "duration", "speed") else after + before
        if has_cue(near, cues) and _fits(name, tokens, run):
            return name
    return None


def unmistakable(tokens: tuple[Token, ...], run: DigitRun, language: str) -> str | None:
    """A reading the context words of a bank account or a card before it do not change: an amount ASR wrote
    with its cents and a currency sign or a price word ("a credit of $47 .50": "credit" is also a card's context
    word; "O2 Mobile M, kostet 29,99": "mobile" is also a phone's), a year right after
    the lexicon's ``since`` words ("I've banked with them since 2012": "bank" is also an IBAN's). No account or
    card number is written with a currency sign or said as "since 2012". A cue that asks for a number ("PIN",
    "Kundennummer", the lexicon's ``meaning.pii_cues``) before it in its sentence or question still does.

    >>> from anonymizer.detect.digits import digit_runs
    >>> texts = ("A credit on $47 .50 is due.", "My card, since 2012.", "My card ends in 2012.", "The card, 4 5 3 2 $.",
    ...          "My PIN? $47 .11.", "Oh, $1952.", "My mobile plan costs 29.99.", "My mobile is 29.99")
    >>> [unmistakable(t, r, "en") for t, runs in [digit_runs(x, "en") for x in texts] for r in runs]
    ['price', 'year', None, None, None, None, 'price', None]
    """
    if personal_context(tokens, run, language, lexicon(rules_language(language)).meaning_pii_cues):
        return None
    signs = "".join(tokens[i].raw for i in range(run.first, run.last + 1))
    written = [tokens[i].text for i in range(run.first, run.last + 1)]
    cents = any(_CENTS.search(w) for w in written) or (len(written) == 2 and _SPLIT_CENTS.match(written[1]))
    priced = any(ch in signs for ch in "€$£") or has_cue(  # not "$1952" (ASR's birth year)
        _words(tokens, run.first - NEIGHBOURS, run.first) + _words(tokens, run.last + 1, run.last + 1 + NEIGHBOURS),
        meaning_lexicon(language).readings.get("price", ()))
    if priced and cents and _fits("price", tokens, run):  # "kostet 29,99" in a sentence about "O2 Mobile M"
        return "price"
    since = meaning_lexicon(language).readings.get("since", ())
    if run.first > 0 and tokens[run.first - 1].text.lower().strip(",.;:!?") in since and run.first == run.last \
            and _YEAR_TOKEN.match(tokens[run.first].text) and not tokens[run.first - 1].ends_sentence:
        return "year"
    return None


# a piece of a run split at a homophone that has no reading of its own is still harmless this short ("January
# 13th to $1.30": "13th"); as long as a dictated number's group it is not
MAX_UNREAD_PIECE_DIGITS = 3


_YEAR_TOKEN = re.compile(r"^((?:19|20)\d\d)[.,;:!?]?$")
YEARS_AHEAD = 5  # a contract's or a tariff's year may lie this far ahead


def recent_year(word: str, this_year: int | None = None) -> bool:
    """One written year too recent for a customer of age to be born in (``BIRTH_YEAR_MIN_AGE``) and not
    far ahead: a contract's, a model's, a collection's year, never a birth year.

    >>> recent_year("2021", 2026), recent_year("2023.", 2026), recent_year("1994", 2026), recent_year("2040", 2026)
    (True, True, False, False)
    """
    import datetime

    match = _YEAR_TOKEN.match(word)
    if match is None:
        return False
    this_year = this_year or datetime.date.today().year
    return this_year - BIRTH_YEAR_MIN_AGE < int(match.group(1)) <= this_year + YEARS_AHEAD


def harmless(tokens: tuple[Token, ...], run: DigitRun, language: str) -> bool:
    """A number with a harmless reading and no personal-data cue before it: not redacted. A run ASR's
    homophones joined ("up to $1,000", "1.6 for 18 months") is harmless when its numbers read so one by one,
    at least one with a reading, the others with one or too short to be a dictated group, and no personal-data
    cue among the ``WIDE_CONTEXT_WORDS`` before it.

    >>> from anonymizer.detect.digits import digit_runs
    >>> [harmless(*r) for r in [(t, run, "en") for t, runs in [digit_runs(x, "en") for x in (
    ...     "We can go up to $1,000 overdraft.", "At 1.6 for 18 months.", "It is 4711 to 8 8 3 2.")] for run in runs]]
    [True, True, False]
    """
    if personal_context(tokens, run, language):  # with no cue at all, ``reading`` finds what ``unmistakable`` does
        return unmistakable(tokens, run, language) is not None
    if reading(tokens, run, language) is not None:
        return True
    from anonymizer.detect.digits import split_at_homophones

    pieces = split_at_homophones(tokens, run, language)
    if not pieces or cue_nearby(tokens, run, language):
        return False
    readings = [reading(tokens, piece, language) for piece in pieces]
    return any(readings) and all(r is not None or piece.n_digits <= MAX_UNREAD_PIECE_DIGITS
                                 for piece, r in zip(pieces, readings, strict=True))


# a full date whose year is this long ago or longer may be a birth date (a customer of age)
BIRTH_YEAR_MIN_AGE = 14
_DIGIT_YEAR = re.compile(r"\b((?:19|20)(?:\.?\s)?\d\d)\b")  # "1985", and split: "19. 85"
# a date's last number 32-99 is no day of a month: a two-digit year, and one a person of age is born in
# ("the 11th of October, 59", "3. März 85"); never a clock time's minutes ("14.45", "14:45")
_TWO_DIGIT_YEAR = re.compile(r"(?<![\d:.,])\b[3-9]\d(?:st|nd|rd|th|er|\.)?\W*$")
_SPOKEN_19XX = re.compile(r"(?i)neunzehnhundert|\bnineteen[\s-]+(?:hundred|o|oh|ten|eleven|twelve|thirteen|fourteen|"
                          r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
                          r"eighty|ninety)\b")


def birth_year_in(date: str, this_year: int | None = None) -> bool:
    """Whether a date's text holds a year that may be a birth year: 1900 up to ``BIRTH_YEAR_MIN_AGE``
    years ago, in digits or spoken ("neunzehnhundertfünfundachtzig", "nineteen eighty-five").

    >>> birth_year_in("14. März 1985"), birth_year_in("3. März 2024"), birth_year_in("March third")
    (True, False, False)
    >>> birth_year_in("vierzehnte März neunzehnhundertfünfundachtzig"), birth_year_in("May 2, nineteen ninety")
    (True, True)
    >>> birth_year_in("14. März 19. 85"), birth_year_in("3. März 20 24")
    (True, False)
    >>> birth_year_in("11th of October, 50"), birth_year_in("3. März 85"), birth_year_in("March 24")
    (True, True, False)
    >>> birth_year_in("3. März um 14.45"), birth_year_in("am 3. März um 14:45")
    (False, False)
    """
    import datetime

    latest = (this_year or datetime.date.today().year) - BIRTH_YEAR_MIN_AGE
    years = (int(re.sub(r"\D", "", y)) for y in _DIGIT_YEAR.findall(date))
    return bool(_SPOKEN_19XX.search(date) or _TWO_DIGIT_YEAR.search(date)) or any(y <= latest for y in years)


def date_is_personal(text: str, start: int, language: str, window: int = 12, end: int | None = None) -> bool:
    """Whether a date found at ``text[start:end]`` may be a birth date: a birth cue among the ``window``
    words before it, or (given ``end``) a year in it a person of age may be born in — ASR garbles the
    question ("und Ihr Boots -Datum" for "Geburtsdatum"), and a full date decades ago is rarely anything
    else in a call. A date of an invoice, a delivery or an appointment is not personal data."""
    if end is not None and birth_year_in(text[start:end]):
        return True
    before = text[:start].lower().split()[-window:]
    lex: Lexicon = lexicon(rules_language(language))
    return has_cue([w.strip(",.;:?!") for w in before], tuple(c.lower() for c in (*lex.date_context, *lex.birth_cues)))
