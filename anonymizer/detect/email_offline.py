"""Presidio's e-mail recognizer without the network.

Its ``validate_result`` calls ``tldextract.extract``, which fetches the public suffix list on first use.
This one uses tldextract's bundled snapshot and no cache directory: no HTTP, no disk writes.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from presidio_analyzer.predefined_recognizers import EmailRecognizer


class OfflineEmailRecognizer(EmailRecognizer):
    """``EmailRecognizer`` validated against tldextract's bundled suffix snapshot."""

    @cached_property
    def _extract(self) -> Any:
        import tldextract

        return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)

    def validate_result(self, pattern_text: str) -> bool:
        return bool(self._extract(pattern_text).fqdn)
