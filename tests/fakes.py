"""Fakes implementing the engine protocols, for fast tests without models."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from anonymizer.types import ModelInfo, PiiSpan, TimeSpan, Transcript

if TYPE_CHECKING:
    from anonymizer.config import Config
    from anonymizer.pipeline import Pipeline


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
                   on_language: Callable[[str], None] | None = None,
                   on_progress: Callable[[float], None] | None = None) -> Transcript:
        self.calls.append((len(mono_16k), speech, language))
        if on_language is not None:
            on_language(language or self.language)
        if on_progress is not None:
            for k in range(1, 5):
                on_progress(k / 4)
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


class FakeWorkers(list):
    """A pipeline factory (``run_batch(..., pipeline_factory=…)``, the CLI's ``obj``) that builds pipelines
    with fake engines saying ``words`` and remembers the config of each one it built (one per worker)."""

    def __init__(self, words: list[tuple[str, float, float]] | None = None) -> None:
        super().__init__()
        self.words = words if words is not None else [("Hi", 0.1, 0.3), ("Anna", 0.4, 0.7)]

    def __call__(self, config: Config) -> Pipeline:
        from anonymizer.pipeline import Pipeline

        self.append(config)
        return Pipeline(config, FakeTranscriber(self.words), FakeDetector())
