"""Find what ``run``/``batch`` made: each report in an output folder, its audio, and the analysis behind it.

The analysis comes from the private cache (``keep``), with the review's edits re-applied when the result
was reviewed, and is checked against the report: the same input, the same output bytes, the same
redactions. Anything that does not fit is one line naming the file; the export goes on with the others.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from anonymizer.errors import AnonymizerError
from anonymizer.export.dataset import CallSource
from anonymizer.report import ReportError, read_report, sha256_file
from anonymizer.types import FileStatus

REPORT_SUFFIX = ".anon.json"


class SourceError(AnonymizerError):
    """A run's output that cannot be exported (named, with the reason)."""


def reports(out_dir: Path, skip: Path | None = None) -> Iterator[Path]:
    """The reports under ``out_dir`` (sorted; not under ``skip``, the dataset folder)."""
    for path in sorted(out_dir.rglob(f"*{REPORT_SUFFIX}")):
        if skip is not None and skip.resolve() in path.resolve().parents:
            continue
        yield path


def call_source(report_path: Path) -> CallSource:
    """The export's view of one run. Raises ``SourceError`` (one line: the file and the reason)."""
    from anonymizer import keep
    from anonymizer.edits import apply_edits, parse_edits
    from anonymizer.outputs import marked_analysis, render_plan

    try:
        report = read_report(report_path)
    except ReportError as exc:
        raise SourceError(str(exc)) from None
    if report is None:
        raise SourceError(f"{report_path}: not readable")
    if report.status is not FileStatus.OK:
        raise SourceError(f"{report_path}: the run failed for this file (no anonymized audio); skipped")
    audio_path = report_path.with_name(report.output.path.name)
    if not audio_path.is_file():
        raise SourceError(f"{report_path}: its audio {audio_path.name} is missing")
    output_sha256 = sha256_file(audio_path)
    if output_sha256 != report.output.sha256:
        raise SourceError(f"{audio_path}: changed since the run (sha256 differs from the report's); run it again")
    kept = keep.load(report.input.sha256)
    if kept is None:
        raise SourceError(f"{report_path}: no kept analysis for its input (run without --no-cache, or the cache "
                          "was cleared); run the file again to export it")
    unseeded = kept.config.model_copy(update={"voice": kept.config.voice.model_copy(update={"seed": None})})
    if report.config_hash not in (kept.config.hash(), unseeded.hash()):
        raise SourceError(f"{report_path}: the kept analysis of its input is from another run (another config: the "
                          "last run of an input is kept); run the file again to export this output")
    analysis = kept.analysis
    if report.review is not None:
        edits_sha = str(report.review.get("edits_sha256", ""))
        text = keep.load_edits(report.input.sha256, edits_sha) if edits_sha else None
        if text is None:
            raise SourceError(f"{report_path}: reviewed, but the edits it was rendered with are not in the cache; "
                              "apply them again")
        import yaml

        edits = parse_edits(yaml.safe_load(text), "kept edits")
        analysis, _ = apply_edits(analysis, edits, report.input.sha256, kept.config.redaction)
    if [(round(r.start_s, 3), round(r.end_s, 3)) for r in analysis.redactions] != \
            [(round(r.start_s, 3), round(r.end_s, 3)) for r in report.redactions]:
        raise SourceError(f"{report_path}: the kept analysis does not match this report (the input was run again "
                          "elsewhere since?); run it again")
    plan = render_plan(analysis, kept.config)
    return CallSource(report_path, audio_path, report.input.sha256, output_sha256,
                      marked_analysis(analysis, kept.config), plan, kept.config.redaction.method,
                      analysis.main.transcript.language, report.config_hash)
