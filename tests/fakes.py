"""Fakes implementing the engine protocols, for fast tests without models."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from anonymizer.types import ModelInfo, PiiSpan, TimeSpan, Transcript


class FakeTranscriber:
    """Returns a scripted transcript: ``(word, start_s, end_s)`` triples."""

    def __init__(self, words: list[tuple[str, float, float]], language: str = "en") -> None:
        self.words = words
        self.language = language
        self.calls: list[tuple[int, list[TimeSpan], str | None]] = []

    @property
    def model_info(self) -> ModelInfo:
        return ModelInfo("fake", "test", "tests/fakes.py")

    def transcribe(self, mono_16k: np.ndarray, speech: list[TimeSpan], language: str | None,
                   on_language: Callable[[str], None] | None = None) -> Transcript:
        self.calls.append((len(mono_16k), speech, language))
        if on_language is not None:
            on_language(language or self.language)
        return Transcript.from_words([(w, s, e, 0.9) for w, s, e in self.words], language or self.language)


class FakeDetector:
    """Flags every word matching ``pattern`` as ``entity_type``."""

    def __init__(self, pattern: str = r"\d{4,}|Anna", entity_type: str = "PERSON") -> None:
        self.pattern = re.compile(pattern)
        self.entity_type = entity_type

    @property
    def model_infos(self) -> tuple[ModelInfo, ...]:
        return (ModelInfo("fake-detector", "test", "tests/fakes.py"),)

    def prepare(self, language: str) -> None:
        self.prepared = language

    def detect(self, transcript: Transcript) -> list[PiiSpan]:
        return [PiiSpan(m.start(), m.end(), self.entity_type, 0.9, "FakeDetector")
                for m in self.pattern.finditer(transcript.text)]


class ExplodingDetector(FakeDetector):
    def detect(self, transcript: Transcript) -> list[PiiSpan]:
        raise RuntimeError("detector crashed")
