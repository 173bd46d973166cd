"""Evidence of what was done: an append-only JSON-lines audit log and a summary CSV. No PII."""

from __future__ import annotations

import csv
import io
import json
import os
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from anonymizer import __version__
from anonymizer.files import write_bytes_atomic
from anonymizer.types import FileResult, Redaction

AUDIT_FILE = "audit.jsonl"
SUMMARY_FILE = "summary.csv"


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

    def record(self, relative: str, result: FileResult, output_relative: str | None, input_sha256: str,
               config_hash: str, model: str) -> None:
        ok, models = result.ok, result.models
        self.append({
            "event": "file", "tool_version": __version__, "input": relative, "input_sha256": input_sha256,
            "output": output_relative if ok else None, "output_sha256": result.output_sha256 if ok else None,
            "config_hash": config_hash,
            "model": {"name": models[0].name, "source": models[0].source} if ok and models else {"name": model},
            "status": "done" if result.ok else "failed", "error": result.error,
            "redactions": dict(sorted(entity_counts(result.redactions).items())) if result.ok else {},
            "audio_s": round(result.duration_s, 3) if result.ok else 0.0,
        })

    def close(self) -> None:
        os.close(self._fd)


class RowStatus(str, Enum):
    """A file's line in the batch summary."""

    DONE = "done"
    FAILED = "failed"
    FAILED_NOT_RETRIED = "failed (not retried)"
    SKIPPED_DONE = "skipped (done before)"
    SKIPPED = "skipped"
    # --dry-run: "would <planned action>"
    WOULD_DO = "would do"
    WOULD_SKIP_DONE = "would skip-done"
    WOULD_SKIP_FAILED = "would skip-failed"
    WOULD_RECOVER = "would recovered"
    WOULD_FAIL_UNREADABLE = "would unreadable"

    def __str__(self) -> str:
        return str(self.value)

    @property
    def failed(self) -> bool:
        return self in (RowStatus.FAILED, RowStatus.FAILED_NOT_RETRIED)


@dataclass(frozen=True)
class SummaryRow:
    relative: str
    status: RowStatus
    detail: str = ""
    audio_s: float = 0.0
    redactions: int = 0
    output: str = ""


def write_summary_csv(out_dir: Path, rows: list[SummaryRow]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["input", "status", "detail", "audio_s", "redactions", "output"])
    for row in rows:
        writer.writerow([row.relative, row.status.value, row.detail, f"{row.audio_s:.3f}", row.redactions, row.output])
    path = out_dir / SUMMARY_FILE
    write_bytes_atomic(buffer.getvalue().encode("utf-8"), path)
    return path


def entity_counts(redactions: Iterable[Redaction]) -> dict[str, int]:
    return dict(Counter(r.entity_type for r in redactions))
