"""The resumable state store: SQLite under OUT_DIR, written only by the driver, and the lock on OUT_DIR.

A file is done for a *key*: its relative path, the sha256 of its content, the config hash and the
model. A rerun skips done keys whose outputs still exist, redoes changed files, and retries failures
only when asked. Content hashes are cached so a rerun does not re-read an archive — keyed by what a
rewrite cannot set back cheaply: device, inode, size, mtime *and ctime* (``touch -d`` and ``os.utime``
restore an mtime, but every write and every utime moves the ctime to now). A file rewritten in place
with the same size and mtime is hashed again.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from types import TracebackType

from anonymizer.errors import AnonymizerError
from anonymizer.report import sha256_file

__all__ = ["BatchLock", "BatchLockedError", "Key", "Row", "State", "StateStore", "sha256_file"]

STATE_FILE = ".anonymizer-state.sqlite"
LOCK_FILE = ".anonymizer.lock"

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
CREATE TABLE IF NOT EXISTS content_hashes (
    path TEXT PRIMARY KEY, device INTEGER NOT NULL, inode INTEGER NOT NULL, size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, sha256 TEXT NOT NULL
);
DROP TABLE IF EXISTS hashes;
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

    def __init__(self, out_dir: Path, read_only: bool = False) -> None:
        self.path = out_dir / STATE_FILE
        self.read_only = read_only
        if read_only:  # no writes through this connection (the content-hash cache included)
            self._db = sqlite3.connect(self.path, isolation_level=None)
            return
        out_dir.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)

    @staticmethod
    @contextlib.contextmanager
    def open_read_only(out_dir: Path) -> Iterator[StateStore | None]:
        """A copy of ``out_dir``'s store for reading (``--dry-run``), or None when there is none yet.

        SQLite creates a ``-shm`` file beside a WAL database even to read it; reading a private copy (with
        its ``-wal``, which may hold a killed run's last commits) leaves OUT_DIR as it was.
        """
        if not (out_dir / STATE_FILE).is_file():
            yield None
            return
        with tempfile.TemporaryDirectory(prefix="anonymizer-dry-run-") as scratch:
            for suffix in ("", "-wal"):
                with contextlib.suppress(FileNotFoundError):
                    shutil.copyfile(out_dir / f"{STATE_FILE}{suffix}", Path(scratch) / f"{STATE_FILE}{suffix}")
            store = StateStore(Path(scratch), read_only=True)
            try:
                yield store
            finally:
                store.close()

    def close(self) -> None:
        self._db.close()

    def content_hash(self, path: Path) -> str:
        """sha256 of a file, cached by device, inode, size, mtime and ctime (read-only: not cached)."""
        stat = path.stat()
        identity = (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
        try:
            row = self._db.execute("SELECT device, inode, size, mtime_ns, ctime_ns, sha256 FROM content_hashes "
                                   "WHERE path = ?", (str(path),)).fetchone()
        except sqlite3.OperationalError:  # a store from an older version, opened read-only: no cache
            row = None
        if row and tuple(row[:5]) == identity:
            return str(row[5])
        digest = sha256_file(path)
        if not self.read_only:
            self._db.execute("INSERT OR REPLACE INTO content_hashes VALUES (?, ?, ?, ?, ?, ?, ?)",
                             (str(path), *identity, digest))
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


class BatchLockedError(AnonymizerError):
    """Another batch holds the output directory."""


class BatchLock:
    """An exclusive lock on OUT_DIR for the length of a batch (``flock`` on ``OUT_DIR/.anonymizer.lock``).

    A second batch on the same OUT_DIR refuses at once with a clear message instead of processing the
    same files twice. The kernel drops the lock when its process dies (even by SIGKILL), so a killed
    run never leaves OUT_DIR locked.
    """

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / LOCK_FILE
        self._fd: int | None = None

    def __enter__(self) -> BatchLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise BatchLockedError(f"{self.path.parent}: another batch is running on this output directory (pid "
                                   f"{holder}); wait for it to finish or choose another output directory") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if self._fd is not None:
            os.close(self._fd)  # releases the lock; the file stays (removing it would race a waiting run)
            self._fd = None
