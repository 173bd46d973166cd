"""``anonymizer export``: a training set from the outputs of ``run``/``batch``. Thin: parse, call, print, exit."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from anonymizer.console import shown

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _split(value: str) -> tuple[float, float, float]:
    try:
        parts = tuple(float(v) for v in value.split(","))
    except ValueError:
        parts = ()
    if len(parts) != 3 or any(p < 0 for p in parts) or sum(parts) <= 0:
        raise click.BadParameter("three shares for train,dev,test, e.g. 0.8,0.1,0.1")
    return parts


@click.command("export")
@click.argument("out_dir", metavar="OUT_DIR", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--dataset", "dataset_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Write the dataset here (clips, manifests, card).")
@click.option("--format", "formats", type=click.Choice(["nemo", "hf", "both"]), default="both", show_default=True,
              help="Manifests: NeMo manifest.jsonl, Hugging Face audiofolder metadata.jsonl, or both.")
@click.option("--segments", type=click.Choice(["utterance", "file"]), default="utterance", show_default=True,
              help="One clip per utterance (1-30 s, per channel) or per whole channel.")
@click.option("--text", type=click.Choice(["drop", "tag", "surrogate"]), default="drop", show_default=True,
              help="Segments with a redaction: leave them out, tag them ([PERSON]), or fake values in the text "
                   "(runs with --redaction silence or noise only).")
@click.option("--audio-format", type=click.Choice(["flac", "wav"]), default="flac", show_default=True)
@click.option("--rate", "rate_hz", type=click.Choice(["original", "16000"]), default="original", show_default=True)
@click.option("--split", "split", default="0.8,0.1,0.1", show_default=True, help="Shares of calls: train,dev,test.")
@click.option("--seed", default=0, show_default=True, type=int, help="Seeds the split by call.")
@click.option("--roles", default="", help="Channel roles for stereo calls, e.g. agent,customer.")
@click.option("--no-leak-check", is_flag=True, help="Skip detection over the texts (not recommended).")
def export_command(out_dir: Path, dataset_dir: Path, formats: str = "both", segments: str = "utterance",
                   text: str = "drop", audio_format: str = "flac", rate_hz: str = "original",
                   split: str = "0.8,0.1,0.1", seed: int = 0, roles: str = "", no_leak_check: bool = False,
                   exit_code: int = EXIT_OK) -> None:
    """Turn the anonymized outputs in OUT_DIR (of `run`/`batch`, from their kept analyses: no model) into a
    training set: clips, redacted transcripts that match them, NeMo and Hugging Face manifests, a card."""
    from anonymizer.errors import AnonymizerError
    from anonymizer.export import ExportOptions, export

    try:
        shares = _split(split)
    except click.BadParameter as exc:
        click.echo(f"Error: --split: {exc.message}", err=True)
        sys.exit(EXIT_USAGE)
    options = ExportOptions(text, segments, audio_format, None if rate_hz == "original" else int(rate_hz),  # type: ignore[arg-type]
                            ("nemo", "hf") if formats == "both" else (formats,), shares, seed,
                            tuple(r.strip() for r in roles.split(",") if r.strip()), not no_leak_check)
    try:
        summary = export(out_dir, dataset_dir, options)
    except (AnonymizerError, OSError) as exc:
        click.echo(f"error: {shown(str(exc))}", err=True)
        sys.exit(EXIT_FAILED)
    for line in summary.problems:
        click.echo(f"skipped: {shown(line)}", err=True)
    for line in summary.refused:
        click.echo(f"refused: {shown(line)}", err=True)
    rows = sum(len(c.rows) for c in summary.calls)
    hours = sum(r.duration for c in summary.calls for r in c.rows) / 3600
    click.echo(f"{'ok' if summary.exit_code == 0 else 'incomplete'}: {len(summary.calls)} calls "
               f"({summary.reused} unchanged), {rows} segments, {hours:.2f} h -> {shown(dataset_dir)}")
    sys.exit(max(exit_code, summary.exit_code))


COMMANDS = (export_command,)
