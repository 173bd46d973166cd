"""Thin click layer: parse, call the library, print, exit.

Exit codes: 0 every input anonymized; 1 at least one input failed (or the models could not be
loaded, so every input failed); 2 the command line or the config is wrong (nothing was processed).
"""

from __future__ import annotations

import logging
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from anonymizer import __version__
from anonymizer.console import shown

if TYPE_CHECKING:
    from anonymizer.batch.executors import PipelineFactory
    from anonymizer.config import Config

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_REVIEW = 0, 1, 2, 3
VOICE_NAMES = ("disguise", "strong", "synthetic", "none", "default", "formant", "pitch", "mcadams")


TRI_STATE = {"redact_uncertain", "all_channels"}  # --x/--no-x flags: None when not given


def _overrides(**options: Any) -> dict[str, Any]:
    """CLI flags in the config's nested shape; flags not given are left out (config file wins)."""
    mapping = {
        "model": ("transcription", "model"), "language": ("transcription", "language"),
        "allow_download": ("transcription", "allow_download"), "output_format": ("output", "format"),
        "include_text": ("output", "include_text"), "redaction": ("redaction", "method"),
        "deny": ("detection", "deny"), "allow": ("detection", "allow"),
        "redact_uncertain": ("redaction", "uncertain"), "per_channel": ("transcription", "per_channel"),
        "all_channels": ("redaction", "all_channels"), "transcript": ("output", "transcript"),
        "html": ("output", "html"), "speakers": ("voice", "speakers"), "tts": ("voice", "tts"),
    }
    out: dict[str, Any] = {}
    if options.pop("no_cache", False):
        out["output"] = {"keep_analysis": False}
    voice, semitones = options.pop("voice", None), options.pop("pitch_semitones", None)
    if semitones is not None:
        if voice not in (None, "pitch"):
            raise click.UsageError("--pitch-semitones goes with --voice pitch")
        out["voice"] = {"chain": [{"transform": "pitch", "range": [semitones, semitones]}]}
    elif voice is not None and voice != "default":
        from anonymizer.config import VOICE_CHAINS

        chain = VOICE_CHAINS.get(voice, ())  # synthetic: no chain
        out["voice"] = {"chain": [step.model_dump(mode="json") for step in chain], "synthetic": voice == "synthetic"}
    for key, value in options.items():
        if value is None or value == () or (value is False and key not in TRI_STATE):
            continue
        section, field = mapping[key]
        out.setdefault(section, {})[field] = list(value) if isinstance(value, tuple) else value
    return out


def _pipeline_factory() -> PipelineFactory:
    """How the commands build their pipeline: the real engines, unless a caller (a test) passes another
    factory as the click context's ``obj`` (``CliRunner().invoke(cli, args, obj=factory)``)."""
    from anonymizer.batch.executors import real_pipeline

    injected = click.get_current_context().find_root().obj
    return injected if injected is not None else real_pipeline


def _load_config(config: str | None, overrides: dict[str, Any]) -> Config:
    from anonymizer.config import load_config
    from anonymizer.errors import ConfigError

    try:
        return load_config(config, overrides)
    except ConfigError as exc:
        _usage_error(str(exc))


def _usage_error(message: str) -> NoReturn:
    """A wrong command line or config: one line, exit 2, before anything ran (click's usage errors say
    "Error:" too; a config problem needs no usage text)."""
    click.echo(f"Error: {shown(message)}", err=True)
    sys.exit(EXIT_USAGE)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="anonymizer")
@click.option("-v", "--verbose", count=True, help="More log output (-v info, -vv debug). Never logs transcripts.")
def cli(verbose: int) -> None:
    """Anonymize call recordings: transcribe, find personal data, bleep it, disguise voices."""
    level = logging.WARNING - 10 * min(verbose, 2)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.addFilter(only_our_progress)
    logging.basicConfig(level=level, handlers=[handler], force=True)


def only_our_progress(record: logging.LogRecord) -> bool:
    """-v and -vv show this package's progress lines, which never hold transcripts or PII. Other libraries'
    INFO and DEBUG lines are dropped: Presidio's DEBUG lines print the words around each finding
    ("Context list is: …"). Their warnings and errors still show."""
    return record.name == "anonymizer" or record.name.startswith("anonymizer.") or record.levelno >= logging.WARNING


def pipeline_options(function: Any) -> Any:
    """The options shared by ``run`` and ``batch``."""
    options = [
        click.option("-c", "--config",
                     help="Preset name (default, de, en, strict, max-privacy, training) or path to a YAML config."),
        click.option("--model", help="faster-whisper model name (base, tiny.en, …) or a CTranslate2 model dir."),
        click.option("--language", help="Spoken language: auto, de, en, …"),
        click.option("--allow-download", is_flag=True, help="Allow fetching models from the internet (default: off)."),
        click.option("--format", "output_format", type=click.Choice(["wav", "flac", "mp3", "ogg", "m4a"]),
                     help="Output format (default: like the input)."),
        click.option("--redaction", type=click.Choice(["bleep", "silence", "noise"]),
                     help="How redacted speech is replaced (noise: comfort noise, for training data)."),
        click.option("--voice", type=click.Choice(VOICE_NAMES),
                     help="Voice level: disguise (the default: keeps the words, a light disguise), strong "
                          "(harder to link, costs more words), synthetic (the words re-spoken by a synthetic "
                          "voice), none; or one transform alone (formant, pitch, "
                          "mcadams). 'default': the config's chain."),
        click.option("--speakers", type=click.Choice(["auto", "one", "two"]),
                     help="Speakers on a mono recording, each given their own voice: auto (two when their voices "
                          "clearly differ; the default), one, or two (a mono call: always split in two)."),
        click.option("--tts", type=click.Choice(["auto", "espeak", "piper"]),
                     help="The synthetic voice's synthesizer: piper (a neural voice; English), espeak (espeak-ng), "
                          "auto (the default: piper where a voice for the language is installed)."),
        click.option("--pitch-semitones", type=float,
                     help="A fixed pitch shift instead of the voice chain (parameters drawn per speaker are safer)."),
        click.option("--deny", multiple=True, help="A word or phrase that must always be redacted (repeatable)."),
        click.option("--allow", multiple=True, help="A word or phrase that must never be redacted (repeatable)."),
        click.option("--include-text", is_flag=True, help="Put the raw transcript (contains PII!) into the report."),
        click.option("--redact-uncertain/--no-redact-uncertain", default=None,
                     help="Also redact untranscribed speech and unsure words next to personal data (default: on)."),
        click.option("--per-channel", type=click.Choice(["auto", "always", "never"]),
                     help="Transcribe each channel on its own (auto: stereo calls whose channels differ)."),
        click.option("--all-channels/--own-channel", default=None,
                     help="Redact a finding on every channel, while its speaker talks (default), or only on "
                          "the channel it was said on."),
        click.option("--transcript", multiple=True, type=click.Choice(["srt", "vtt", "txt"]),
                     help="Also write the placeholder transcript as subtitles or text (repeatable)."),
        click.option("--html", is_flag=True, help="Also write <stem>.anon.html: the redactions on the waveform, "
                     "self-contained, no raw text."),
        click.option("--no-cache", is_flag=True, help="Keep no analysis for review/apply (default: kept privately "
                     "in the per-user cache; `anonymizer cache path`)."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write outputs here instead of next to each input.")
@pipeline_options
@click.option("--overwrite", is_flag=True, help="Replace existing outputs.")
@click.option("--verify", is_flag=True,
              help="Re-transcribe each output and check it (see `anonymizer verify`); a FAIL removes the audio.")
@click.option("--review", "open_review", is_flag=True, help="Then open the local review page (one input).")
def run(inputs: tuple[Path, ...], output_dir: Path | None, config: str | None, overwrite: bool, verify: bool,
        open_review: bool, **options: Any) -> None:
    """Anonymize INPUTS: writes <stem>.anon.<ext> and <stem>.anon.json for each."""
    from anonymizer.errors import AnonymizerError
    from anonymizer.files import check_writable

    _ENDS_AT_ONCE.append(True)  # nothing a run leaves behind needs the teardown (see ``_exit_at_once``)

    cfg = _load_config(config, _overrides(**options))
    if open_review and (len(inputs) != 1 or not cfg.output.keep_analysis):
        _usage_error("--review takes one input, and the analysis must be kept (no --no-cache)")
    try:
        if output_dir is not None:  # before the models load: every file would fail
            check_writable(output_dir)
        pipeline = _pipeline_factory()(cfg)
    except AnonymizerError as exc:
        click.echo(f"error: {shown(str(exc))}", err=True)
        sys.exit(EXIT_FAILED)
    from anonymizer.run_progress import for_terminal

    progress = for_terminal()  # a bar on a terminal for long files; nothing in a pipe or log
    pipeline.progress = progress
    failed = 0
    for path in inputs:
        try:
            result = pipeline.run(path, output_dir, overwrite, verify=verify)
        finally:
            if progress is not None:
                progress.finish()
        if result.ok:
            counts = Counter(r.entity_type for r in result.redactions)
            summary = ", ".join(f"{name} {n}" for name, n in sorted(counts.items())) or "nothing to redact"
            checked = f"; verify: {result.verification}" if result.verification else ""
            click.echo(f"ok: {shown(path)} -> {shown(result.output_path or '')} ({len(result.redactions)} redactions: "
                       f"{summary}){checked}")
        else:
            failed += 1
            click.echo(f"failed: {shown(result.error or '')}", err=True)
    if failed:
        click.echo(f"{failed} of {len(inputs)} input(s) failed; no audio was written for them", err=True)
        sys.exit(EXIT_FAILED)
    if pipeline.kept_path is not None:
        logging.getLogger(__name__).info("analyses kept privately for review/apply in %s (`anonymizer cache "
                                         "clear` deletes them)", shown(pipeline.kept_path.parent))
    if open_review:
        from anonymizer.cli_review import open_review as serve

        serve(inputs[0], 0, True, 1800.0)


@cli.command()
@click.argument("in_dir", type=click.Path(path_type=Path))
@click.option("-o", "--output-dir", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Where the mirrored tree of outputs, the state store and the audit log go.")
@click.option("-j", "--jobs", default=1, show_default=True, type=click.IntRange(min=1),
              help="Worker processes (local) or actors (ray); each loads the models once.")
@click.option("--include", multiple=True, help="Only files matching this glob (repeatable; default: audio files).")
@click.option("--exclude", multiple=True, help="Skip files matching this glob (repeatable).")
@click.option("--retry-failed", is_flag=True, help="Retry files that failed in an earlier run.")
@click.option("--dry-run", is_flag=True, help="List what would be done, and do nothing.")
@click.option("-q", "--quiet", is_flag=True, help="No progress output; only failures and the summary.")
@click.option("--backend", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="Run on this machine, or on a Ray cluster (pip install -e '.[cluster]').")
@click.option("--address", help="Ray cluster address (auto or HOST:PORT); default: a local instance on 127.0.0.1.")
@click.option("--dataset", "dataset_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Then export the outputs as a training set here (as `anonymizer export OUT_DIR --dataset DIR` "
                   "with its defaults).")
@pipeline_options
def batch(in_dir: Path, out_dir: Path, jobs: int, include: tuple[str, ...], exclude: tuple[str, ...],
          retry_failed: bool, dry_run: bool, quiet: bool, backend: str, address: str | None,
          dataset_dir: Path | None, config: str | None, **options: Any) -> None:
    """Anonymize every audio file under IN_DIR into a mirrored tree under OUT_DIR; resumable."""
    from anonymizer.batch import BatchOptions, run_batch
    from anonymizer.errors import AnonymizerError, ConfigError

    cfg = _load_config(config, _overrides(**options))
    batch_options = BatchOptions(in_dir, out_dir, jobs, include, exclude, retry_failed, dry_run, quiet, backend,
                                 address)
    try:
        summary = run_batch(batch_options, cfg, pipeline_factory=_pipeline_factory())
    except ConfigError as exc:
        _usage_error(str(exc))
    except AnonymizerError as exc:
        click.echo(f"error: {shown(str(exc))}", err=True)
        sys.exit(EXIT_FAILED)
    _print_batch_summary(summary, dry_run, quiet)
    if dataset_dir is not None and not dry_run:
        from anonymizer.cli_export import export_command

        click.get_current_context().invoke(export_command, out_dir=out_dir, dataset_dir=dataset_dir,
                                           exit_code=summary.exit_code)
    sys.exit(summary.exit_code)


def _print_batch_summary(summary: Any, dry_run: bool, quiet: bool) -> None:
    if dry_run:
        for row in summary.rows:
            click.echo(f"{row.status}: {shown(row.relative)}" + (f" ({shown(row.detail)})" if row.detail else ""))
        return
    counts = Counter(row.status.value for row in summary.rows)
    failures = [row for row in summary.rows if row.status.failed]
    if quiet:
        for row in failures:
            click.echo(f"failed: {shown(row.detail)}", err=True)
    from rich.console import Console
    from rich.table import Table

    table = Table(title="batch summary")
    table.add_column("status")
    table.add_column("files", justify="right")
    for status, n in sorted(counts.items()):
        table.add_row(status, str(n))
    audio_h = sum(row.audio_s for row in summary.rows) / 3600
    table.add_row("audio processed", f"{audio_h:.3f} h")
    Console(highlight=False).print(table)
    if summary.summary_csv is not None:
        click.echo(f"summary: {summary.summary_csv}")
    if failures:
        click.echo(f"{len(failures)} file(s) failed; see the summary and the audit log", err=True)


@cli.command()
@click.argument("original", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("anonymized", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="The run's report (default: beside ANONYMIZED, <stem>.json).")
@click.option("-c", "--config", help="Preset name or YAML path (as for run).")
@click.option("--model", help="Whisper model for re-transcription (default: the config's; a different one is a "
                              "second opinion).")
@click.option("--language", help="Spoken language: auto, de, en, …")
@click.option("--json", "as_json", is_flag=True, help="Print the verdict as JSON.")
def verify(original: Path, anonymized: Path, report_path: Path | None, config: str | None, model: str | None,
           language: str | None, as_json: bool) -> None:
    """Check ANONYMIZED against ORIGINAL: PASS (exit 0), REVIEW (exit 3) or FAIL (exit 1), with reasons.

    Both are transcribed offline with the installed models; personal data found in the original must
    not be recoverable from the output, and must lie inside the report's redactions.
    """
    import json

    from anonymizer.errors import AnonymizerError, ReportError
    from anonymizer.report import read_report
    from anonymizer.verify import report_path_for

    cfg = _load_config(config, _overrides(model=model, language=language))
    try:
        report = read_report(report_path or report_path_for(anonymized))
    except ReportError as exc:
        _usage_error(str(exc))
    try:
        verdict = _pipeline_factory()(cfg).verifier().verify(original, anonymized, report)
    except AnonymizerError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_FAILED)
    if as_json:
        click.echo(json.dumps(verdict.to_json(), indent=2))
    else:
        click.echo(f"{verdict.status}: {shown(anonymized)} ({verdict.checked_items} items from the original checked, "
                   f"model {verdict.model})")
        for f in verdict.findings:
            where = f" {f.entity_type} {f.start_s:.2f}-{f.end_s:.2f} s" if f.entity_type else ""
            channel = f" (channel {f.channel})" if f.channel is not None else ""
            click.echo(f"  {f.level}{where}{channel}: {f.reason}")
    sys.exit({"PASS": EXIT_OK, "REVIEW": EXIT_REVIEW}.get(verdict.status.value, EXIT_FAILED))


@cli.command()
def models() -> None:
    """List the models usable offline and where each comes from."""
    from anonymizer.models import available_models

    for info in available_models():
        click.echo(f"{info.name:<40} {info.source:<9} {info.location}")


@cli.command("config")
@click.option("-c", "--config", help="Preset name or YAML path.")
def show_config(config: str | None) -> None:
    """Print the effective configuration (after presets and defaults) as YAML."""
    import yaml

    cfg = _load_config(config, {})
    click.echo(yaml.safe_dump(cfg.model_dump(mode="json"), sort_keys=False, allow_unicode=True), nl=False)


def _register() -> None:
    from anonymizer import cli_export, cli_review

    for command in (*cli_review.COMMANDS, *cli_export.COMMANDS):
        cli.add_command(command)


_register()


_ENDS_AT_ONCE: list[bool] = []  # set by a command whose process may skip the interpreter's teardown


def main() -> None:
    try:
        cli(prog_name="anonymizer")
    except SystemExit as exc:
        if not _ENDS_AT_ONCE:
            raise
        _exit_at_once(exc.code)


def _exit_at_once(code: int | str | None) -> NoReturn:
    """End a ``run`` process without the interpreter's teardown (mypy's ``fast_exit`` does the same).

    Every output is written, renamed and closed by then; tearing down spaCy's, Presidio's and Whisper's
    objects one by one took ~0.3 s more than the run's whole write stage. Log handlers and the standard
    streams are flushed first. Only from the command line (``main``), never inside another program.
    """
    import os

    if isinstance(code, str):
        click.echo(code, err=True)
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a reader that went away (`| head`), a closed stream
            pass
    os._exit(code if isinstance(code, int) else EXIT_FAILED if code else EXIT_OK)


if __name__ == "__main__":
    main()
