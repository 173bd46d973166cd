"""Digit runs as ASR writes dictated numbers, with offsets into the transcript.

"0151, 2345", "415 -555 -2671", "4111, 111, 111, 111", "null eins fünf eins", "four one five",
"zweiundvierzig", "doppel fünf", "plus vier neun": consecutive digit tokens, number words (the
lexicon's digit words and whatever text2num's ``alpha2digit`` reads as a number) and separators
form one run; between two of them, a near miss of a digit word ("zwei hach eins") or of a separator
word ("92, Schrecktricht, 9") joins it too (``fuzzy.closest``). Each run keeps its first/last token,
its character span and its digits in order, so the phone, IBAN, card, ID and number-sequence
recognizers share one reading of the text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from anonymizer.detect.fuzzy import closest
from anonymizer.detect.lexicon import Lexicon, lexicon, rules_language
from anonymizer.detect.tokens import Token, tokenize

_SEPARATOR_ONLY = re.compile(r"^[-–—,./]+$")
_DIGITISH = re.compile(r"^[+$€£]?[-–—,./]*\d[\d\-–—,./]*(?:st|nd|rd|th|te|ter|ten)?[$€£]?$")
_LETTERS_DIGITS = re.compile(r"^[A-Z]{2}\d{2,}$")  # "DE89" glued
# letters and digits in one token, as ASR writes a dictated IBAN or reference ("GP90QHPP48867775675844",
# "CT9970966491H791"): its digits count, from three on ("MP3", "4G", "A4" stay words)
_MIXED = re.compile(r"^[-–—,./]*(?=(?:[^\d]*\d){3})[A-Za-z0-9]+(?:[-–—./][A-Za-z0-9]+)*[-–—,./]*$")
# ("-D0374…" too; a reference's groups joined by dashes or dots, "AS-4471-0093-2", "HOME-55892-17", read the same)
# a reference's letters between its digit groups ("88 TQ 4410", "1 ESY 1160 4471"): part of the run, unless
# they are a unit ("12 GB 50 SMS": the lexicon's ``digits.units``)
_LETTER_GROUP = re.compile(r"^[A-Z]{2,4}[,.]?$")
_WORD = re.compile(r"^[^\W\d_]+(?:-[^\W\d_]+)*$")
# a dictation's first token as ASR writes it: a letter or two glued to a digit or three ("D8" for "D E acht",
# "DE8"), read as digits when more digits follow; or letters alone ("D", "DE", "D.") right before the digits
_GLUED_HEAD = re.compile(r"^[-–—,./]*[A-Za-z]{1,2}\d{1,3}$")
_LETTER_HEAD = re.compile(r"^[-–—,./]*[A-Z]{1,2}[-–—,./]*$")
MAX_LETTER_HEADS = 2
_NUMBERISH = frozenset({"digits", "word", "homophone", "misheard"})
_TENS = frozenset(range(20, 100, 10))


@dataclass(frozen=True)
class DigitRun:
    """Tokens ``first..last`` (inclusive) read as the digit string ``digits``; ``start..end`` its characters,
    from the letters dictated before it ("D E 8937": "D") to its last digit.

    ``groups`` is how many separately written numbers the run holds ("19,99" is one, "vier sieben" two).
    """

    first: int
    last: int
    start: int
    end: int
    digits: str
    plus: bool
    groups: int

    @property
    def n_digits(self) -> int:
        return len(self.digits)

    def first_token(self, tokens: Sequence[Token]) -> int:
        """The index of the run's first token, from the letters dictated before its digits ("D E 4 4": "D")."""
        k = self.first
        while k > 0 and tokens[k - 1].start >= self.start:
            k -= 1
        return k


def _is_number_word(word: str, lex: Lexicon) -> bool:
    lowered = word.lower()
    if lowered in lex.not_numbers or not _WORD.match(lowered):
        return False
    if lowered in lex.digit_words or lowered in lex.repeat_words:
        return True
    return _text2num(lowered, lex.language) is not None


@lru_cache(maxsize=4096)
def _text2num(word: str, language: str) -> int | None:
    from text_to_num import text2num

    try:
        return int(text2num(word, language))
    except (ValueError, TypeError, KeyError):
        return None


def _words_to_digits(words: list[str], lex: Lexicon) -> tuple[str, int]:
    """The digits a run of number words says, and how many numbers it is.

    >>> _words_to_digits("null eins fünf eins".split(), lexicon("de"))
    ('0151', 3)
    >>> _words_to_digits("forty two".split(), lexicon("en"))
    ('42', 1)
    >>> _words_to_digits("doppel fünf drei".split(), lexicon("de"))
    ('553', 2)
    >>> _words_to_digits("four four, twenty, seven".split(), lexicon("en"))  # a comma keeps numbers apart
    ('44207', 4)
    """
    from text_to_num import alpha2digit

    converted = alpha2digit(" ".join(w.lower() for w in words), lex.language)
    digits, groups, repeat = [], 0, 1
    for part in converted.replace(",", " ").split():
        if part in lex.repeat_words:
            repeat = lex.repeat_words[part]
            continue
        if part.isdigit():
            value = part
        elif part in lex.digit_words:
            value = str(lex.digit_words[part])
        elif (number := _text2num(part, lex.language)) is not None:
            value = str(number)
        else:
            continue
        digits.append(value[0] * (repeat - 1) + value if repeat > 1 else value)
        groups += 1
        repeat = 1
    return "".join(digits), groups


def _kind(token: Token, lex: Lexicon) -> str:
    if _DIGITISH.match(token.text) or _LETTERS_DIGITS.match(token.text) or _MIXED.match(token.text):
        return "digits"
    if _is_number_word(token.text, lex):
        return "word"
    if _SEPARATOR_ONLY.match(token.text):
        return "sep"
    return ""


def _read(tokens: Sequence[Token], kinds: Sequence[str] | Mapping[int, str], first: int, last: int,
          lex: Lexicon) -> tuple[str, int]:
    """The digits tokens ``first..last`` say and how many numbers they are (``kinds`` from ``_kind``)."""
    parts: list[str] = []
    groups = 0
    words: list[str] = []
    for k in range(first, last + 1):
        if kinds[k] == "word":
            words.append(tokens[k].text + ("," if tokens[k].raw.endswith(",") else ""))
            continue
        if words:
            digits, n = _words_to_digits(words, lex)
            parts.append(digits)
            groups += n
            words = []
        if kinds[k] == "digits":
            parts.append("".join(ch for ch in tokens[k].text if ch.isdigit()))
            groups += 1
        elif kinds[k] == "homophone":
            parts.append(str(lex.homophones[tokens[k].text.lower()]))
            groups += 1
        elif kinds[k] == "misheard" and (word := closest(tokens[k].text, frozenset(lex.digit_words), lex.language)):
            parts.append(str(lex.digit_words[word]))
            groups += 1
    if words:
        digits, n = _words_to_digits(words, lex)
        parts.append(digits)
        groups += n
    return "".join(parts), groups


def split_at_homophones(tokens: tuple[Token, ...], run: DigitRun, language: str) -> tuple[DigitRun, ...]:
    """The numbers of ``run`` between the homophones it read as digits ("up to $1,000": "to" read as 2,
    "13th to $1.30", "1.6 for 18 months"); () when it holds none. A homophone between numbers is mostly the
    preposition: the pieces let each number be read on its own (``meaning.harmless``).

    >>> tokens, runs = digit_runs("It went up to $1,000 overdraft.", "en")
    >>> runs[0].digits, [p.digits for p in split_at_homophones(tokens, runs[0], "en")]
    ('21000', ['1000'])
    """
    lex = lexicon(rules_language(language))
    kinds = {k: _kind(tokens[k], lex) for k in range(run.first, run.last + 1)}  # the run's tokens only
    cuts = [k for k in range(run.first, run.last + 1) if not kinds[k] and tokens[k].text.lower() in lex.homophones]
    if not cuts:
        return ()
    pieces = []
    for a, b in zip([run.first - 1, *cuts], [*cuts, run.last + 1], strict=True):
        first = a + 1
        while first < b and kinds[first] == "sep":
            first += 1
        last = b - 1
        while last >= first and kinds[last] == "sep":
            last -= 1
        if first > last:
            continue
        digits, groups = _read(tokens, kinds, first, last, lex)
        if digits:
            pieces.append(DigitRun(first, last, tokens[first].start, tokens[last].end, digits, False, groups))
    return tuple(pieces)


def _lost_digit(token: Token) -> bool:
    """A single letter in ASR's dash-joined dictation ("0 -1 -t -1 -4 -9"): a digit it did not make out. Between
    digits it joins the run like a separator word (it adds no digit).

    >>> [_lost_digit(t) for t in tokenize("0 -1 -t -1 t -D0374")]
    [False, False, True, False, False, False]
    """
    letter = token.text[1:]
    return token.text.startswith("-") and len(letter) == 1 and letter.isalpha()


def digit_runs(text: str, language: str) -> tuple[tuple[Token, ...], tuple[DigitRun, ...]]:
    """The tokens of ``text`` and its digit runs (cached: several recognizers ask for the same text).

    A language without a lexicon is read with the English one. A compound number ASR split at its joiner is
    one number, two numbers joined are two:

    >>> [(r.digits, r.groups) for r in digit_runs("die Wohnung, vier und zwanzig und", "de")[1]]
    [('24', 1)]
    >>> [[r.digits for r in digit_runs(text, "de")[1]] for text in ("eins und zwei", "sieben, und zwanzig")]
    [['1', '2'], ['7', '20']]
    """
    return _digit_runs(text, rules_language(language))


@lru_cache(maxsize=16)
def _digit_runs(text: str, language: str) -> tuple[tuple[Token, ...], tuple[DigitRun, ...]]:
    lex = lexicon(language)
    tokens = tokenize(text)
    kinds = [_kind(t, lex) for t in tokens]
    for i in range(len(tokens) - 2, -1, -1):  # "D8 9 3 7": the glued head of a dictated number
        if not kinds[i] and _GLUED_HEAD.match(tokens[i].text) and kinds[i + 1] in ("digits", "word"):
            kinds[i] = "digits"
    for i, token in enumerate(tokens):  # "nine for zero": a homophone between digits is a digit
        if not kinds[i] and token.text.lower() in lex.homophones:
            neighbours = [kinds[k] for k in (i - 1, i + 1) if 0 <= k < len(tokens)]
            if "digits" in neighbours or "word" in neighbours:
                kinds[i] = "homophone"
    for i in range(1, len(tokens) - 1):  # "vier und zwanzig": a compound number ASR split is one number
        if kinds[i - 1] == kinds[i + 1] == "word" and tokens[i].text.lower() == lex.compound_joiner \
                and tokens[i - 1].raw == tokens[i - 1].text and tokens[i].raw == tokens[i].text \
                and 1 <= (_text2num(tokens[i - 1].text.lower(), lex.language) or 0) <= 9 \
                and (_text2num(tokens[i + 1].text.lower().strip(",.?!"), lex.language) or 0) in _TENS:
            kinds[i] = "word"
    for i in range(1, len(tokens) - 1):  # between digits on both sides: "zwei hach eins", "92, Schrecktricht, 9"
        if not kinds[i] and _NUMBERISH & {kinds[i - 1]} and _NUMBERISH & {kinds[i + 1]} \
                and not tokens[i - 1].raw.endswith(("?", "!", ".")):
            if closest(tokens[i].text, lex.separator_words, language) or _lost_digit(tokens[i]) \
                    or (_LETTER_GROUP.match(tokens[i].raw) and tokens[i].text.lower() not in lex.digit_units):
                kinds[i] = "sep"
            elif closest(tokens[i].text, frozenset(lex.digit_words), language):
                kinds[i] = "misheard"
    runs = []
    i = 0
    while i < len(tokens):
        lone_repeat = (kinds[i] == "word" and tokens[i].text.lower() in lex.repeat_words
                       and not (i + 1 < len(tokens) and kinds[i + 1] == "word"))
        if kinds[i] not in _NUMBERISH or lone_repeat:
            i += 1
            continue
        j, last = i, i
        while j < len(tokens) and kinds[j]:
            if kinds[j] != "sep":
                last = j
            if tokens[j].raw.endswith(("?", "!")):
                break
            j += 1
        digits, groups = _read(tokens, kinds, i, last, lex)
        start = i
        plus = tokens[i].text.startswith("+")
        if i > 0 and tokens[i - 1].text.lower() in lex.plus_words:
            start, plus = i - 1, True
        # "D E 8937 …", "D -8937": the letters dictated before the digits are where the number starts (its
        # characters; ``first`` stays the first number token, where the recognizers look for a country code)
        head = start
        while head > 0 and start - head < MAX_LETTER_HEADS and _LETTER_HEAD.match(tokens[head - 1].text) \
                and not tokens[head - 1].ends_sentence:
            head -= 1
        if digits:
            runs.append(DigitRun(start, last, tokens[head].start, tokens[last].end, digits, plus, groups))
        i = last + 1
    return tuple(tokens), tuple(runs)


def context_near(tokens: tuple[Token, ...], first: int, words: tuple[str, ...], window: int = 8) -> bool:
    """Whether one of ``words`` (single words or phrases) occurs in the ``window`` tokens before ``first``.

    Matching is by prefix of a token, so "kundennummer" also finds "Kundennummer,".
    """
    before = " ".join(t.text.lower() for t in tokens[max(0, first - window) : first])
    return any(re.search(rf"(?<!\w){re.escape(w)}", before) for w in words)
