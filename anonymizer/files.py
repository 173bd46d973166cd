"""Files written atomically, and whether a folder can take them. No partial file ever carries a final name.

Every output (audio, report, summary) goes to a temp file beside its place (``.NAME.*.part``), is
fsynced and renamed over the final name; a killed process leaves only such temp files, which the next
run of the same file removes (``temp_siblings``).
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from anonymizer.errors import OutputWriteError


def _umask_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


TEMP_SUFFIX = ".part"


def _temp_prefix(path: Path) -> str:
    return f".{path.name}."


def temp_siblings(path: Path) -> list[Path]:
    """Temp files ``_replace_atomically`` left beside ``path`` when its process was killed mid-write."""
    return sorted(path.parent.glob(f"{glob.escape(_temp_prefix(path))}*{TEMP_SUFFIX}"))


def replace_atomically(path: Path, write: Callable[[BinaryIO], None], mode: int | None = None) -> None:
    """``write`` into a temp file beside ``path``, fsync, give it ordinary permissions (or ``mode``), rename
    it over ``path``: a crash never leaves a half-written file under the final name.

    Raises:
        OutputWriteError: the folder is not writable, the disk is full, … (nothing is left behind).
    """
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=TEMP_SUFFIX, dir=path.parent)
    except OSError as exc:
        raise write_error(path, exc) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, _umask_mode() if mode is None else mode)  # mkstemp makes 0600
        os.replace(tmp_name, path)
    except OSError as exc:
        raise write_error(path, exc) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)


def write_error(path: Path, exc: OSError) -> OutputWriteError:
    reason = exc.strerror or exc.__class__.__name__
    return OutputWriteError(f"{path}: cannot write the output ({reason}); choose a writable folder with free "
                            "space (-o DIR)")


def check_writable(directory: Path, need_bytes: int = 0) -> None:
    """Fail before the work when ``directory`` cannot take the outputs: create it, write a probe file,
    and see that at least ``need_bytes`` are free.

    Raises:
        OutputWriteError: naming the folder and the reason.
    """
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=directory):
            pass
        free = shutil.disk_usage(directory).free
    except OSError as exc:
        raise OutputWriteError(f"{directory}: cannot write outputs here ({exc.strerror or exc.__class__.__name__});"
                               " choose a writable folder (-o DIR)") from exc
    if free < need_bytes:
        raise OutputWriteError(f"{directory}: only {free / 1e6:.1f} MB free, about {need_bytes / 1e6:.1f} MB are "
                               "needed; free some space or choose another folder (-o DIR)")


def write_bytes_atomic(data: bytes, path: Path) -> None:
    """Write a small file (the report, the summary) atomically."""
    def write(handle: BinaryIO) -> None:
        handle.write(data)

    replace_atomically(Path(path), write)


