"""The base of the project's rule recognizers: one entity type, one language, nothing to load."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer, RecognizerResult


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
