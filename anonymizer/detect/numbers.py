"""Digit runs as ASR writes them, and a loose IBAN form.

The safety net of the commercial tools' "numbers" policy: any run of ``min_digits`` or more digits —
written as digits ("0151, 2345"), split by spaces, commas, dashes or dots ("415 -555 -2671"), or as
single digit words ("null eins fünf eins", "four one five") — is redacted as NUMBER_SEQUENCE.
A run of 12+ digits right after one or two capital letters ("DE89 3704…", "D -889 -37004…") is an
IBAN_CODE even when ASR mangled a digit and the checksum fails.
"""

from __future__ import annotations

import re

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from anonymizer.detect.tokens import Token, tokenize

DIGIT_WORDS = {
    "de": {"null": 0, "eins": 1, "zwei": 2, "zwo": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6,
           "sieben": 7, "acht": 8, "neun": 9},
    "en": {"zero": 0, "oh": 0, "o": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "eight": 8, "nine": 9},
}
_SEPARATOR_ONLY = re.compile(r"^[-–—,./]+$")
_DIGITISH = re.compile(r"^[-–—,./]*\d[\d\-–—,./]*$")
_COUNTRY = re.compile(r"^[A-Z]{1,2}$")
_IBAN_HEAD = re.compile(r"^[A-Z]{2}\d{2,}$")  # "DE89" glued
_PRICE = re.compile(r"^[$€£]?\d{1,6}[.,]\d{2}[$€£]?$")
CURRENCY_WORDS = {"euro", "euros", "eur", "dollar", "dollars", "usd", "cent", "cents", "pfund", "pound", "pounds",
                  "franken", "chf", "€", "$", "£"}


class NumberSequenceRecognizer(EntityRecognizer):
    """Runs of ``min_digits`` or more digits, however ASR separated or spelled them."""

    def __init__(self, supported_language: str, min_digits: int = 4, allow: tuple[str, ...] = ()) -> None:
        self.min_digits = min_digits
        self.digit_words = DIGIT_WORDS.get(supported_language, {}) | DIGIT_WORDS["en"]
        self.allow = {a.lower() for a in allow}
        super().__init__(
            supported_entities=["NUMBER_SEQUENCE", "IBAN_CODE"],
            supported_language=supported_language,
            name="NumberSequenceRecognizer",
        )

    def load(self) -> None:
        pass

    def _digits_in(self, token: Token) -> int:
        if _DIGITISH.match(token.text) or _IBAN_HEAD.match(token.text):
            return sum(ch.isdigit() for ch in token.text)
        if token.text.lower() in self.digit_words:
            return 1
        return 0

    def runs(self, tokens: list[Token]) -> list[tuple[int, int, int]]:
        """``(first_token, last_token, n_digits)`` for each digit run."""
        out = []
        i = 0
        while i < len(tokens):
            if not self._digits_in(tokens[i]):
                i += 1
                continue
            j, n_digits, last = i, 0, i
            while j < len(tokens):
                digits = self._digits_in(tokens[j])
                if digits:
                    n_digits += digits
                    last = j
                elif not _SEPARATOR_ONLY.match(tokens[j].text):
                    break
                if tokens[j].raw.endswith(("?", "!")):
                    break
                j += 1
            out.append((i, last, n_digits))
            i = last + 1
        return out

    @staticmethod
    def _is_price(tokens: list[Token], first: int, last: int) -> bool:
        """ "19,99 Euro", "$19.99": one decimal amount with a currency next to it."""
        if first != last or not _PRICE.match(tokens[first].raw.rstrip(",.;:!?")):
            return False
        if tokens[first].raw[:1] in "$€£" or tokens[first].text[-1:] in "$€£":
            return True
        neighbours = [tokens[i].text.lower() for i in (first - 1, last + 1) if 0 <= i < len(tokens)]
        return any(word in CURRENCY_WORDS for word in neighbours)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        tokens = tokenize(text)
        results = []
        for first, last, n_digits in self.runs(tokens):
            if n_digits < self.min_digits:
                continue
            start, end = tokens[first].start, tokens[last].end
            if text[start:end].lower() in self.allow or self._is_price(tokens, first, last):
                continue
            entity, score = "NUMBER_SEQUENCE", 0.6
            if n_digits >= 12 and _IBAN_HEAD.match(tokens[first].text):
                entity, score = "IBAN_CODE", 0.7
            elif n_digits >= 12 and first > 0 and _COUNTRY.match(tokens[first - 1].text):
                entity, score, start = "IBAN_CODE", 0.7, tokens[first - 1].start
            results.append(RecognizerResult(entity, start, end, score,
                                            recognition_metadata={"recognizer_name": self.__class__.__name__}))
        return results
