"""The resumable state store: SQLite under OUT_DIR, written only by the driver.

A file is done for a *key*: its relative path, the sha256 of its content, the config hash and the
model. A rerun skips done keys whose outputs still exist, redoes changed files, and retries failures
only when asked. Hashes are cached by (path, size, mtime) so a rerun does not re-read an archive.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from anonymizer.report import sha256_file

__all__ = ["Key", "Row", "State", "StateStore", "sha256_file"]

STATE_FILE = ".anonymizer-state.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    relative TEXT PRIMARY KEY,
    input_sha256 TEXT NOT NULL,
    config_hash TEXT NOT NULL,
    model TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    output_sha256 TEXT,
    error TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS hashes (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, sha256 TEXT NOT NULL
);
"""


class State(str, Enum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class Key:
    relative: str
    input_sha256: str
    config_hash: str
    model: str


@dataclass(frozen=True)
class Row:
    key: Key
    status: State
    output_sha256: str | None
    error: str | None
    attempts: int


class StateStore:
    """Small, explicit SQL; every write commits at once (a SIGKILL loses at most the file in flight)."""

    def __init__(self, out_dir: Path) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.path = out_dir / STATE_FILE
        self._db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def content_hash(self, path: Path) -> str:
        """sha256 of a file, cached by size and mtime."""
        stat = path.stat()
        row = self._db.execute("SELECT size, mtime_ns, sha256 FROM hashes WHERE path = ?", (str(path),)).fetchone()
        if row and row[0] == stat.st_size and row[1] == stat.st_mtime_ns:
            return str(row[2])
        digest = sha256_file(path)
        self._db.execute("INSERT OR REPLACE INTO hashes VALUES (?, ?, ?, ?)",
                         (str(path), stat.st_size, stat.st_mtime_ns, digest))
        return digest

    def get(self, relative: str) -> Row | None:
        row = self._db.execute(
            "SELECT relative, input_sha256, config_hash, model, status, output_sha256, error, attempts "
            "FROM files WHERE relative = ?", (relative,)).fetchone()
        if row is None:
            return None
        return Row(Key(row[0], row[1], row[2], row[3]), State(row[4]), row[5], row[6], int(row[7]))

    def _put(self, key: Key, status: State, output_sha256: str | None, error: str | None, attempts_delta: int) -> None:
        self._db.execute(
            "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(relative) DO UPDATE SET "
            "input_sha256 = excluded.input_sha256, config_hash = excluded.config_hash, model = excluded.model, "
            "status = excluded.status, output_sha256 = excluded.output_sha256, error = excluded.error, "
            "attempts = files.attempts + ?, updated_at = excluded.updated_at",
            (key.relative, key.input_sha256, key.config_hash, key.model, status.value, output_sha256, error,
             attempts_delta, time.time(), attempts_delta))

    def mark_running(self, key: Key) -> None:
        self._put(key, State.RUNNING, None, None, 1)

    def mark_done(self, key: Key, output_sha256: str) -> None:
        self._put(key, State.DONE, output_sha256, None, 0)

    def mark_failed(self, key: Key, error: str) -> None:
        self._put(key, State.FAILED, None, error, 0)

    def rows(self) -> list[Row]:
        return [r for r in (self.get(rel) for (rel,) in self._db.execute("SELECT relative FROM files ORDER BY 1"))
                if r is not None]
