"""A spaCy NLP engine for Presidio that never downloads anything and loads pipelines on first use.

Presidio's ``SpacyNlpEngine.load`` calls ``spacy.cli.download`` for a model name it cannot load. Here
each language gets an installed package or a path, or — without one — a blank pipeline (tokens only,
no NER: the rule-based recognizers still work). A language's pipeline is loaded the first time a
transcript in that language is analyzed, so a German call never pays for the English NER model.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from typing import Any

from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine

from anonymizer.types import ModelInfo

IGNORED_NER_LABELS = ["CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT", "PRODUCT"]


def model_info(language: str, name: str | None) -> ModelInfo:
    if name is None:
        return ModelInfo(f"spacy:blank:{language}", "built-in", "rules only (no NER)")
    return ModelInfo(f"spacy:{name}", "package", name)


class _LazyPipelines(Mapping[str, Any]):
    """language -> spaCy ``Language``, loaded on first access (thread-safe)."""

    def __init__(self, models: dict[str, str | None]) -> None:
        self._models = models
        self._loaded: dict[str, Any] = {}
        self._lock = threading.Lock()

    def __getitem__(self, language: str) -> Any:
        if language not in self._models:
            raise KeyError(language)
        with self._lock:
            if language not in self._loaded:
                import spacy

                name = self._models[language]
                # a package or a path (checked by models.locate_spacy); Presidio needs tokens, lemmas and
                # entities, not the dependency parse
                self._loaded[language] = (spacy.blank(language) if name is None
                                          else spacy.load(name, exclude=["parser", "senter"]))
            return self._loaded[language]

    def __iter__(self) -> Iterator[str]:
        return iter(self._models)

    def __len__(self) -> int:
        return len(self._models)


class OfflineSpacyNlpEngine(SpacyNlpEngine):
    """``models`` maps a language code to an installed package name, a path, or None (blank)."""

    nlp: Any

    def __init__(self, models: dict[str, str | None]) -> None:
        super().__init__(
            models=[{"lang_code": lang, "model_name": name or f"blank:{lang}"} for lang, name in models.items()],
            ner_model_configuration=NerModelConfiguration(labels_to_ignore=IGNORED_NER_LABELS),
        )
        self._requested = models
        self.infos = [model_info(lang, name) for lang, name in models.items()]

    def load(self) -> None:
        self.nlp = _LazyPipelines(self._requested)

    def preload(self, language: str) -> None:
        """Load one language's pipeline now (e.g. in the background when the language is known)."""
        self.nlp[language]  # noqa: B018 - the access loads it
