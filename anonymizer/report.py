"""The JSON report written next to each output, and the redacted transcript.

Entity types, times, scores and recognizers only; raw transcript text (which holds the personal
data) only when the user asks for it (``include_text``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from anonymizer import __version__
from anonymizer.spans import total_duration_s
from anonymizer.types import ModelInfo, PiiSpan, Redaction, StageTiming, Transcript

REPORT_SCHEMA_VERSION = 1
# When findings overlap, the placeholder names the most specific one.
GENERIC_ENTITIES = ("NUMBER_SEQUENCE", "DATE_TIME", "LOCATION", "DENY_LIST")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def redacted_text(transcript: Transcript, spans: list[PiiSpan]) -> str:
    """The transcript with each detected span (merged with overlapping ones) as ``[ENTITY]``.

    >>> t = Transcript.from_words([(" call", 0, 1, 1), (" Anna", 1, 2, 1), (" on", 2, 3, 1), (" 0151", 3, 4, 1)], "en")
    >>> redacted_text(t, [PiiSpan(5, 9, "PERSON", 0.8, "r"), PiiSpan(13, 17, "NUMBER_SEQUENCE", 0.6, "r"),
    ...                   PiiSpan(13, 17, "PHONE_NUMBER", 0.4, "r")])
    'call [PERSON] on [PHONE_NUMBER]'
    """
    text = transcript.text
    groups: list[tuple[int, int, list[PiiSpan]]] = []
    for span in sorted(spans, key=lambda s: (s.char_start, s.char_end)):
        if groups and span.char_start < groups[-1][1]:
            start, end, members = groups[-1]
            groups[-1] = (start, max(end, span.char_end), [*members, span])
        else:
            groups.append((span.char_start, span.char_end, [span]))
    out, pos = [], 0
    for start, end, members in groups:
        best = max(members, key=lambda s: (s.entity_type not in GENERIC_ENTITIES, s.char_end - s.char_start, s.score))
        out.append(text[pos:start])
        out.append(f"[{best.entity_type}]")
        pos = end
    out.append(text[pos:])
    return "".join(out)


@dataclass(frozen=True)
class FileFacts:
    path: Path
    sha256: str
    duration_s: float
    sample_rate_hz: int
    n_channels: int

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "sha256": self.sha256, "duration_s": round(self.duration_s, 3),
                "sample_rate_hz": self.sample_rate_hz, "channels": self.n_channels}


@dataclass(frozen=True)
class Report:
    input: FileFacts
    output: FileFacts
    config: dict[str, Any]
    config_hash: str
    models: tuple[ModelInfo, ...]
    language: str
    language_probability: float
    redactions: tuple[Redaction, ...]
    transcript_redacted: str
    timings: tuple[StageTiming, ...]
    status: str = "ok"
    voice_transform: tuple[str, ...] = ()
    transcript_raw: str | None = None
    redaction_texts: tuple[str, ...] | None = None
    warnings: tuple[str, ...] = field(default=())
    channel_transcripts: tuple[tuple[int, str, str], ...] = ()  # (channel, language, redacted text) per channel
    verification: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        redactions = []
        for index, r in enumerate(self.redactions):
            item: dict[str, Any] = {"start_s": r.start_s, "end_s": r.end_s, "entity_type": r.entity_type,
                                    "score": r.score, "recognizer": r.recognizer}
            if r.channel is not None:
                item["channel"] = r.channel
            if self.redaction_texts is not None:
                item["text"] = self.redaction_texts[index]
            redactions.append(item)
        data: dict[str, Any] = {
            "schema_version": REPORT_SCHEMA_VERSION,
            "tool": {"name": "anonymizer", "version": __version__},
            "status": self.status,
            "input": self.input.to_json(),
            "output": self.output.to_json(),
            "config": self.config,
            "config_hash": self.config_hash,
            "models": [{"name": m.name, "source": m.source, "location": m.location} for m in self.models],
            "language": self.language,
            "language_probability": round(self.language_probability, 3),
            "voice_transforms": list(self.voice_transform),
            "redactions": redactions,
            "redacted_seconds": round(total_duration_s(r.span for r in self.redactions), 3),
            "transcript_redacted": self.transcript_redacted,
            "timings_s": {t.stage: round(t.wall_s, 4) for t in self.timings},
            "warnings": list(self.warnings),
        }
        if self.channel_transcripts:
            data["channels"] = [{"channel": c, "language": lang, "transcript_redacted": text}
                                for c, lang, text in self.channel_transcripts]
        if self.verification is not None:
            data["verification"] = self.verification
        if self.transcript_raw is not None:
            data["transcript_raw"] = self.transcript_raw
        return data

    def to_bytes(self) -> bytes:
        return (json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


REQUIRED_KEYS = {
    "schema_version": int, "tool": dict, "status": str, "input": dict, "output": dict, "config": dict,
    "config_hash": str, "models": list, "language": str, "redactions": list, "transcript_redacted": str,
    "timings_s": dict,
}
REDACTION_KEYS = {"start_s": float, "end_s": float, "entity_type": str, "score": float, "recognizer": str}
FILE_KEYS = {"path": str, "sha256": str, "duration_s": float, "sample_rate_hz": int, "channels": int}


def validate_report(data: dict[str, Any]) -> list[str]:
    """Problems with a report's shape (empty when it is valid)."""
    problems = []
    for key, kind in REQUIRED_KEYS.items():
        if not isinstance(data.get(key), kind):
            problems.append(f"{key}: missing or not {kind.__name__}")
    for side in ("input", "output"):
        for key, kind in FILE_KEYS.items():
            value = data.get(side, {}).get(key) if isinstance(data.get(side), dict) else None
            if not isinstance(value, kind) and not (kind is float and isinstance(value, int)):
                problems.append(f"{side}.{key}: missing or not {kind.__name__}")
    for index, item in enumerate(data.get("redactions") or []):
        for key, kind in REDACTION_KEYS.items():
            value = item.get(key)
            if not isinstance(value, kind) and not (kind is float and isinstance(value, int)):
                problems.append(f"redactions[{index}].{key}: missing or not {kind.__name__}")
        if isinstance(item.get("start_s"), (int, float)) and isinstance(item.get("end_s"), (int, float)) \
                and item["end_s"] < item["start_s"]:
            problems.append(f"redactions[{index}]: end_s before start_s")
    return problems
