"""The user's own list of words that must always be redacted (``--deny``), matched whole-word."""

from __future__ import annotations

import re

from presidio_analyzer import Pattern, PatternRecognizer


class DenyListRecognizer(PatternRecognizer):
    """Each deny-list phrase, case-insensitive, as a whole word; reported as DENY_LIST."""

    def __init__(self, supported_language: str, phrases: list[str]) -> None:
        patterns = [Pattern(f"deny {i}", rf"(?i)(?<!\w){re.escape(p)}(?!\w)", 1.0) for i, p in enumerate(phrases)]
        super().__init__(supported_entity="DENY_LIST", patterns=patterns, supported_language=supported_language,
                         name="DenyListRecognizer")
