"""The bases of the project's rule recognizers: one entity type, one language, nothing to load; and
those that judge each dictated digit run (phone, IBAN, card, identifier, number sequence)."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from anonymizer.detect.digits import DigitRun, digit_runs
from anonymizer.detect.tokens import Token


class RuleRecognizer(EntityRecognizer):
    """A Presidio recognizer of ``entity`` written in Python rules; ``result`` tags its findings."""

    def __init__(self, entity: str, supported_language: str) -> None:
        self.entity = entity
        super().__init__(supported_entities=[entity], supported_language=supported_language,
                         name=type(self).__name__)

    def load(self) -> None:
        pass

    def result(self, start: int, end: int, score: float) -> RecognizerResult:
        return RecognizerResult(self.entity, start, end, score,
                                recognition_metadata={"recognizer_name": type(self).__name__})


class DigitRunRecognizer(RuleRecognizer):
    """A rule recognizer over dictated digit runs (``digits.digit_runs``): ``match`` judges each run."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        tokens, runs = digit_runs(text, self.supported_language)
        return [result for run in runs if (result := self.match(text, tokens, run)) is not None]

    def match(self, text: str, tokens: tuple[Token, ...], run: DigitRun) -> RecognizerResult | None:
        raise NotImplementedError
