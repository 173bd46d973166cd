"""The safety net of the commercial tools' "numbers" policy: long digit runs, however ASR wrote them.

Any run of ``min_digits`` or more digits — written as digits ("0151, 2345"), split by spaces, commas,
dashes or dots ("415 -555 -2671"), or spoken ("null eins fünf eins", "four one five",
"zweiundvierzig") — is NUMBER_SEQUENCE, unless it is on the allow-list ("DSL 1000") or is one
amount next to a currency ("19,99 Euro", "$1500"); shorter runs too when capital letters are glued to
them ("ZN901": a reference code) or said one digit at a time ("seven, eight, three"). The typed
recognizers (phone, IBAN, card, ID) report the same runs with a more specific type when their checks pass.
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult

from anonymizer.detect.digits import DigitRun
from anonymizer.detect.meaning import GLUED_CODE, harmless
from anonymizer.detect.rules import DigitRunRecognizer
from anonymizer.detect.tokens import Token

CURRENCY_WORDS = {"euro", "euros", "eur", "dollar", "dollars", "usd", "cent", "cents", "pfund", "pound", "pounds",
                  "franken", "chf", "€", "$", "£", "bucks"}
_CURRENCY_SIGN = re.compile(r"^[$€£]|[$€£]$")
_CENTS = re.compile(r"\d[.,]\d{2}$")
PRICE_WORDS = {"costs", "cost", "price", "pay", "paid", "charge", "fee", "kostet", "kosten", "preis", "betrag",
               "zahlen", "bezahlt", "gebühr", "for", "für", "only", "nur"}


def is_amount(tokens: tuple[Token, ...], run: DigitRun) -> bool:
    """One number (not a dictated digit string) with a currency word next to it ("1500 Euro"), or with a
    currency sign and either cents or a price word before it ("$19.99", "costs $1500").

    A sign alone is not enough: ASR writes "$1952" for a birth year.
    """
    if run.groups > 2 or run.n_digits > 7:
        return False
    neighbours = [tokens[i].text.lower() for i in (run.first - 1, run.last + 1) if 0 <= i < len(tokens)]
    if any(word in CURRENCY_WORDS for word in neighbours):
        return True
    if not any(_CURRENCY_SIGN.search(tokens[i].raw) for i in range(run.first, run.last + 1)):
        return False
    cents = any(_CENTS.search(tokens[i].text) for i in range(run.first, run.last + 1))
    before = {tokens[i].text.lower() for i in range(max(0, run.first - 4), run.first)}
    return cents or bool(before & PRICE_WORDS)


MIN_CODE_DIGITS = 3


def is_code(tokens: tuple[Token, ...], run: DigitRun) -> bool:
    """Three or more digits with two to four capital letters glued to them (``meaning.GLUED_CODE``): a
    customer, order or booking reference even when short ("ZN901"); a model number next to a product word
    ("GT500 Router") is kept by meaning like any other.

    >>> from anonymizer.detect.digits import digit_runs
    >>> def code(text):
    ...     tokens, runs = digit_runs(text, "de")
    ...     return any(is_code(tokens, run) for run in runs)
    >>> [code(text) for text in ("ZN901.", "MP3 und 4G", "Zimmer 901", "ab A380")]
    [True, False, False, False]
    """
    return run.n_digits >= MIN_CODE_DIGITS and any(GLUED_CODE.search(tokens[i].text)
                                                   for i in range(run.first, run.last + 1))


MIN_DICTATED_DIGITS = 3


def is_dictated(run: DigitRun) -> bool:
    """Three or more digits said one at a time ("seven, eight, three", "4 7 1"): a PIN or a code read out,
    even when ASR garbled the question before it; no price, time or count is said that way."""
    return run.n_digits >= MIN_DICTATED_DIGITS and run.groups == run.n_digits


class NumberSequenceRecognizer(DigitRunRecognizer):
    """Runs of ``min_digits`` or more digits, however ASR separated or spelled them."""

    def __init__(self, supported_language: str, min_digits: int = 4, allow: tuple[str, ...] = (),
                 by_meaning: bool = True) -> None:
        self.min_digits = min_digits
        self.allow = {a.lower() for a in allow}
        self.by_meaning = by_meaning
        super().__init__("NUMBER_SEQUENCE", supported_language)

    def match(self, text: str, tokens: tuple[Token, ...], run: DigitRun) -> RecognizerResult | None:
        if (run.n_digits < self.min_digits and not is_code(tokens, run) and not is_dictated(run)) \
                or text[run.start : run.end].lower() in self.allow:
            return None
        if self.by_meaning and (is_amount(tokens, run) or harmless(tokens, run, self.supported_language)):
            return None  # a price, a time, a model number, …: nobody's personal data
        return self.result(run.start, run.end, 0.6)
