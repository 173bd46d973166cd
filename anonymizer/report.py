"""The JSON report written next to each output, typed both ways, and the placeholder transcript.

Entity types, times, scores and recognizers only; raw transcript text (which holds the personal data)
only when the user asks for it (``include_text``). ``Report.from_json`` is the one reader of a report:
it validates the shape and the schema version.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from anonymizer import __version__
from anonymizer.config import VOICE_LEVEL_EER_PCT
from anonymizer.errors import ReportError
from anonymizer.machine import math_kernels
from anonymizer.spans import total_duration_s
from anonymizer.types import (
    FileStatus,
    ModelInfo,
    PiiSpan,
    Redaction,
    StageTiming,
    Transcript,
    Verdict,
)

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
    return placeholder_text(transcript.text, spans)


def placeholder_text(text: str, spans: list[PiiSpan], offset: int = 0) -> str:
    """``text`` (which starts at character ``offset`` of its transcript) with the spans as placeholders;
    spans reaching outside it are cut at its edges.

    >>> placeholder_text("on 0151 now", [PiiSpan(8, 12, "PHONE_NUMBER", 0.6, "r")], offset=5)
    'on [PHONE_NUMBER] now'
    """
    end = offset + len(text)
    groups: list[tuple[int, int, list[PiiSpan]]] = []
    inside = [s for s in spans if s.char_start < end and offset < s.char_end]
    for span in sorted(inside, key=lambda s: (s.char_start, s.char_end)):
        start, stop = max(span.char_start, offset) - offset, min(span.char_end, end) - offset
        if groups and start < groups[-1][1]:
            first, last, members = groups[-1]
            groups[-1] = (first, max(last, stop), [*members, span])
        else:
            groups.append((start, stop, [span]))
    out, pos = [], 0
    for start, stop, members in groups:
        best = max(members, key=lambda s: (s.entity_type not in GENERIC_ENTITIES, s.char_end - s.char_start, s.score))
        out.append(text[pos:start])
        out.append(f"[{best.entity_type}]")
        pos = stop
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

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> FileFacts:
        return FileFacts(Path(data["path"]), data["sha256"], float(data["duration_s"]), int(data["sample_rate_hz"]),
                         int(data["channels"]))


@dataclass(frozen=True)
class ChannelTranscript:
    """One channel's placeholder transcript (stereo calls transcribed per channel)."""

    channel: int
    language: str
    transcript_redacted: str


@dataclass(frozen=True)
class Report:
    """What was done to one file. ``config`` is the effective config as JSON, with the phrases the user
    typed (deny/allow) replaced by counts and the voice seed hidden (``config_for_report``)."""

    input: FileFacts
    output: FileFacts
    config: Mapping[str, Any]
    config_hash: str
    models: tuple[ModelInfo, ...]
    language: str
    language_probability: float
    redactions: tuple[Redaction, ...]
    transcript_redacted: str
    timings: tuple[StageTiming, ...]
    status: FileStatus = FileStatus.OK
    voice_transforms: tuple[str, ...] = ()
    voice_level: str = ""  # disguise, strong, none or custom (config.VOICE_LEVELS)
    voice_speakers: int = 0  # voices given: per channel, or per speaker a (dual-)mono recording's turns found (0: none)
    transcript_raw: str | None = None
    redaction_texts: tuple[str, ...] | None = None
    warnings: tuple[str, ...] = ()
    channels: tuple[ChannelTranscript, ...] = ()
    verification: Verdict | None = None
    tool_version: str = __version__
    # the CPU's instruction set and any forced kernels: the transcript depends on them (machine.py)
    math_kernels: str = field(default_factory=math_kernels)
    redaction_ids: tuple[str, ...] | None = None  # None: r0, r1, … (a reviewed result keeps the original ids)
    review: Mapping[str, Any] | None = None  # what a person's edits did (ids, times, types: no text)

    @property
    def ids(self) -> tuple[str, ...]:
        return self.redaction_ids or tuple(f"r{i}" for i in range(len(self.redactions)))

    def to_json(self) -> dict[str, Any]:
        redactions = []
        for index, (rid, r) in enumerate(zip(self.ids, self.redactions, strict=True)):
            item: dict[str, Any] = {"id": rid, "start_s": r.start_s, "end_s": r.end_s, "entity_type": r.entity_type,
                                    "score": r.score, "recognizer": r.recognizer}
            if r.channel is not None:
                item["channel"] = r.channel
            if self.redaction_texts is not None:
                item["text"] = self.redaction_texts[index]
            redactions.append(item)
        data: dict[str, Any] = {
            "schema_version": REPORT_SCHEMA_VERSION,
            "tool": {"name": "anonymizer", "version": self.tool_version, "math_kernels": self.math_kernels},
            "status": self.status.value,
            "input": self.input.to_json(),
            "output": self.output.to_json(),
            "config": dict(self.config),
            "config_hash": self.config_hash,
            "models": [{"name": m.name, "source": m.source, "location": m.location} for m in self.models],
            "language": self.language,
            "language_probability": round(self.language_probability, 3),
            "voice_transforms": list(self.voice_transforms),
            "voice_level": self.voice_level,
            "voice_speakers": self.voice_speakers,
            "redactions": redactions,
            "redacted_seconds": round(total_duration_s(r.span for r in self.redactions), 3),
            "transcript_redacted": self.transcript_redacted,
            "timings_s": {t.stage: round(t.wall_s, 4) for t in self.timings},
            "warnings": list(self.warnings),
        }
        if self.channels:
            data["channels"] = [{"channel": c.channel, "language": c.language,
                                 "transcript_redacted": c.transcript_redacted} for c in self.channels]
        if self.voice_level in VOICE_LEVEL_EER_PCT:
            low, high = VOICE_LEVEL_EER_PCT[self.voice_level]
            data["voice_measured_eer_pct"] = {"low": low, "high": high, "see": "docs/VOICE.md"}
        if self.verification is not None:
            data["verification"] = self.verification.to_json()
        if self.review is not None:
            data["review"] = dict(self.review)
        if self.transcript_raw is not None:
            data["transcript_raw"] = self.transcript_raw
        return data

    def to_bytes(self) -> bytes:
        return (json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")

    @staticmethod
    def from_json(data: Any, source: str = "report") -> Report:
        """Read a report back. Raises ``ReportError`` naming ``source`` and every problem."""
        if not isinstance(data, dict):
            raise ReportError(f"{source}: not a report (a JSON object is expected)")
        problems = validate_report(data)
        if data.get("schema_version") != REPORT_SCHEMA_VERSION and "schema_version" not in " ".join(problems):
            problems.append(f"schema_version: {data.get('schema_version')!r}, this tool reads "
                            f"{REPORT_SCHEMA_VERSION}")
        if problems:
            raise ReportError(f"{source}: invalid report: {'; '.join(problems)}")
        try:
            items = data["redactions"]
            return Report(
                input=FileFacts.from_json(data["input"]),
                output=FileFacts.from_json(data["output"]),
                config=data["config"],
                config_hash=data["config_hash"],
                models=tuple(ModelInfo(m["name"], m["source"], m["location"]) for m in data["models"]),
                language=data["language"],
                language_probability=float(data.get("language_probability", 1.0)),
                redactions=tuple(Redaction(float(r["start_s"]), float(r["end_s"]), r["entity_type"], float(r["score"]),
                                           r["recognizer"], channel=r.get("channel")) for r in items),
                transcript_redacted=data["transcript_redacted"],
                timings=tuple(StageTiming(stage, float(s)) for stage, s in data["timings_s"].items()),
                status=FileStatus(data["status"]),
                voice_transforms=tuple(data.get("voice_transforms", ())),
                voice_level=str(data.get("voice_level", "")),
                voice_speakers=int(data.get("voice_speakers", 0)),
                transcript_raw=data.get("transcript_raw"),
                redaction_texts=(tuple(r["text"] for r in items) if items and all("text" in r for r in items)
                                 else None),
                warnings=tuple(data.get("warnings", ())),
                channels=tuple(ChannelTranscript(int(c["channel"]), c["language"], c["transcript_redacted"])
                               for c in data.get("channels", ())),
                verification=Verdict.from_json(data["verification"]) if "verification" in data else None,
                tool_version=data["tool"].get("version", ""),
                math_kernels=str(data["tool"].get("math_kernels", "")),
                redaction_ids=tuple(str(r["id"]) for r in items) if all("id" in r for r in items) else None,
                review=data.get("review"),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ReportError(f"{source}: invalid report ({exc.__class__.__name__}: {exc})") from exc


def read_report(path: Path) -> Report | None:
    """The report at ``path``; None when there is none. Raises ``ReportError`` when it is unreadable."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ReportError(f"{path}: cannot read the report ({exc.strerror})") from exc
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ReportError(f"{path}: not a JSON report ({exc.__class__.__name__})") from exc
    return Report.from_json(data, str(path))


def config_for_report(config: Any) -> dict[str, Any]:
    """The effective config as JSON, with the deny/allow phrases (names the user typed) replaced by counts
    and the voice seed hidden."""
    data: dict[str, Any] = config.model_dump(mode="json")
    data["voice"]["seed"] = "set (not shown)" if config.voice.seed is not None else "secret, per run"
    for key in ("deny", "allow"):
        data["detection"][key] = f"{len(data['detection'][key])} phrase(s), not shown"
    return data


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
