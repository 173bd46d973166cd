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
from anonymizer.detect.tokens import Token

NEIGHBOURS = 2  # words either side that say what a number is
_WORD = re.compile(r"[^\W\d_]+|[€$£%]")
_CENTS = re.compile(r"\d[.,]\d{2}$")
_MIXED = re.compile(r"[A-Za-z]")


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


def _has(words: list[str], cues: tuple[str, ...]) -> bool:
    """Whether a cue (a word prefix, or a phrase) is among ``words``."""
    text = " " + " ".join(words) + " "
    return any((" " + cue) in text if " " in cue else any(w.startswith(cue) for w in words) for cue in cues)


def _sentence_start(tokens: tuple[Token, ...], index: int) -> int:
    while index > 0 and not tokens[index - 1].ends_sentence:
        index -= 1
    return index


def personal_context(tokens: tuple[Token, ...], run: DigitRun, language: str) -> bool:
    """A personal-data cue before ``run`` in its sentence, or in the question before it ("Ihre PIN? 4 7 1 1")."""
    start = _sentence_start(tokens, run.first)
    if start > 0 and tokens[start - 1].raw.endswith("?"):
        start = _sentence_start(tokens, start - 1)
    return _has(_words(tokens, start, run.first), meaning_lexicon(language).pii_cues)


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
    if any(_MIXED.search(w) for w in written) and run.first == run.last and _fits("model", tokens, run):
        return "model"  # "X7590", "S23": letters and digits in one token next to nothing personal
    for name in ("price", "speed", "quantity", "duration", "time", "model", "year"):
        cues = readings.get(name, ())
        near = after[:1] + before[-1:] if name in ("quantity", "duration", "speed") else after + before
        if _has(near, cues) and _fits(name, tokens, run):
            return name
    return None


def harmless(tokens: tuple[Token, ...], run: DigitRun, language: str) -> bool:
    """A number with a harmless reading and no personal-data cue before it: not redacted."""
    return reading(tokens, run, language) is not None and not personal_context(tokens, run, language)


# a full date whose year is this long ago or longer may be a birth date (a customer of age)
BIRTH_YEAR_MIN_AGE = 14
_DIGIT_YEAR = re.compile(r"\b((?:19|20)(?:\.?\s)?\d\d)\b")  # "1985", and split: "19. 85"
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
    """
    import datetime

    latest = (this_year or datetime.date.today().year) - BIRTH_YEAR_MIN_AGE
    years = (int(re.sub(r"\D", "", y)) for y in _DIGIT_YEAR.findall(date))
    return bool(_SPOKEN_19XX.search(date)) or any(y <= latest for y in years)


def date_is_personal(text: str, start: int, language: str, window: int = 12, end: int | None = None) -> bool:
    """Whether a date found at ``text[start:end]`` may be a birth date: a birth cue among the ``window``
    words before it, or (given ``end``) a year in it a person of age may be born in — ASR garbles the
    question ("und Ihr Boots -Datum" for "Geburtsdatum"), and a full date decades ago is rarely anything
    else in a call. A date of an invoice, a delivery or an appointment is not personal data."""
    if end is not None and birth_year_in(text[start:end]):
        return True
    before = text[:start].lower().split()[-window:]
    lex: Lexicon = lexicon(rules_language(language))
    return _has([w.strip(",.;:?!") for w in before], tuple(c.lower() for c in (*lex.date_context, *lex.birth_cues)))


# ---- names: the company's own name, products and tariffs are nobody's name ------------------------------

NAME_RECOGNIZERS = {"GazetteerNameRecognizer", "SpacyRecognizer", "CueNameRecognizer"}
_CAPITAL = re.compile(r"^[A-ZÄÖÜ]")
MAX_COMPANY_WORDS = 3
INTRO_SENTENCES = 3  # the company introduces itself in the call's first sentences


def company_words(tokens: tuple[Token, ...], language: str) -> frozenset[str]:
    """The words of the company's own name, from how a call opens: after an intro ("willkommen bei",
    "thank you for calling") or before a greeting ("Nordwind Energie, guten Tag") in the first sentences."""
    lex = lexicon(rules_language(language))
    lowered = [t.text.lower() for t in tokens]
    found: set[str] = set()
    sentences = 0
    for i, token in enumerate(tokens):
        if sentences >= INTRO_SENTENCES:
            break
        for intro in lex.company_intros:
            words = intro.split()
            if lowered[i : i + len(words)] == words:
                k = i + len(words)
                while k < len(tokens) and k - i - len(words) < MAX_COMPANY_WORDS and _CAPITAL.match(tokens[k].text):
                    found.add(lowered[k])
                    if tokens[k].raw.endswith((",", ".", "!", "?")):
                        break
                    k += 1
        for greeting in lex.greetings:  # the call opens with the company's name: "Nordwind Energie, guten Tag"
            words = greeting.split()
            if lowered[i : i + len(words)] == words and 0 < i <= MAX_COMPANY_WORDS \
                    and tokens[i - 1].raw.endswith(",") and all(_CAPITAL.match(t.text) for t in tokens[:i]) \
                    and not any(t.raw.endswith((",", ".", "!", "?")) for t in tokens[: i - 1]):
                found.update(lowered[:i])
        if token.ends_sentence:
            sentences += 1
    return frozenset(found)


def product_name(tokens: tuple[Token, ...], first: int, last: int, language: str) -> bool:
    """Whether the words ``first..last`` are part of a product or tariff name: a model or tariff word, a
    number or a letters-and-digits token right before or after them ("Fiber Max 500", "Tarif Klara")."""
    model = meaning_lexicon(language).readings.get("model", ())
    for k in (first - 1, last + 1):
        if not 0 <= k < len(tokens) or (k == first - 1 and tokens[k].ends_sentence) \
                or (k == last + 1 and tokens[last].ends_sentence):
            continue
        word = tokens[k].text
        if any(ch.isdigit() for ch in word) or _has([word.lower()], model):
            return True
    return False
