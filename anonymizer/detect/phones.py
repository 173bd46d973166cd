"""Phone numbers as dictated: digit runs that ``phonenumbers`` accepts for the language's regions.

"null eins fünf eins, zwei drei vier fünf, sechs sieben acht neun", "plus vier neun …",
"four one five, five five five, two six seven one", "(415) 555-2671". A valid number is
PHONE_NUMBER at 0.75; a merely possible one needs a context word ("Telefon", "reach", …) before it.
"""

from __future__ import annotations

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from anonymizer.detect.digits import context_near, digit_runs
from anonymizer.detect.lexicon import lexicon
from anonymizer.detect.rules import RuleRecognizer

REGIONS = {"de": ("DE", "AT", "CH"), "en": ("US", "GB", "CA", "IE")}


class SpokenPhoneRecognizer(RuleRecognizer):
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

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        tokens, runs = digit_runs(text, self.supported_language)
        results = []
        for run in runs:
            if not 6 <= run.n_digits <= 15:
                continue
            score = self.score(run.digits, run.plus)
            if score and score < 0.75 and not context_near(tokens, run.first, self.context_words):
                continue
            if score:
                results.append(self.result(run.start, run.end, score if score >= 0.75 else 0.6))
        return results
