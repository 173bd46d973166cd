"""A spaCy NLP engine for Presidio that never downloads anything.

Presidio's ``SpacyNlpEngine.load`` calls ``spacy.cli.download`` for a model name it cannot load. Here
each language gets an installed package or a path, or — without one — a blank pipeline (tokens only,
no NER: the rule-based recognizers still work).
"""

from __future__ import annotations

from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine

from anonymizer.types import ModelInfo


class OfflineSpacyNlpEngine(SpacyNlpEngine):  # type: ignore[misc]
    """``models`` maps a language code to an installed package name, a path, or None (blank)."""

    def __init__(self, models: dict[str, str | None]) -> None:
        super().__init__(
            models=[{"lang_code": lang, "model_name": name or f"blank:{lang}"} for lang, name in models.items()],
            ner_model_configuration=NerModelConfiguration(labels_to_ignore=["CARDINAL", "ORDINAL", "QUANTITY",
                                                                            "MONEY", "PERCENT", "PRODUCT"]),
        )
        self._requested = models
        self.infos: list[ModelInfo] = []

    def load(self) -> None:
        import spacy

        self.nlp = {}
        self.infos = []
        for lang, name in self._requested.items():
            if name is None:
                self.nlp[lang] = spacy.blank(lang)
                self.infos.append(ModelInfo(f"spacy:blank:{lang}", "built-in", "rules only (no NER)"))
            else:
                self.nlp[lang] = spacy.load(name)  # a package or a path, checked by models.locate_spacy
                self.infos.append(ModelInfo(f"spacy:{name}", "package", name))
