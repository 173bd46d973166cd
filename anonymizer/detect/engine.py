"""Build the Presidio analyzer (offline, en + de) and wrap it as a ``Detector``."""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from anonymizer.config import DetectionConfig
from anonymizer.detect import SUPPORTED_LANGUAGES, Detector
from anonymizer.detect.meaning import date_is_personal
from anonymizer.errors import ModelUnavailableError
from anonymizer.models import locate_spacy
from anonymizer.types import ModelInfo, PiiSpan, Transcript

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine, EntityRecognizer

    from anonymizer.detect.tokens import Token


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

    from anonymizer.detect.addresses import AddressRecognizer, CueAddressRecognizer, CuePostcodeRecognizer
    from anonymizer.detect.banking import (
        CueExpiryRecognizer,
        CueLastDigitsRecognizer,
        SpokenCardRecognizer,
        SpokenIbanRecognizer,
    )
    from anonymizer.detect.dates import BirthDateBeforeCueRecognizer, CueBirthDateRecognizer, SpokenDateRecognizer
    from anonymizer.detect.deny_list import DenyListRecognizer
    from anonymizer.detect.email_offline import OfflineEmailRecognizer
    from anonymizer.detect.gazetteer import GazetteerNameRecognizer
    from anonymizer.detect.identifiers import IdentifierRecognizer
    from anonymizer.detect.names import CueNameRecognizer
    from anonymizer.detect.numbers import NumberSequenceRecognizer
    from anonymizer.detect.phones import SpokenPhoneRecognizer
    from anonymizer.detect.secrets import CueSecretRecognizer
    from anonymizer.detect.spelling import SpelledOutRecognizer
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
        NumberSequenceRecognizer(language, config.number_min_digits, tuple(config.allow), config.by_meaning),
        SpokenPhoneRecognizer(language),
        SpokenIbanRecognizer(language),
        SpokenCardRecognizer(language),
        CueLastDigitsRecognizer(language),
        CueExpiryRecognizer(language),
        IdentifierRecognizer(language),
        SpokenEmailRecognizer(language),
        SpokenDateRecognizer(language),
        CueBirthDateRecognizer(language),
        CueSecretRecognizer(language),
        BirthDateBeforeCueRecognizer(language),
        AddressRecognizer(language),
        CueAddressRecognizer(language),
        CuePostcodeRecognizer(language),
        CueNameRecognizer(language),
        SpelledOutRecognizer(language),
    ]
    if config.gazetteer:
        recognizers.append(GazetteerNameRecognizer(language, config.name_like_words))
    if has_ner:
        recognizers.append(SpacyRecognizer(supported_language=language, supported_entities=["PERSON", "LOCATION"]))
    if config.deny:
        recognizers.append(DenyListRecognizer(language, config.deny))
    return recognizers


class PresidioDetector:
    """Presidio ``AnalyzerEngine`` over the transcript text, in the transcript's language.

    For a language we have no recognizers for, every supported language's recognizers run and
    their findings are united: when in doubt, redact. ``language``, when known before the first
    file, has its spaCy pipeline loaded at once; the others load on first use.
    """

    def __init__(self, config: DetectionConfig, allow_download: bool = False, language: str | None = None) -> None:
        # Our spaCy pipelines run on the CPU (the small ones are fast there, and a GPU belongs to Whisper).
        # Without a device set, Presidio would probe CUDA through torch, when torch is installed.
        os.environ.setdefault("PRESIDIO_DEVICE", "cpu")
        # Presidio's DEBUG lines print the words around each finding ("Context list is: …"): personal data.
        # Only its errors show, whatever the application's logging says (its warnings are about spaCy
        # labels it does not map: "Entity WORK_OF_ART is not mapped …", on every call).
        logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
        from presidio_analyzer import RecognizerRegistry

        from anonymizer.detect.nlp_engine import OfflineSpacyNlpEngine

        models: dict[str, str | None] = {lang: config.spacy_models.get(lang) for lang in SUPPORTED_LANGUAGES}
        for name in models.values():
            if name is not None:
                locate_spacy(name, allow_download)  # raises ModelUnavailableError; Presidio never downloads
        nlp_engine = OfflineSpacyNlpEngine(models)
        nlp_engine.load()
        # a language's recognizers join the registry when the language is first needed (``prepare``): an
        # English call never builds (or runs) the German ones. The engine is made there too, with the first
        # language's recognizers (given an empty registry, Presidio would load all of its own).
        self._registry = RecognizerRegistry(supported_languages=list(SUPPORTED_LANGUAGES))
        self._engine: AnalyzerEngine | None = None
        self._config = config
        self._has_ner = {lang: name is not None for lang, name in models.items()}
        self._infos = tuple(nlp_engine.infos)
        self._nlp_engine = nlp_engine
        self._prepared: set[str] = set()
        self._lock = threading.Lock()
        if language is not None:
            self.prepare(language)

    @property
    def model_infos(self) -> tuple[ModelInfo, ...]:
        return self._infos

    def prepare(self, language: str) -> None:
        """Build the language's recognizers, load its spaCy pipeline and warm them (regexes, phone metadata).
        Idempotent and thread-safe; ``detect`` calls it for a language nobody prepared."""
        with self._lock:
            for lang in self._languages_for(language):
                if lang not in self._prepared:
                    for recognizer in _recognizers(lang, self._config, self._has_ner[lang]):
                        self._registry.add_recognizer(recognizer)
                    if self._engine is None:
                        from presidio_analyzer import AnalyzerEngine

                        self._engine = AnalyzerEngine(registry=self._registry, nlp_engine=self._nlp_engine,
                                                      supported_languages=list(SUPPORTED_LANGUAGES))
                    self._nlp_engine.preload(lang)
                    # every pattern compiles on a first call (an e-mail address would also build tldextract's
                    # suffix list, ~0.05 s: left to the first call that finds one)
                    self._engine.analyze("0151 2345 6789", language=lang)
                    self._prepared.add(lang)

    @staticmethod
    def _languages_for(language: str) -> tuple[str, ...]:
        return (language,) if language in SUPPORTED_LANGUAGES else SUPPORTED_LANGUAGES

    def detect(self, transcript: Transcript) -> list[PiiSpan]:
        if not transcript.text:
            return []
        self.prepare(transcript.language)
        languages = self._languages_for(transcript.language)
        spans: set[PiiSpan] = set()
        engine = self._engine
        assert engine is not None  # made by prepare
        for language in languages:
            results = engine.analyze(
                transcript.text,
                language=language,
                entities=self._config.entities,
                score_threshold=self._config.score_threshold,
                allow_list=self._config.allow or None,
            )
            for result in results:
                if self._config.by_meaning and result.entity_type == "DATE_TIME" \
                        and not date_is_personal(transcript.text, result.start, language, end=result.end):
                    continue  # a date of an invoice, a delivery, an appointment: not a birth date
                metadata = result.recognition_metadata or {}
                spans.add(PiiSpan(result.start, result.end, result.entity_type, round(float(result.score), 3),
                                  str(metadata.get("recognizer_name", "unknown"))))
        if self._config.by_meaning:
            spans = _without_company_and_products(spans, transcript.text, languages[0])
        if self._config.answers:
            from anonymizer.detect.answers import unanswered
            from anonymizer.detect.bare_numbers import bare_numbers

            language = languages[0]
            words = transcript.words
            one_per_token = len(words) == len(transcript.text.split())
            channels = [w.channel for w in words] if one_per_token and len({w.channel for w in words}) > 1 else None
            times_s = [(w.start_s, w.end_s) for w in words] if one_per_token else None
            spans.update(self._wanted(unanswered(transcript.text, language, sorted(spans, key=_order), channels,
                                                 times_s)))
            spans.update(self._wanted(bare_numbers(transcript.text, language, sorted(spans, key=_order))))
        from anonymizer.detect.mentions import (
            corrected_names,
            corrected_numbers,
            named_again,
            named_in_email,
            said_again,
            secrets_again,
        )

        spans.update(self._wanted(named_in_email(transcript.text, languages[0], sorted(spans, key=_order))))
        spans.update(self._wanted(corrected_names(transcript.text, languages[0], sorted(spans, key=_order))))
        spans.update(self._wanted(corrected_numbers(transcript.text, languages[0], sorted(spans, key=_order))))
        spans.update(self._wanted(named_again(transcript.text, languages[0], sorted(spans, key=_order))))
        spans.update(self._wanted(said_again(transcript.text, languages[0], sorted(spans, key=_order))))
        spans.update(self._wanted(secrets_again(transcript.text, languages[0], sorted(spans, key=_order))))
        return sorted(spans, key=_order)

    def _wanted(self, spans: list[PiiSpan]) -> list[PiiSpan]:
        """The findings of the configured entity types (all when none are configured)."""
        entities = self._config.entities
        return spans if entities is None else [s for s in spans if s.entity_type in entities]


def _without_company_and_products(spans: set[PiiSpan], text: str, language: str) -> set[PiiSpan]:
    """Name findings that are the company's own name (from how the call opens) or a brand ("Mastercard"), part
    of a product or tariff name ("Fiber Max 500") or a public place ("the depot in Memphis") are nobody's name."""
    from anonymizer.detect.companies import NAME_RECOGNIZERS, company_form_words, company_words, full_name, product_name
    from anonymizer.detect.lexicon import common_brands, lexicon, rules_language
    from anonymizer.detect.places import public_place
    from anonymizer.detect.tokens import tokenize

    tokens = tuple(tokenize(text))
    company = company_words(tokens, language) | lexicon(rules_language(language)).brands
    # by form, a name anywhere in the call; for PERSON only ("Sparkasse Köln" does not make Köln nobody's city)
    by_form = company | company_form_words(tokens, language) | common_brands()

    ranges: dict[PiiSpan, list[int]] = {}

    def token_range(span: PiiSpan) -> list[int]:
        if span not in ranges:
            ranges[span] = [i for i, t in enumerate(tokens) if t.start < span.char_end and span.char_start < t.end]
        return ranges[span]

    # where spaCy read a place, the other name findings over the same words read it so too (the gazetteer's
    # surname "Dublin")
    located = {tuple(token_range(s)) for s in spans if s.entity_type == "LOCATION" and s.recognizer in NAME_RECOGNIZERS}
    kept = set()
    for span in spans:
        if span.entity_type in ("PERSON", "LOCATION") and span.recognizer in NAME_RECOGNIZERS:
            inside = token_range(span)
            # read only for a place's name; another place is no other finding ("in Sweden, in Gothenburg")
            others = (token_range(s) for s in spans if s != span and s.entity_type != "LOCATION")
            reading = "LOCATION" if tuple(inside) in located else span.entity_type
            if span.recognizer != "CueNameRecognizer" and public_place(tokens, inside, reading, language, others):
                continue
            # a cue's name ("Uferbank Rosemann am Apparat", "My surname is Renault") is nobody's company only by
            # the call's opening; a place spaCy read may be a brand ("FedEx just left it")
            cued = span.recognizer == "CueNameRecognizer" or inside and _after_name_cue(tokens, inside[0], language)
            names = company if cued else by_form if span.entity_type == "PERSON" else company | common_brands()
            if inside and all(tokens[i].text.lower().strip(",.;:!?") in names for i in inside):
                continue
            if inside and span.recognizer != "CueNameRecognizer" and product_name(tokens, inside[0], inside[-1],
                                                                                  language) \
                    and not full_name(tokens, inside, language):  # "Hier ist Peter Schmidt 0171 …"
                continue
        kept.add(span)
    return kept


def _after_name_cue(tokens: tuple[Token, ...], first: int, language: str) -> bool:
    """Whether a name cue of the lexicon ends right before ``tokens[first]`` ("my surname is", "ich heiße")."""
    from anonymizer.detect.lexicon import lexicon, rules_language

    lex = lexicon(rules_language(language))
    before = " " + " ".join(t.text.lower().strip(",.;:!?") for t in tokens[max(0, first - 4) : first])
    return any(before.endswith(" " + cue) for cue in (*lex.strong_name_cues, *lex.weak_name_cues))


def _order(span: PiiSpan) -> tuple[int, int, str]:
    return (span.char_start, span.char_end, span.entity_type)


def check_spacy_models(config: DetectionConfig, allow_download: bool = False) -> None:
    """Fail fast (without importing spaCy) when a configured spaCy pipeline is not installed."""
    if allow_download:
        return
    for name in config.spacy_models.values():
        if name is None or Path(name).expanduser().is_dir():
            continue
        if importlib.util.find_spec(name) is None:
            raise ModelUnavailableError(
                f"spaCy model {name!r} not installed; pip install it, set detection.spacy_models to a path "
                "or to null (rules only), or allow a download with --allow-download"
            )


def import_presidio() -> None:
    """Import what every ``PresidioDetector`` needs, whatever the language (``DeferredDetector.start``)."""
    import presidio_analyzer  # noqa: F401 - imports spaCy too
    import presidio_analyzer.predefined_recognizers  # noqa: F401


def _lower_thread_priority() -> None:
    """Run this thread at nice 10 (Linux: per thread), so loading uses cycles Whisper leaves idle."""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


class DeferredDetector:
    """Builds a detector on one low-priority worker thread, in the background of transcription.

    ``start`` (the pipeline calls it just before Whisper's model loads, which leaves the GIL mostly
    free) begins importing Presidio and spaCy, ~0.7 CPU-seconds that need no language yet.
    ``prepare(language)`` (called once Whisper has detected the language and is decoding: CTranslate2
    releases the GIL then) builds the detector and that language's recognizers and spaCy pipeline
    after the imports. ``detect`` and ``model_infos`` wait for the work; an error while building is
    raised there.
    """

    def __init__(self, factory: Callable[[], Detector], imports: Callable[[], None] | None = None) -> None:
        self._factory = factory
        self._imports = imports
        self._executor: ThreadPoolExecutor | None = None
        self._built: Future[Detector] | None = None
        self._pending: list[Future[None]] = []

    def _worker(self) -> ThreadPoolExecutor:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(1, "detector-load", initializer=_lower_thread_priority)
        return self._executor

    def start(self) -> None:
        """Begin the language-independent imports on the worker thread (once; a no-op without ``imports``)."""
        if self._imports is not None and self._executor is None:
            self._pending.append(self._worker().submit(self._imports))

    def _detector_future(self) -> Future[Detector]:
        if self._built is None:
            self._built = self._worker().submit(self._factory)
        return self._built

    def _get(self) -> Detector:
        detector = self._detector_future().result()
        for pending in self._pending:
            with contextlib.suppress(Exception):  # a failed warm-up is retried (and reported) by detect
                pending.result()
        self._pending.clear()
        return detector

    @property
    def model_infos(self) -> tuple[ModelInfo, ...]:
        return self._get().model_infos

    def prepare(self, language: str) -> None:
        built = self._detector_future()
        self._pending.append(self._worker().submit(lambda: built.result().prepare(language)))

    def detect(self, transcript: Transcript) -> list[PiiSpan]:
        return self._get().detect(transcript)
