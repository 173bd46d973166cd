"""Find the audio files under IN_DIR and where their outputs go under OUT_DIR (mirrored tree)."""

from __future__ import annotations

import errno
import fnmatch
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from anonymizer.audio import AUDIO_EXTENSIONS
from anonymizer.errors import ConfigError
from anonymizer.pipeline import OutputPaths


@dataclass(frozen=True)
class Job:
    """One input file and where its outputs go. Paths are absolute; ``relative`` is the key."""

    input_path: Path
    relative: str  # posix path relative to IN_DIR
    output_dir: Path
    audio_out: Path
    report_out: Path


@dataclass(frozen=True)
class Skipped:
    """A path the batch does not process: skipped by policy, or ``failed`` (it cannot be read at all)."""

    relative: str
    reason: str
    failed: bool = False


def check_dirs(in_dir: Path, out_dir: Path) -> tuple[Path, Path]:
    """Resolved IN_DIR and OUT_DIR; OUT_DIR may not be IN_DIR or inside it.

    Raises:
        ConfigError: with what to do instead.
    """
    if not in_dir.is_dir():
        raise ConfigError(f"{in_dir}: input directory not found")
    src, dst = in_dir.resolve(), out_dir.resolve()
    if dst == src or src in dst.parents:
        raise ConfigError(f"{out_dir}: the output directory must not be the input directory or inside it")
    return src, dst


def _matches(relative: str, patterns: tuple[str, ...]) -> bool:
    name = relative.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(relative, p) or fnmatch.fnmatch(name, p) for p in patterns)


def discover(
    in_dir: Path, out_dir: Path, output_format: str | None = None,
    include: tuple[str, ...] = (), exclude: tuple[str, ...] = (),
) -> tuple[list[Job], list[Skipped]]:
    """Walk ``in_dir`` recursively (sorted, so runs are reproducible).

    Default: files with an audio extension. ``include`` globs replace that default; ``exclude`` globs
    drop matches. A symlink is followed only when it resolves inside ``in_dir``; others are skipped
    with a reason.
    """
    src, dst = check_dirs(in_dir, out_dir)
    jobs: list[Job] = []
    skipped: list[Skipped] = []
    for path in _walk(src, skipped):
        relative = path.relative_to(src).as_posix()
        if include:
            if not _matches(relative, include):
                continue
        elif path.suffix.lower() not in AUDIO_EXTENSIONS:
            continue
        if exclude and _matches(relative, exclude):
            continue
        if path.is_symlink():
            try:
                target = Path(os.path.realpath(path, strict=True))
            except (OSError, RuntimeError) as exc:  # a loop, or a link to nothing
                why = "a symlink loop" if _is_loop(exc) else "a broken symlink"
                skipped.append(Skipped(relative, f"{path}: {why}; fix or remove the link", failed=True))
                continue
            if src not in target.parents:
                skipped.append(Skipped(relative, "symlink pointing outside the input directory; not followed"))
                continue
        target_dir = dst / Path(relative).parent
        outputs = OutputPaths.for_input(path, target_dir, output_format)
        jobs.append(Job(path, relative, target_dir, outputs.audio, outputs.report))
    return jobs, skipped


def _walk(root: Path, skipped: list[Skipped]) -> Iterator[Path]:
    def onerror(error: OSError) -> None:
        skipped.append(Skipped(str(Path(error.filename).relative_to(root)) if error.filename else "?",
                               f"cannot list directory ({error.strerror})"))

    for directory, dirnames, filenames in os.walk(root, onerror=onerror, followlinks=False):
        base = Path(directory)
        kept = []
        for name in sorted(dirnames):
            full = base / name
            if full.is_symlink():  # a linked directory: never followed
                if _inside(full, root):
                    skipped.append(Skipped(full.relative_to(root).as_posix(),
                                           "symlinked directory; not followed (link its files instead)"))
                else:
                    skipped.append(Skipped(full.relative_to(root).as_posix(),
                                           "symlink pointing outside the input directory; not followed"))
                continue
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            yield base / name


def _is_loop(exc: BaseException) -> bool:
    return isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == errno.ELOOP


def _inside(link: Path, root: Path) -> bool:
    """Whether a symlink resolves inside ``root`` (a loop or a dangling link does not)."""
    try:
        return root in Path(os.path.realpath(link, strict=True)).parents
    except (OSError, RuntimeError):
        return False
