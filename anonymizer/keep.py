"""The kept analysis: what a run found, stored privately, so that review and ``apply`` re-render without a model.

A kept analysis holds the raw transcript — personal data — and the run's secret voice seed. So it never
goes beside the outputs: it lives in a per-user cache (``$ANONYMIZER_CACHE_DIR``, else
``$XDG_CACHE_HOME/anonymizer``, else ``~/.cache/anonymizer``), folders 0700 and files 0600, one file per
input (keyed by the input's sha256; the last run of an input wins). ``anonymizer cache clear`` deletes
it; ``run --no-cache`` keeps nothing.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anonymizer.analysis import Analysis, ChannelAnalysis
from anonymizer.config import Config
from anonymizer.errors import AnonymizerError
from anonymizer.files import replace_atomically
from anonymizer.outputs import OutputPaths
from anonymizer.types import ModelInfo, PiiSpan, Redaction, TimeSpan, Transcript, Word

KEEP_VERSION = 1
PRIVATE_DIR_MODE, PRIVATE_FILE_MODE = 0o700, 0o600


class KeptAnalysisError(AnonymizerError):
    """A kept analysis is missing or unreadable."""


def cache_dir() -> Path:
    """Where kept analyses live (the folder may not exist yet)."""
    if explicit := os.environ.get("ANONYMIZER_CACHE_DIR"):
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "anonymizer"


def _analyses_dir() -> Path:
    return cache_dir() / "analyses"


@dataclass(frozen=True)
class Kept:
    """A run's analysis and what re-rendering it needs: the effective config with the voice seed the run
    used, the outputs' paths and the models that produced the analysis."""

    input_path: Path
    input_sha256: str
    config: Config  # voice.seed is the run's (secret) seed
    analysis: Analysis
    outputs: OutputPaths
    models: tuple[ModelInfo, ...]
    created_s: float

    @property
    def voice_seed(self) -> int:
        assert self.config.voice.seed is not None
        return self.config.voice.seed


def keep(kept: Kept) -> Path:
    """Store ``kept`` privately (atomically; folders 0700, the file 0600). Returns its path."""
    folder = _analyses_dir()
    for directory in (cache_dir(), folder):
        directory.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
        os.chmod(directory, PRIVATE_DIR_MODE)
    path = folder / f"{kept.input_sha256}.json"
    data = json.dumps(_kept_to_json(kept), ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def write(handle: Any) -> None:
        handle.write(data)

    replace_atomically(path, write, mode=PRIVATE_FILE_MODE)
    return path


def load(input_sha256: str) -> Kept | None:
    """The kept analysis of the input with this sha256, or None."""
    path = _analyses_dir() / f"{input_sha256}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise KeptAnalysisError(f"{path}: the kept analysis is unreadable ({exc.__class__.__name__}); run the "
                                "file again") from exc
    try:
        return _kept_from_json(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise KeptAnalysisError(f"{path}: the kept analysis is from another version or damaged; run the file "
                                "again") from exc


def keep_edits(input_sha256: str, edits_yaml: str) -> Path:
    """Store the edits a reviewed result was rendered with beside its kept analysis (exports re-apply them)."""
    import hashlib

    digest = hashlib.sha256(edits_yaml.encode("utf-8")).hexdigest()
    path = _analyses_dir() / f"{input_sha256}.edits.{digest[:16]}.yaml"
    data = edits_yaml.encode("utf-8")

    def write(handle: Any) -> None:
        handle.write(data)

    replace_atomically(path, write, mode=PRIVATE_FILE_MODE)
    return path


def load_edits(input_sha256: str, edits_sha256: str) -> str | None:
    """The edits (YAML) kept for this input with this sha256, or None."""
    path = _analyses_dir() / f"{input_sha256}.edits.{edits_sha256[:16]}.yaml"
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def entries() -> Iterator[Path]:
    folder = _analyses_dir()
    return iter(sorted(folder.glob("*.json"))) if folder.is_dir() else iter(())


def clear() -> int:
    """Delete every kept analysis (and the edits kept with them); returns how many analyses there were."""
    removed = 0
    for path in entries():
        path.unlink(missing_ok=True)
        removed += 1
    folder = _analyses_dir()
    for path in folder.glob("*.edits.*.yaml") if folder.is_dir() else ():
        path.unlink(missing_ok=True)
    return removed


# ---- JSON (private: raw text and the voice seed are in it) -------------------------------------------


def _kept_to_json(kept: Kept) -> dict[str, Any]:
    return {
        "version": KEEP_VERSION, "created_s": kept.created_s, "input_path": str(kept.input_path),
        "input_sha256": kept.input_sha256, "config": kept.config.model_dump(mode="json"),
        "outputs": {"audio": str(kept.outputs.audio), "report": str(kept.outputs.report)},
        "models": [[m.name, m.source, m.location] for m in kept.models],
        "analysis": analysis_to_json(kept.analysis),
    }


def _kept_from_json(data: dict[str, Any]) -> Kept:
    if data.get("version") != KEEP_VERSION:
        raise ValueError(f"version {data.get('version')!r}")
    return Kept(Path(data["input_path"]), data["input_sha256"], Config.model_validate(data["config"]),
                analysis_from_json(data["analysis"]),
                OutputPaths(Path(data["outputs"]["audio"]), Path(data["outputs"]["report"])),
                tuple(ModelInfo(*m) for m in data["models"]), float(data["created_s"]))


def analysis_to_json(analysis: Analysis) -> dict[str, Any]:
    return {"duration_s": analysis.duration_s, "n_channels": analysis.n_channels,
            "channels": [_part_to_json(p) for p in analysis.channels],
            "dialogue": _part_to_json(analysis.dialogue) if analysis.dialogue is not None else None}


def analysis_from_json(data: dict[str, Any]) -> Analysis:
    return Analysis(float(data["duration_s"]), int(data["n_channels"]),
                    tuple(_part_from_json(p) for p in data["channels"]),
                    _part_from_json(data["dialogue"]) if data["dialogue"] is not None else None)


def _spans(spans: tuple[PiiSpan, ...]) -> list[list[Any]]:
    return [[s.char_start, s.char_end, s.entity_type, s.score, s.recognizer] for s in spans]


def _part_to_json(part: ChannelAnalysis) -> dict[str, Any]:
    t = part.transcript
    return {
        "channel": part.channel, "speech": [[s.start_s, s.end_s] for s in part.speech],
        "transcript": {"text": t.text, "language": t.language, "language_probability": t.language_probability,
                       "words": [[w.text, w.start_s, w.end_s, w.probability, w.char_start, w.char_end, w.channel]
                                 for w in t.words]},
        "pii": _spans(part.pii), "marks": _spans(part.marks),
        "redactions": [[r.start_s, r.end_s, r.entity_type, r.score, r.recognizer, r.char_start, r.char_end, r.channel]
                       for r in part.redactions],
    }


def _part_from_json(data: dict[str, Any]) -> ChannelAnalysis:
    t = data["transcript"]
    transcript = Transcript(t["text"], tuple(Word(*w) for w in t["words"]), t["language"],
                            float(t["language_probability"]))
    return ChannelAnalysis(
        data["channel"], tuple(TimeSpan(*s) for s in data["speech"]), transcript,
        tuple(PiiSpan(*s) for s in data["pii"]), tuple(Redaction(*r) for r in data["redactions"]),
        tuple(PiiSpan(*s) for s in data["marks"]))


def now_s() -> float:
    return time.time()
