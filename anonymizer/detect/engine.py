"""Build the Presidio analyzer (offline, en + de) and wrap it as a ``Detector``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from anonymizer.config import DetectionConfig
from anonymizer.detect import SUPPORTED_LANGUAGES
from anonymizer.models import locate_spacy
from anonymizer.types import ModelInfo, PiiSpan, Transcript

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine, EntityRecognizer


def _recognizers(language: str, config: DetectionConfig, has_ner: bool) -> list[EntityRecognizer]:
    from presidio_analyzer.predefined_recognizers import (
        CreditCardRecognizer,
        DateRecognizer,
        IbanRecognizer,
        IpRecognizer,
        PhoneRecognizer,
        SpacyRecognizer,
        UrlRecognizer,
    )

    from anonymizer.detect.addresses import AddressRecognizer
    from anonymizer.detect.dates import SpokenDateRecognizer
    from anonymizer.detect.deny_list import DenyListRecognizer
    from anonymizer.detect.email_offline import OfflineEmailRecognizer
    from anonymizer.detect.names import CueNameRecognizer
    from anonymizer.detect.numbers import NumberSequenceRecognizer
    from anonymizer.detect.spoken_email import SpokenEmailRecognizer

    recognizers: list[EntityRecognizer] = [
        # Presidio's generic recognizers, for both languages (their default is English only)
        CreditCardRecognizer(supported_language=language),
        OfflineEmailRecognizer(supported_language=language),
        IbanRecognizer(supported_language=language),
        PhoneRecognizer(supported_language=language, supported_regions=("DE", "AT", "CH", "US", "GB")),
        DateRecognizer(supported_language=language),
        UrlRecognizer(supported_language=language),
        IpRecognizer(supported_language=language),
        # ours: PII as ASR writes what people say
        NumberSequenceRecognizer(language, config.number_min_digits, tuple(config.allow)),
        SpokenEmailRecognizer(language),
        SpokenDateRecognizer(language),
        AddressRecognizer(language),
        CueNameRecognizer(language),
    ]
    if has_ner:
        recognizers.append(SpacyRecognizer(supported_language=language, supported_entities=["PERSON", "LOCATION"]))
    if config.deny:
        recognizers.append(DenyListRecognizer(language, config.deny))
    return recognizers


class PresidioDetector:
    """Presidio ``AnalyzerEngine`` over the transcript text, in the transcript's language.

    For a language we have no recognizers for, every supported language's recognizers run and
    their findings are united: when in doubt, redact.
    """

    def __init__(self, config: DetectionConfig, allow_download: bool = False) -> None:
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry

        from anonymizer.detect.nlp_engine import OfflineSpacyNlpEngine

        models: dict[str, str | None] = {lang: config.spacy_models.get(lang) for lang in SUPPORTED_LANGUAGES}
        for name in models.values():
            if name is not None:
                locate_spacy(name, allow_download)  # raises ModelUnavailableError; Presidio never downloads
        nlp_engine = OfflineSpacyNlpEngine(models)
        nlp_engine.load()
        registry = RecognizerRegistry(supported_languages=list(SUPPORTED_LANGUAGES))
        for lang in SUPPORTED_LANGUAGES:
            for recognizer in _recognizers(lang, config, has_ner=models[lang] is not None):
                registry.add_recognizer(recognizer)
        self._engine: AnalyzerEngine = AnalyzerEngine(
            registry=registry, nlp_engine=nlp_engine, supported_languages=list(SUPPORTED_LANGUAGES)
        )
        self._config = config
        self._infos = tuple(nlp_engine.infos)

    @property
    def model_infos(self) -> tuple[ModelInfo, ...]:
        return self._infos

    def detect(self, transcript: Transcript) -> list[PiiSpan]:
        if not transcript.text:
            return []
        languages = [transcript.language] if transcript.language in SUPPORTED_LANGUAGES else SUPPORTED_LANGUAGES
        spans: set[PiiSpan] = set()
        for language in languages:
            results = self._engine.analyze(
                transcript.text,
                language=language,
                entities=self._config.entities,
                score_threshold=self._config.score_threshold,
                allow_list=self._config.allow or None,
            )
            for result in results:
                metadata = result.recognition_metadata or {}
                spans.add(PiiSpan(result.start, result.end, result.entity_type, round(float(result.score), 3),
                                  str(metadata.get("recognizer_name", "unknown"))))
        return sorted(spans, key=lambda s: (s.char_start, s.char_end, s.entity_type))
