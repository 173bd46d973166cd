"""The review commands: ``review`` (the local page), ``apply`` (edits from a file), ``cache`` (the kept analyses).

Registered on the main group by ``cli.py``; like it, a thin layer: parse, call the library, print, exit.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from anonymizer.console import shown

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
TRANSCRIPT_FORMATS = ("srt", "vtt", "txt")


def open_review(input_path: Path, port: int, browser: bool, idle_timeout_s: float) -> None:
    """Serve the review page for ``input_path`` until it is closed (or idle); print its address."""
    from anonymizer.errors import AnonymizerError
    from anonymizer.review.server import ReviewSession, serve_until_closed, start

    try:
        session = ReviewSession.open(input_path, idle_timeout_s)
    except AnonymizerError as exc:
        click.echo(f"error: {shown(str(exc))}", err=True)
        sys.exit(EXIT_FAILED)
    running = start(session, port)
    click.echo(f"review: {running.url}  (local only; close the page's review or press Ctrl-C to stop)")
    if browser:
        import webbrowser

        webbrowser.open(running.url)
    try:
        why = serve_until_closed(running)
    except KeyboardInterrupt:
        running.stop()
        why = "interrupted"
    click.echo(f"review ended ({why})")


@click.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--port", default=0, show_default="a random free port", type=click.IntRange(0, 65535),
              help="Port on 127.0.0.1.")
@click.option("--no-browser", is_flag=True, help="Print the address; do not open a browser.")
@click.option("--idle-timeout", "idle_timeout_s", default=1800.0, show_default=True, type=click.FloatRange(min=1),
              help="Stop after this many seconds without a request from the page.")
def review(input_path: Path, port: int, no_browser: bool, idle_timeout_s: float) -> None:
    """Open the local review page for INPUT (after `anonymizer run INPUT`): listen, keep false alarms
    audible, add what was missed, change types, apply — the outputs are re-rendered in seconds."""
    open_review(input_path, port, not no_browser, idle_timeout_s)


@click.command("apply")
@click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--edits", "edits_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The edits file (YAML): remove, retype and add; see the README.")
@click.option("-o", "--output-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write the re-rendered outputs here (default: where the run wrote them).")
@click.option("--transcript", multiple=True, type=click.Choice(TRANSCRIPT_FORMATS),
              help="Also write the placeholder transcript (srt, vtt, txt; repeatable).")
@click.option("--html/--no-html", default=None, help="Also write <stem>.anon.html (default: as the run did).")
def apply_command(input_path: Path, edits_path: Path, output_dir: Path | None, transcript: tuple[str, ...],
                  html: bool | None) -> None:
    """Re-render INPUT from its kept analysis with a person's EDITS: no model, seconds."""
    from anonymizer.edits import EditsError, read_edits
    from anonymizer.errors import AnonymizerError
    from anonymizer.review.apply import apply_review

    try:
        edits = read_edits(edits_path)
        applied = apply_review(input_path, edits, output_dir, edits_path.name, transcript or None, html)
    except EditsError as exc:
        click.echo(f"Error: {shown(str(exc))}", err=True)
        sys.exit(EXIT_USAGE)
    except AnonymizerError as exc:
        click.echo(f"error: {shown(str(exc))}", err=True)
        sys.exit(EXIT_FAILED)
    result = applied.result
    if not result.ok:
        click.echo(f"failed: {shown(result.error or '')}", err=True)
        sys.exit(EXIT_FAILED)
    done = applied.edits
    click.echo(f"ok: {shown(input_path)} -> {shown(result.output_path or '')} (reviewed: {len(done.removed)} kept "
               f"audible, {len(done.retyped)} retyped, {len(done.added)} added; {len(result.redactions)} redactions)")


@click.group()
def cache() -> None:
    """The kept analyses (raw transcripts: personal data) that review and apply re-render from."""


@cache.command("path")
def cache_path() -> None:
    """Print where the kept analyses are (a private per-user folder)."""
    from anonymizer.keep import cache_dir

    click.echo(str(cache_dir()))


@cache.command("list")
def cache_list() -> None:
    """List the kept analyses: input, when, size (no content)."""
    import json
    import time

    from anonymizer.keep import entries

    for path in entries():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            when = time.strftime("%Y-%m-%d %H:%M", time.localtime(data.get("created_s", 0)))
            click.echo(f"{when}  {path.stat().st_size // 1024:>6} kB  {shown(data.get('input_path', '?'))}")
        except (OSError, ValueError):
            click.echo(f"(unreadable) {shown(path)}")


@cache.command("clear")
def cache_clear() -> None:
    """Delete every kept analysis (review and apply then need a new run)."""
    from anonymizer.keep import cache_dir, clear

    removed = clear()
    click.echo(f"deleted {removed} kept analys{'is' if removed == 1 else 'es'} from {shown(cache_dir())}")


COMMANDS = (review, apply_command, cache)
