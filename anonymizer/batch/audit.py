"""Evidence of what was done: an append-only JSON-lines audit log and a summary CSV. No PII."""

from __future__ import annotations

import csv
import io
import json
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from anonymizer import __version__
from anonymizer.audio import write_bytes_atomic

AUDIT_FILE = "audit.jsonl"
SUMMARY_FILE = "summary.csv"


@dataclass(frozen=True)
class Outcome:
    """What a worker reports back for one file (small and picklable; paths relative)."""

    relative: str
    status: str  # "done" | "failed"
    error: str | None = None
    output_sha256: str | None = None
    output_relative: str | None = None
    audio_s: float = 0.0
    wall_s: float = 0.0
    entity_counts: dict[str, int] = field(default_factory=dict)
    model: dict[str, str] = field(default_factory=dict)


class AuditLog:
    """One JSON object per line, appended with a single ``write`` on an O_APPEND descriptor and fsynced."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / AUDIT_FILE
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        if self.path.stat().st_size:  # a killed run may have left a torn last line: start on a fresh one
            with open(self.path, "rb") as handle:
                handle.seek(-1, os.SEEK_END)
                if handle.read(1) != b"\n":
                    os.write(self._fd, b"\n")

    def append(self, event: dict[str, Any]) -> None:
        line = json.dumps({"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **event},
                          ensure_ascii=False, sort_keys=True)
        os.write(self._fd, (line + "\n").encode("utf-8"))
        os.fsync(self._fd)

    def record(self, outcome: Outcome, input_sha256: str, config_hash: str, model: str) -> None:
        self.append({
            "event": "file", "tool_version": __version__, "input": outcome.relative, "input_sha256": input_sha256,
            "output": outcome.output_relative, "output_sha256": outcome.output_sha256, "config_hash": config_hash,
            "model": outcome.model or {"name": model}, "status": outcome.status, "error": outcome.error,
            "redactions": dict(sorted(outcome.entity_counts.items())), "audio_s": round(outcome.audio_s, 3),
        })

    def close(self) -> None:
        os.close(self._fd)


@dataclass(frozen=True)
class SummaryRow:
    relative: str
    status: str  # done | skipped (done before) | failed | failed (not retried) | skipped (reason)
    detail: str = ""
    audio_s: float = 0.0
    redactions: int = 0
    output: str = ""


def write_summary_csv(out_dir: Path, rows: list[SummaryRow]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["input", "status", "detail", "audio_s", "redactions", "output"])
    for row in rows:
        writer.writerow([row.relative, row.status, row.detail, f"{row.audio_s:.3f}", row.redactions, row.output])
    path = out_dir / SUMMARY_FILE
    write_bytes_atomic(buffer.getvalue().encode("utf-8"), path)
    return path


def entity_counts(entity_types: list[str]) -> dict[str, int]:
    return dict(Counter(entity_types))
