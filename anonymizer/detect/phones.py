"""Phone numbers as dictated: digit runs that ``phonenumbers`` accepts for the language's regions.

"null eins fünf eins, zwei drei vier fünf, sechs sieben acht neun", "plus vier neun …",
"four one five, five five five, two six seven one", "(415) 555-2671". A valid number is
PHONE_NUMBER at 0.75; a merely possible one needs a context word ("Telefon", "reach", …) before it.
A run of up to seven digits with a harmless reading (``meaning.harmless``: "kostet aktuell 39 ,9999") is none.
"""

from __future__ import annotations

from presidio_analyzer import RecognizerResult

from anonymizer.detect.digits import DigitRun, context_near
from anonymizer.detect.lexicon import lexicon
from anonymizer.detect.meaning import harmless
from anonymizer.detect.rules import DigitRunRecognizer
from anonymizer.detect.tokens import Token

REGIONS = {"de": ("DE", "AT", "CH"), "en": ("US", "GB", "CA", "IE")}
# a number this short (a local number, no area code) may be a harmless one a reading fits ("39 ,9999" after
# "kostet": a price ASR split); a longer one is a phone number whatever its neighbours
MAX_LOCAL_DIGITS = 7


class SpokenPhoneRecognizer(DigitRunRecognizer):
    """Dictated phone numbers, checked with libphonenumber."""

    def __init__(self, supported_language: str) -> None:
        self.regions = REGIONS.get(supported_language, ("DE", "US", "GB"))
        self.context_words = lexicon(supported_language).phone_context
        super().__init__("PHONE_NUMBER", supported_language)

    def score(self, digits: str, plus: bool) -> float:
        """0.75 valid, 0.4 possible, 0 neither, for any of the regions (or internationally with a plus)."""
        import phonenumbers

        if plus or digits.startswith("00"):
            candidates: list[tuple[str, str | None]] = [("+" + digits.removeprefix("00"), None)]
        else:
            candidates = [(digits, region) for region in self.regions]
        best = 0.0
        for number, region in candidates:
            try:
                parsed = phonenumbers.parse(number, region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(parsed):
                return 0.75
            if phonenumbers.is_possible_number(parsed):
                best = 0.4
        return best

    def match(self, text: str, tokens: tuple[Token, ...], run: DigitRun) -> RecognizerResult | None:
        if not 6 <= run.n_digits <= 15:
            return None
        if run.n_digits <= MAX_LOCAL_DIGITS and harmless(tokens, run, self.supported_language):
            return None  # "kostet aktuell 39 ,9999": a price ASR split, no local number
        score = self.score(run.digits, run.plus)
        if not score or (score < 0.75 and not context_near(tokens, run.first, self.context_words)):
            return None
        return self.result(run.start, run.end, score if score >= 0.75 else 0.6)
