"""Customer, contract, account, order … numbers, confirmed by the word that announces them.

"Meine Kundennummer ist K D vier sieben eins eins", "Vertragsnummer: 12 34", "my account number is
A B 7 7 1 9": a digit run of 2+ digits starting within a few words after a context word from the
lexicon, with up to three single letters written just before it, is ID_NUMBER (0.7). Short IDs
that the NUMBER_SEQUENCE net lets through are caught here.
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult

from anonymizer.detect.digits import DigitRun, context_near
from anonymizer.detect.lexicon import lexicon
from anonymizer.detect.rules import DigitRunRecognizer
from anonymizer.detect.tokens import Token

_LETTER = re.compile(r"^[A-Za-zÄÖÜäöü]\.?$")
MAX_PREFIX_LETTERS = 3


class IdentifierRecognizer(DigitRunRecognizer):
    """Identifiers announced by a context word."""

    def __init__(self, supported_language: str) -> None:
        lex = lexicon(supported_language)
        self.context_words = lex.id_context
        self.letter_words = lex.letter_words
        self.window = lex.id_max_gap_words + 2  # the context phrase itself may be two words
        super().__init__("ID_NUMBER", supported_language)

    def match(self, text: str, tokens: tuple[Token, ...], run: DigitRun) -> RecognizerResult | None:
        if run.n_digits < 2:
            return None
        first = run.first
        while first > 0 and run.first - first < MAX_PREFIX_LETTERS and _LETTER.match(tokens[first - 1].text):
            first -= 1
        if not context_near(tokens, first, self.context_words, self.window):
            return None
        return self.result(tokens[first].start, run.end, 0.7)
