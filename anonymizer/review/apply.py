"""``anonymizer apply``: re-render a file from its kept analysis and a person's edits — no model, seconds.

The result is what a full run with the same decisions gives: the same renderer (``outputs.write_outputs``),
the kept config and the run's voice seed (both only in the private cache), so an empty edits file
reproduces the run's audio byte for byte.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from anonymizer.edits import AppliedEdits, Edits, apply_edits, redaction_ids
from anonymizer.keep import Kept, KeptAnalysisError, keep_edits, load
from anonymizer.outputs import OutputPaths, Source, write_outputs
from anonymizer.report import sha256_file
from anonymizer.stream import FileSource
from anonymizer.timing import StageTimer
from anonymizer.transcribe import one_blas_thread
from anonymizer.types import FileResult
from anonymizer.voice import Step


@dataclass(frozen=True)
class Applied:
    result: FileResult
    edits: AppliedEdits
    kept: Kept


def kept_for(input_path: Path) -> Kept:
    """The kept analysis of ``input_path`` (by its content). Raises ``KeptAnalysisError`` when there is none."""
    if not input_path.is_file():
        raise KeptAnalysisError(f"{input_path}: file not found")
    kept = load(sha256_file(input_path))
    if kept is None:
        raise KeptAnalysisError(f"{input_path}: no kept analysis for this file; run `anonymizer run {input_path}` "
                                "first (without --no-cache)")
    return kept


def apply_review(input_path: Path, edits: Edits, output_dir: Path | None = None, edits_name: str = "edits",
                 transcript: tuple[str, ...] | None = None, html: bool | None = None) -> Applied:
    """Re-render ``input_path`` with ``edits`` into the run's outputs (or ``output_dir``).

    Raises:
        KeptAnalysisError: no kept analysis for the input.
        EditsError: the edits do not fit it (nothing is written).
    """
    kept = kept_for(input_path)
    analysis, applied = apply_edits(kept.analysis, edits, kept.input_sha256, kept.config.redaction, edits_name)
    config = kept.config
    if transcript is not None or html is not None:
        output = config.output.model_copy(update={
            **({"transcript": list(transcript)} if transcript is not None else {}),
            **({"html": html} if html is not None else {})})
        config = config.model_copy(update={"output": output})
    paths = (OutputPaths.for_input(input_path, output_dir, config.output.format) if output_dir is not None
             else kept.outputs)
    paths.check(input_path, overwrite=True)
    chain = tuple(Step(s.transform, s.range[0], s.range[1], s.either_sign) for s in config.voice.chain)
    timer = StageTimer()
    with timer.stage("decode"):
        source = Source(input_path, FileSource(input_path), kept.input_sha256)
    review = {"reviewed": True, "edits": edits_name, "edits_sha256": hashlib.sha256(
        edits.to_yaml().encode("utf-8")).hexdigest(), **applied.to_json()}
    with one_blas_thread():
        result, _ = write_outputs(source, analysis, config, chain, kept.voice_seed, paths, kept.models, timer,
                                  ids=redaction_ids(analysis, applied, kept.analysis), review=review)
    if result.ok:
        keep_edits(kept.input_sha256, edits.to_yaml())  # so that an export re-applies exactly these
    return Applied(result, applied, kept)

