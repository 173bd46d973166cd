"""Personal-data detection: a Presidio analyzer built offline for German and English.

``build_detector(config)`` returns a ``PresidioDetector``; everything Presidio-specific lives in this
package. The recognizers are the project's own, one per module, plus Presidio's generic ones.
"""

from __future__ import annotations

from typing import Protocol

from anonymizer.types import ModelInfo, PiiSpan, Transcript

SUPPORTED_LANGUAGES = ("en", "de")


class Detector(Protocol):
    """Anything that finds personal data in a transcript."""

    @property
    def model_infos(self) -> tuple[ModelInfo, ...]: ...

    def prepare(self, language: str) -> None:
        """Get ready to detect in ``language`` (load its models); may return before that is done."""
        ...

    def detect(self, transcript: Transcript) -> list[PiiSpan]: ...
