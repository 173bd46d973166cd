"""Names (and other words) spelled out letter by letter.

"M wie Martha, E wie Emil, I wie Ida", "S as in Sierra", "Sierra Mike India Tango Hotel",
"S M I T H", "M. E. I. E. R.": a run of spelling units — a letter followed by a joiner and a word
("wie", "für", "as in"), a spelling-alphabet word (DIN 5009 old and 2022, NATO), or a capital
letter on its own — is SPELLED_OUT at 0.7 when it holds one "X wie Y" (a name's first letter is
spelled like that too), or three or more letters, or three or more alphabet words ("Schule" or
"Berlin" alone is just a word). ASR often mangles spellings beyond recognition ("TVT -Odor.
Erwürich"); the answer to a request to spell is redacted whole by ``answers.py``. The alphabets and
joiners are in the language's lexicon.
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from anonymizer.detect.lexicon import lexicon
from anonymizer.detect.rules import RuleRecognizer
from anonymizer.detect.tokens import Token, tokenize

# a capital letter alone, also as ASR joins spelled letters: "C -O -X.", "M. E. I."
_CAPITAL_LETTER = re.compile(r"^[-–.]?(?:[A-ZÄÖÜ]|SCH)\.?$")
# letters ASR wrote as one token: "H-A-L-L", "C.O.X."
_LETTER_CHAIN = re.compile(r"^(?:[A-ZÄÖÜ][-–.]){2,}[A-ZÄÖÜ]\.?$")
_SEPARATOR = re.compile(r"^[-–—,./]+$")
MIN_UNITS = 3


class SpelledOutRecognizer(RuleRecognizer):
    """Letter-by-letter spellings."""

    def __init__(self, supported_language: str) -> None:
        lex = lexicon(supported_language)
        self.joiners = [j.split() for j in lex.spelling_joiners]
        self.alphabet = lex.spelling_alphabet
        self.letter_words = lex.letter_words
        super().__init__("SPELLED_OUT", supported_language)

    def _letter(self, token: Token) -> bool:
        word = token.text.lower().rstrip(".")
        return bool(_CAPITAL_LETTER.match(token.text)) or (len(word) <= 3 and word in self.letter_words)

    def _unit(self, tokens: list[Token], i: int, in_run: bool) -> tuple[int, bool] | None:
        """``(tokens in the unit, is a "X wie Y" unit)`` for a unit starting at ``i``."""
        if (self._letter(tokens[i]) or tokens[i].text.lower().rstrip(".") in self.alphabet) \
                and tokens[i].text[:1].isupper():  # "M wie Martha", "B for Bravo" (not "you for your")
            for joiner in self.joiners:
                n = len(joiner)
                words = [t.text.lower() for t in tokens[i + 1 : i + 1 + n]]
                if words == joiner and i + 1 + n < len(tokens) and tokens[i + 1 + n].text[:1].isupper():
                    return n + 2, True
        if tokens[i].text.lower().rstrip(".") in self.alphabet and tokens[i].text[:1].isupper():
            return 1, False
        if _CAPITAL_LETTER.match(tokens[i].text) and (in_run or tokens[i].text not in ("I", "A")):
            return 1, False
        if _LETTER_CHAIN.match(tokens[i].text):
            return 1, False
        return None

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        tokens = tokenize(text)
        results = []
        i = 0
        while i < len(tokens):
            kinds: list[str] = []  # per unit: "joiner", "alphabet" or "letter"
            ends: list[int] = []
            j = i
            while j < len(tokens):
                unit = self._unit(tokens, j, in_run=bool(kinds))
                if unit is None:
                    if _SEPARATOR.match(tokens[j].text) and kinds:
                        j += 1
                        continue
                    break
                if unit[1]:
                    kinds.append("joiner")
                elif _LETTER_CHAIN.match(tokens[j].text):  # each letter of the chain counts
                    kinds += ["letter"] * sum(ch.isalpha() for ch in tokens[j].text)
                else:
                    kinds.append("letter" if _CAPITAL_LETTER.match(tokens[j].text) else "alphabet")
                ends.append(j + unit[0] - 1)
                j += unit[0]
                if tokens[ends[-1]].raw.endswith(("?", "!")):
                    break
            while kinds and kinds[-1] == "letter" and tokens[ends[-1]].text in ("I", "A"):
                kinds.pop()  # "… India. I am": the pronoun after a spelling is not part of it
                ends.pop()
            if kinds and ("joiner" in kinds or kinds.count("letter") >= MIN_UNITS
                          or kinds.count("alphabet") >= MIN_UNITS):
                results.append(self.result(tokens[i].start, tokens[ends[-1]].end, 0.7))
                i = ends[-1] + 1
            else:
                i += 1
        return results
