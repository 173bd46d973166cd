"""Names (and other words) spelled out letter by letter.

"M wie Martha, E wie Emil, I wie Ida", "S as in Sierra", "Sierra Mike India Tango Hotel",
"S M I T H", "M. E. I. E. R.": a run of spelling units — a letter followed by a joiner and a word
("wie", "für", "as in"), a spelling-alphabet word (DIN 5009 old and 2022, NATO), or a capital
letter on its own — is SPELLED_OUT at 0.7 when it holds one "X wie Y" (a name's first letter is
spelled like that too), or three or more letters, or three or more alphabet words ("Schule" or
"Berlin" alone is just a word). ASR often mangles spellings beyond recognition ("TVT -Odor.
Erwürich"); the answer to a request to spell is redacted whole by ``answers.py``. The alphabets and
joiners are in the language's lexicon.

ASR garbles spellings in set ways, which count as units too: a short word where the letter was said
before an alphabet word ("Harvey Heinrich, Obi Otto" for "H wie Heinrich, O wie Otto"; "LED for echo"),
a repeat word ("zweimal F", "double L"), and inside a run a near miss of an alphabet word ("Nordkohl")
or of a separator ("Windestrich"; ``fuzzy.closest``). Such a misheard unit counts as an alphabet word,
so three are needed, as for "Hamburg, Berlin, Köln". Once a run is a spelling, up to ``MAX_GAP_TOKENS``
words ASR garbled beyond recognition ("Otto, Esri -Sarmul, E .V. Emil") do not end it when a sure unit
follows within the sentence; and after a spelling ending in a period, ASR's one- and two-word sentences
that follow it are more of it ("S. O. N. Halter. No member. Melter. Echo." for a spelling alphabet), up to a
reply, an acknowledgement, a question or a longer sentence.
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from anonymizer.detect.fuzzy import closest
from anonymizer.detect.lexicon import lexicon, stop_words
from anonymizer.detect.names import TITLES
from anonymizer.detect.rules import RuleRecognizer
from anonymizer.detect.tokens import Token, tokenize

# a capital letter alone, also as ASR joins spelled letters: "C -O -X.", "M. E. I."
_CAPITAL_LETTER = re.compile(r"^[-–.]?(?:[A-ZÄÖÜ]|SCH)\.?$")
# letters ASR wrote as one token: "H-A-L-L", "C.O.X."
# "S for Sam" as ASR writes it when "for" sounds like four: "S4th", "M4neri", "H4" — one letter each (English)
_LETTER_FOR = re.compile(r"^[A-Z]4[a-z]*$")
_LETTER_CHAIN = re.compile(r"^(?:[A-ZÄÖÜ][-–.]){2,}[A-ZÄÖÜ]\.?$")
_SEPARATOR = re.compile(r"^[-–—,./]+$")
MIN_UNITS = 3
MAX_MISHEARD_LETTER = 6  # "Harvey", "Emilie": what ASR writes for "H wie", "M wie"
MIN_NEAR_CHARS = 4  # a near miss of an alphabet word counts inside a run only, from this length ("Körn")
MAX_GAP_TOKENS = 4  # words ASR garbled beyond recognition inside a run ("Otto, Esri -Sarmul, E .V. Emil")
# after a spelling, ASR's one- and two-word sentences go on spelling: a spelling alphabet said unit by unit,
# garbled ("S. O. N. Halter. No member. Melter. Echo. Row. No tier." for "Alpha, November, Delta, Echo, …")
MAX_STACCATO_SENTENCES = 10
MAX_STACCATO_WORDS = 2
MAX_STACCATO_CHARS = 10
# what a one-word sentence after a spelling is when it is no letter: the other side's reply
REPLIES = frozenset({"yes", "yeah", "yep", "no", "nope", "okay", "ok", "right", "correct", "exactly", "mhm", "hm",
                     "uh", "um", "ja", "nein", "jawohl", "genau", "richtig", "äh", "ähm"})


def _ends_sentence(token: Token) -> bool:
    """A word ending a sentence; a spelled letter's period ("R.", ".V.") ends none."""
    return token.ends_sentence and len(token.text) > 2


class SpelledOutRecognizer(RuleRecognizer):
    """Letter-by-letter spellings."""

    def __init__(self, supported_language: str) -> None:
        lex = lexicon(supported_language)
        self.joiners = [j.split() for j in lex.spelling_joiners]
        self.alphabet = lex.spelling_alphabet
        self.letter_words = lex.letter_words
        self.alphabet_words = frozenset(lex.spelling_alphabet)
        self.repeats = lex.spelling_repeats
        self.separators = lex.separator_words
        self.language = lex.language
        self.stop_words = stop_words(lex.language)
        self.not_spelled = self.stop_words | lex.acknowledgements | REPLIES
        self.letter_for = lex.homophones.get("for") == 4 and ["for"] in self.joiners
        super().__init__("SPELLED_OUT", supported_language)

    def _letter(self, token: Token) -> bool:
        word = token.text.lower().rstrip(".")
        return bool(_CAPITAL_LETTER.match(token.text)) or (len(word) <= 3 and word in self.letter_words)

    def _alphabet(self, token: Token, near: bool, capital: bool = True) -> bool:
        """A (capitalized) spelling-alphabet word; with ``near``, also a near miss of one ("Nordkohl")."""
        if capital and not token.text[:1].isupper():
            return False
        word = token.text.lower().rstrip(".")
        return word in self.alphabet or (near and closest(word, self.alphabet_words, self.language,
                                                          MIN_NEAR_CHARS) is not None)

    def _misheard_letter(self, token: Token) -> bool:
        """A short word where a letter was said: "Harvey Heinrich" (H wie Heinrich), "LED for echo"."""
        return (token.text[:1].isupper() and token.text.isalpha() and len(token.text) <= MAX_MISHEARD_LETTER
                and token.raw == token.text and token.text.lower() not in self.stop_words
                and token.text.lower() not in TITLES)  # "Herr Otto" is a name

    def _unit(self, tokens: list[Token], i: int, in_run: bool) -> tuple[int, str, int] | None:
        """``(tokens in the unit, its kind, letters it spells)`` for a unit starting at ``i``; kinds: "joiner"
        ("M wie Martha"), "alphabet" ("Martha"; "Harvey Heinrich", a misheard letter and its word), "letter"."""
        token, after = tokens[i], tokens[i + 1] if i + 1 < len(tokens) else None
        letter_like = self._letter(token) or token.text.lower().rstrip(".") in self.alphabet
        for joiner in self.joiners:
            n = len(joiner)
            words = [t.text.lower() for t in tokens[i + 1 : i + 1 + n]]
            if words != joiner or i + 1 + n >= len(tokens):
                continue
            word = tokens[i + 1 + n]
            lower_ok = self._alphabet(word, near=False, capital=False) and (n > 1 or token.text not in ("I", "A"))
            if letter_like and token.text[:1].isupper() and (word.text[:1].isupper() or lower_ok):
                # "M wie Martha", "B for Bravo", "A as in alpha"; not "you for your", "I like golf"
                return n + 2, "joiner", 1
            if self._misheard_letter(token) and tokens[i + n].raw == tokens[i + n].text \
                    and self._alphabet(word, near=False, capital=False):
                return n + 2, "alphabet", 1  # "LED for echo"
        if self._alphabet(token, near=in_run):
            return 1, "alphabet", 1
        if _CAPITAL_LETTER.match(token.text) and (in_run or token.text not in ("I", "A")):
            return 1, "letter", 1
        if self.letter_for and _LETTER_FOR.match(token.text):  # "S4th": "S for …" (a joiner); "H4": a letter
            return 1, "joiner" if len(token.text) > 3 else "letter", 1
        if _LETTER_CHAIN.match(token.text):  # each letter of the chain counts
            return 1, "letter", sum(ch.isalpha() for ch in token.text)
        head, _, letter = token.text.rstrip(",.;:!?").rpartition("-")
        if head.lower() in self.repeats and _CAPITAL_LETTER.match(letter) \
                and not (self.language == "en" and letter == "A"):  # "double-A batteries", "triple-A"
            return 1, "joiner", 1  # "Doppel-L": written so, a spelling of its own
        if after is not None and token.text.lower() in self.repeats and not token.raw.endswith((",", ".", "?", "!")):
            unit = self._unit(tokens, i + 1, in_run=True)  # "zweimal F", "double L for London"
            if unit is not None:
                return unit[0] + 1, unit[1], unit[2]
            if in_run and after.text.isalpha() and len(after.text) <= MAX_MISHEARD_LETTER:
                return 2, "letter", 1  # "zweimal App": the letter misheard
        if after is not None and self._misheard_letter(token) and self._alphabet(after, near=in_run):
            return 2, "alphabet", 1
        return None

    @staticmethod
    def _spelling(kinds: list[str]) -> bool:
        """Units that make a spelling: one "X wie Y", or three letters, or three alphabet words."""
        return "joiner" in kinds or kinds.count("letter") >= MIN_UNITS or kinds.count("alphabet") >= MIN_UNITS

    def _gap(self, tokens: list[Token], j: int) -> int:
        """How many tokens from ``j`` (at most ``MAX_GAP_TOKENS``, none ending a sentence, the run before not
        ended either) lie between a spelling and its next sure unit: a joiner unit, an alphabet word or a capital
        letter other than "I"/"A". 0: the run has ended."""
        if _ends_sentence(tokens[j - 1]):
            return 0
        for n in range(1, MAX_GAP_TOKENS + 1):
            if j + n >= len(tokens) or _ends_sentence(tokens[j + n - 1]):
                return 0
            unit = self._unit(tokens, j + n, in_run=False)
            if unit is not None and (unit[1] != "letter" or tokens[j + n].text not in ("I", "A")):
                return n
        return 0

    def _staccato_tail(self, tokens: list[Token], j: int) -> int:
        """The last token of the one- and two-word sentences from ``j`` on that go on a spelling (``j - 1`` if
        none): short words, not all of them stop words, replies or acknowledgements ("Row. No tier. Rocker."
        yes; "Okay. Thanks." no); a question or a longer sentence ends them."""
        last, k = j - 1, j
        for _ in range(MAX_STACCATO_SENTENCES):
            end = k
            while end < len(tokens) and end - k < MAX_STACCATO_WORDS - 1 and not tokens[end].raw.endswith(
                    (".", "?", "!")):
                end += 1
            if end >= len(tokens) or not tokens[end].raw.endswith((".", "!")):
                break
            words = [t.text.lower().strip("-–") for t in tokens[k : end + 1]]
            if not all(w.isalpha() and len(w) <= MAX_STACCATO_CHARS for w in words) \
                    or all(w in self.not_spelled for w in words):
                break
            last, k = end, end + 1
        return last

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
                    if kinds and (_SEPARATOR.match(tokens[j].text)
                                  or closest(tokens[j].text, self.separators, self.language)):
                        j += 1  # "K, O, C, H, Windestrich, W": a (misheard) separator inside the run
                        continue
                    gap = self._gap(tokens, j) if self._spelling(kinds) else 0
                    if gap:
                        j += gap  # a spelling goes on after a few garbled words
                        continue
                    break
                kinds += [unit[1]] * unit[2]
                ends += [j + unit[0] - 1] * unit[2]
                j += unit[0]
                if tokens[ends[-1]].raw.endswith(("?", "!")):
                    break
            while kinds and kinds[-1] == "letter" and tokens[ends[-1]].text in ("I", "A") \
                    and ends[-1] + 1 < len(tokens) and not tokens[ends[-1]].ends_sentence:
                kinds.pop()  # "… India. I am": the pronoun after a spelling is not part of it; "T S A I." is
                ends.pop()
            if self._spelling(kinds):
                if tokens[ends[-1]].raw.endswith("."):
                    ends.append(self._staccato_tail(tokens, ends[-1] + 1))
                results.append(self.result(tokens[i].start, tokens[ends[-1]].end, 0.7))
                i = ends[-1] + 1
            else:
                i += 1
        return results
