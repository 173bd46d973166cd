"""Training sets from anonymized calls: ``export(out_dir, dataset_dir, options)``.

``sources`` finds what the runs made and the analyses behind it, ``segments`` cuts utterances with the
redacted text of exactly their audio, ``surrogates`` makes fake values, ``dataset`` writes clips,
manifests (NeMo, Hugging Face ``audiofolder``) and the card.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from anonymizer.export.dataset import (
    STATE_DIR,
    ExportError,
    ExportOptions,
    ExportSummary,
    card,
    export_call,
    reusable,
    transcript_for_check,
    write_manifests,
    write_record,
)
from anonymizer.files import write_bytes_atomic
from anonymizer.types import PiiSpan

log = logging.getLogger(__name__)

__all__ = ["STATE_DIR", "ExportError", "ExportOptions", "ExportSummary", "export"]


def leak_checker(allow_download: bool = False) -> Callable[[str, str], list[PiiSpan]]:
    """Detection over a segment's text: the default recognizers, one detector per language. Not the
    answers-to-questions rule: with the answer redacted, it would take the next words for the answer."""
    from anonymizer.config import load_config
    from anonymizer.detect.engine import PresidioDetector

    detectors: dict[str, PresidioDetector] = {}

    def check(text: str, language: str) -> list[PiiSpan]:
        if not text.strip():
            return []
        if language not in detectors:
            config = load_config(language).detection.model_copy(update={"answers": False})
            detectors[language] = PresidioDetector(config, allow_download, language)
        return detectors[language].detect(transcript_for_check(text, language))

    return check


def export(out_dir: Path, dataset_dir: Path, options: ExportOptions,
           leak_check: Callable[[str, str], list[PiiSpan]] | None = None,
           progress: Callable[[str], None] | None = None) -> ExportSummary:
    """Export every run output under ``out_dir`` into ``dataset_dir``. Never raises for one call: its
    problem is a line in the summary and the others go on."""
    from anonymizer.errors import AnonymizerError
    from anonymizer.export.sources import SourceError, call_source, reports

    if options.leak_check and leak_check is None:
        leak_check = leak_checker()
    dataset_dir.mkdir(parents=True, exist_ok=True)
    summary = ExportSummary()
    hashes, methods = set(), set()
    found = list(reports(out_dir, skip=dataset_dir))
    if not found:
        summary.problems.append(f"{out_dir}: no run outputs (*.anon.json) here; export the folder `run -o` or "
                                "`batch` wrote to")
    for report_path in found:
        try:
            source = call_source(report_path)
        except SourceError as exc:
            summary.problems.append(str(exc))
            continue
        if options.text == "surrogate" and source.redaction_method == "bleep":
            summary.problems.append(f"{report_path}: --text surrogate needs audio redacted with silence or noise "
                                    "(a fake value over a bleep teaches a model the tone); this call was bleeped")
            continue
        record = reusable(dataset_dir, source.input_sha256, source.output_sha256, options)
        if record is not None:
            summary.reused += 1
        else:
            try:
                record, refusals = export_call(source, dataset_dir, options,
                                               leak_check if options.leak_check else None)
            except (AnonymizerError, OSError) as exc:
                summary.problems.append(f"{report_path}: {exc}")
                continue
            if record is None:
                summary.refused += refusals
                continue
            write_record(dataset_dir, record)
        summary.calls.append(record)
        hashes.add(source.config_hash)
        methods.add(source.redaction_method)
        if progress is not None:
            progress(f"{report_path.name}: {len(record.rows)} segments")
    rows = write_manifests(dataset_dir, summary.calls, options)
    write_bytes_atomic(card(summary.calls, rows, options, hashes, methods).encode("utf-8"), dataset_dir / "README.md")
    log.info("export: %d calls, %d segments, %d reused", len(summary.calls), len(rows), summary.reused)
    return summary

