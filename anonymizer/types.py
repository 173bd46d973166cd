"""Small typed values passed between the pipeline stages.

Every stage takes and returns these; no dicts cross a module boundary. Times are in seconds
(``*_s``) relative to the start of the file; character offsets index ``Transcript.text``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np


@dataclass(frozen=True, eq=False)
class Audio:
    """Decoded audio: float32 samples in [-1, 1], shaped ``(n_samples, n_channels)``.

    ``container`` and ``codec`` remember where the audio came from so the writer can keep
    the input's format.
    """

    samples: np.ndarray
    sample_rate_hz: int
    container: str = "wav"
    codec: str = "pcm_s16le"
    non_finite_samples: int = 0  # NaN/Inf samples the decoder found (and set to 0)

    def __post_init__(self) -> None:
        if self.samples.ndim != 2:
            raise ValueError(f"samples must be 2-D (n_samples, n_channels), got shape {self.samples.shape}")
        if self.sample_rate_hz <= 0:
            raise ValueError(f"sample_rate_hz must be positive, got {self.sample_rate_hz}")

    @property
    def n_samples(self) -> int:
        return int(self.samples.shape[0])

    @property
    def n_channels(self) -> int:
        return int(self.samples.shape[1])

    @property
    def duration_s(self) -> float:
        return self.n_samples / self.sample_rate_hz

    def with_samples(self, samples: np.ndarray) -> Audio:
        """A copy with new samples and the same rate and format."""
        return Audio(samples, self.sample_rate_hz, self.container, self.codec)

    def channel(self, index: int | None) -> Audio:
        """Channel ``index`` alone (a view); ``None``: all channels."""
        return self if index is None else self.with_samples(self.samples[:, index : index + 1])


@dataclass(frozen=True, order=True)
class TimeSpan:
    """A half-open interval ``[start_s, end_s)`` in seconds.

    >>> TimeSpan(1.0, 2.5).duration_s
    1.5
    >>> TimeSpan(1.0, 2.0) & TimeSpan(1.5, 3.0)
    TimeSpan(start_s=1.5, end_s=2.0)
    >>> TimeSpan(1.0, 2.0) | TimeSpan(1.5, 3.0)
    TimeSpan(start_s=1.0, end_s=3.0)
    """

    start_s: float
    end_s: float

    def __post_init__(self) -> None:
        if self.end_s < self.start_s:
            raise ValueError(f"end_s ({self.end_s}) before start_s ({self.start_s})")

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    def overlaps(self, other: TimeSpan) -> bool:
        return self.start_s < other.end_s and other.start_s < self.end_s

    def contains(self, other: TimeSpan) -> bool:
        return self.start_s <= other.start_s and other.end_s <= self.end_s

    def __and__(self, other: TimeSpan) -> TimeSpan:
        start_s, end_s = max(self.start_s, other.start_s), min(self.end_s, other.end_s)
        return TimeSpan(start_s, max(start_s, end_s))

    def __or__(self, other: TimeSpan) -> TimeSpan:
        return TimeSpan(min(self.start_s, other.start_s), max(self.end_s, other.end_s))


# a word without digits longer than this, and longer than this per letter, is no word's real duration
STRETCHED_MIN_S = 1.5
STRETCHED_PER_LETTER_S = 0.25


@dataclass(frozen=True)
class Word:
    """One transcribed word, with its place in ``Transcript.text``."""

    text: str
    start_s: float
    end_s: float
    probability: float
    char_start: int
    char_end: int
    channel: int = 0

    @property
    def has_digit(self) -> bool:
        """Whether ASR wrote a digit in it ("19.", "D0374", "$20")."""
        return any(ch.isdigit() for ch in self.text)

    @property
    def stretched(self) -> bool:
        """Whether Whisper stretched it over a silence (or over what it did not write): a word without a
        digit longer than ``STRETCHED_MIN_S`` and ``STRETCHED_PER_LETTER_S`` per letter says nothing about
        where speech is. A number's word may be long ("1951" is "neunzehnhunderteinundfünfzig").

        >>> Transcript.from_words([(" unter", 55.39, 61.71, 0.7), (" Abschlagszahlung", 1.0, 2.9, 0.9)],
        ...                       "de").words[0].stretched
        True
        """
        letters = sum(ch.isalpha() for ch in self.text)
        return not self.has_digit and self.end_s - self.start_s > max(STRETCHED_MIN_S, STRETCHED_PER_LETTER_S * letters)


@dataclass(frozen=True)
class Transcript:
    """The words of a file joined by single spaces into ``text``.

    Invariant: ``text[w.char_start:w.char_end] == w.text`` for every word.
    """

    text: str
    words: tuple[Word, ...]
    language: str
    language_probability: float = 1.0

    @cached_property
    def _char_ends(self) -> list[int] | None:
        """The words' character ends when they are in text order (they are, when built here), else None."""
        ends = [w.char_end for w in self.words]
        in_order = all(a.char_end <= b.char_start for a, b in zip(self.words, self.words[1:], strict=False))
        return ends if in_order else None

    def word_range(self, char_start: int, char_end: int) -> tuple[int, int]:
        """``[first, last)``: the indices of the words overlapping ``[char_start, char_end)`` (O(log n)).

        >>> t = Transcript.from_words([(" call", 0.0, 0.3, 1.0), (" 0151", 0.4, 0.9, 1.0), (" now", 1.0, 1.2, 1.0)],
        ...                           "en")
        >>> t.word_range(3, 7), t.word_range(5, 9), t.word_range(20, 30)
        ((0, 2), (1, 2), (3, 3))
        """
        ends = self._char_ends
        if ends is None:
            inside = [k for k, w in enumerate(self.words) if w.char_start < char_end and char_start < w.char_end]
            return (inside[0], inside[-1] + 1) if inside else (len(self.words), len(self.words))
        first = last = bisect_right(ends, char_start)
        while last < len(self.words) and self.words[last].char_start < char_end:
            last += 1
        return first, last

    @staticmethod
    def from_words(
        words: list[tuple[str, float, float, float]], language: str, language_probability: float = 1.0
    ) -> Transcript:
        """Build a transcript from ``(text, start_s, end_s, probability)`` tuples.

        >>> t = Transcript.from_words([(" Hello", 0.0, 0.4, 0.9), (" Anna.", 0.5, 0.9, 0.8)], "en")
        >>> t.text
        'Hello Anna.'
        >>> t.words[1].char_start, t.words[1].char_end
        (6, 11)
        """
        parts: list[str] = []
        out: list[Word] = []
        pos = 0
        for text, start_s, end_s, probability in words:
            token = text.strip()
            if not token:
                continue
            if parts:
                parts.append(" ")
                pos += 1
            out.append(Word(token, start_s, end_s, probability, pos, pos + len(token)))
            parts.append(token)
            pos += len(token)
        return Transcript("".join(parts), tuple(out), language, language_probability)


def interleave(transcripts: list[tuple[int, Transcript]]) -> Transcript:
    """The words of several channels' transcripts in time order, as one dialogue transcript.

    Detection needs the other side of the call: the agent asks "your e-mail address?" on one channel,
    the customer answers on the other. Each word keeps its ``channel``.

    >>> a = Transcript.from_words([(" IBAN?", 0.0, 0.5, 1.0)], "de")
    >>> b = Transcript.from_words([(" DE89", 1.0, 1.5, 1.0)], "de")
    >>> d = interleave([(0, a), (1, b)])
    >>> d.text, [w.channel for w in d.words]
    ('IBAN? DE89', [0, 1])
    """
    ordered = sorted(((w.start_s, channel, w) for channel, t in transcripts for w in t.words),
                     key=lambda item: (item[0], item[1]))
    words: list[Word] = []
    parts: list[str] = []
    pos = 0
    for _, channel, word in ordered:
        if parts:
            parts.append(" ")
            pos += 1
        words.append(Word(word.text, word.start_s, word.end_s, word.probability, pos, pos + len(word.text), channel))
        parts.append(word.text)
        pos += len(word.text)
    first = transcripts[0][1] if transcripts else Transcript("", (), "unknown", 0.0)
    return Transcript("".join(parts), tuple(words), first.language, first.language_probability)


@dataclass(frozen=True)
class PiiSpan:
    """Personal data found in a transcript: a character range and what it is."""

    char_start: int
    char_end: int
    entity_type: str
    score: float
    recognizer: str


@dataclass(frozen=True)
class Redaction:
    """A time range to redact, and why (and which transcript characters caused it).

    ``channel`` is the channel whose transcript held the finding (None: the mix of all channels);
    by default the range is redacted on every channel (echo and crosstalk leak).
    """

    start_s: float
    end_s: float
    entity_type: str
    score: float
    recognizer: str
    char_start: int = -1
    char_end: int = -1
    channel: int | None = None

    @property
    def span(self) -> TimeSpan:
        return TimeSpan(self.start_s, self.end_s)


class _StrEnum(str, Enum):
    """A status that is its value in JSON, logs and f-strings."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)


class FileStatus(_StrEnum):
    OK = "ok"
    FAILED = "failed"


class VerifyStatus(_StrEnum):
    PASS = "PASS"
    REVIEW = "REVIEW"
    FAIL = "FAIL"


@dataclass(frozen=True)
class Finding:
    """One reason of a verification, by entity type and time — never the text."""

    level: VerifyStatus  # FAIL or REVIEW
    reason: str
    entity_type: str = ""
    start_s: float = -1.0
    end_s: float = -1.0
    channel: int | None = None


@dataclass(frozen=True)
class Verdict:
    """``anonymizer verify``'s answer: FAIL when any finding fails, REVIEW when any needs a listen."""

    status: VerifyStatus
    findings: tuple[Finding, ...] = ()
    checked_items: int = 0
    model: str = ""

    @staticmethod
    def of(findings: list[Finding], checked_items: int, model: str) -> Verdict:
        levels = {f.level for f in findings}
        status = (VerifyStatus.FAIL if VerifyStatus.FAIL in levels
                  else VerifyStatus.REVIEW if VerifyStatus.REVIEW in levels else VerifyStatus.PASS)
        return Verdict(status, tuple(findings), checked_items, model)

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status.value, "checked_items": self.checked_items, "model": self.model,
                "findings": [{"level": f.level.value, "reason": f.reason, "entity_type": f.entity_type,
                              "start_s": f.start_s, "end_s": f.end_s, "channel": f.channel} for f in self.findings]}

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> Verdict:
        return Verdict(VerifyStatus(data["status"]),
                       tuple(Finding(VerifyStatus(f["level"]), f["reason"], f.get("entity_type", ""),
                                     float(f.get("start_s", -1.0)), float(f.get("end_s", -1.0)), f.get("channel"))
                             for f in data.get("findings", ())),
                       int(data.get("checked_items", 0)), str(data.get("model", "")))


@dataclass(frozen=True)
class ModelInfo:
    """Which model was used and where it was found (path, package, cache or download)."""

    name: str
    source: str
    location: str


@dataclass(frozen=True)
class StageTiming:
    stage: str
    wall_s: float


@dataclass(frozen=True)
class FileResult:
    """What happened to one input file: what callers (CLI, batch, Ray) need, so nobody re-reads a report."""

    input_path: Path
    status: FileStatus
    output_path: Path | None = None
    report_path: Path | None = None
    error: str | None = None
    redactions: tuple[Redaction, ...] = ()
    timings: tuple[StageTiming, ...] = ()
    verification: VerifyStatus | None = None  # with --verify
    output_sha256: str | None = None
    duration_s: float = 0.0  # of the input
    models: tuple[ModelInfo, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status is FileStatus.OK
