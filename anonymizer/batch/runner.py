"""Plan and run a batch: what is done already, what to (re)do, and the evidence of it."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from anonymizer import __version__
from anonymizer.audio import temp_siblings
from anonymizer.batch.audit import AuditLog, Outcome, SummaryRow, write_summary_csv
from anonymizer.batch.discover import Job, discover
from anonymizer.batch.executors import Executor, InProcessExecutor, LocalPoolExecutor
from anonymizer.batch.progress import Counters, Reporter, make_reporter
from anonymizer.batch.state import Key, StateStore, sha256_file
from anonymizer.config import Config


@dataclass(frozen=True)
class BatchOptions:
    in_dir: Path
    out_dir: Path
    jobs: int = 1
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    retry_failed: bool = False
    dry_run: bool = False
    quiet: bool = False
    backend: str = "local"  # "local" | "ray"
    address: str | None = None


@dataclass
class BatchSummary:
    rows: list[SummaryRow] = field(default_factory=list)
    summary_csv: Path | None = None

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def failed(self) -> int:
        return sum(1 for r in self.rows if r.status.startswith("failed"))

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


@dataclass(frozen=True)
class Planned:
    job: Job
    key: Key | None  # None: the input could not even be read
    action: str  # "do" | "skip-done" | "skip-failed" | "recovered" | "unreadable"
    detail: str = ""


def _outputs_complete(job: Job, key: Key) -> str | None:
    """The audio's sha256 when the outputs on disk are a complete result for ``key`` (else None).

    Covers a run killed after its outputs were renamed into place but before the state was saved:
    the file is then adopted, not done twice.
    """
    if not (job.audio_out.is_file() and job.report_out.is_file()):
        return None
    try:
        report = json.loads(job.report_out.read_text(encoding="utf-8"))
        audio_sha = sha256_file(job.audio_out)
    except (OSError, ValueError):
        return None
    ok = (report.get("status") == "ok" and report.get("input", {}).get("sha256") == key.input_sha256
          and report.get("config_hash") == key.config_hash
          and report.get("output", {}).get("sha256") == audio_sha)
    return audio_sha if ok else None


def plan(jobs: list[Job], store: StateStore, config: Config, retry_failed: bool) -> list[Planned]:
    config_hash, model = config.hash(), config.transcription.model
    planned = []
    for job in jobs:
        if not os.access(job.input_path, os.R_OK):
            planned.append(Planned(job, None, "unreadable", f"{job.input_path}: permission denied (cannot read)"))
            continue
        try:
            key = Key(job.relative, store.content_hash(job.input_path), config_hash, model)
        except OSError as exc:
            planned.append(Planned(job, None, "unreadable", f"{job.input_path}: cannot read ({exc.strerror})"))
            continue
        row = store.get(job.relative)
        if row is not None and row.key == key and row.status == "done" and job.audio_out.is_file() \
                and job.report_out.is_file():
            planned.append(Planned(job, key, "skip-done"))
        elif row is not None and row.key == key and row.status == "failed" and not retry_failed:
            planned.append(Planned(job, key, "skip-failed", row.error or ""))
        elif (audio_sha := _outputs_complete(job, key)) is not None:
            store.mark_done(key, audio_sha)
            planned.append(Planned(job, key, "recovered", "outputs complete on disk; state restored"))
        else:
            planned.append(Planned(job, key, "do", "changed" if row is not None and row.key != key else ""))
    return planned


def _clear_outputs(job: Job) -> None:
    """Before (re)doing a file, remove stale outputs: a failure must not leave one that looks done, and a
    killed run's half-written temp files (``.NAME.*.part``) must not pile up."""
    for path in (job.audio_out, job.report_out):
        for stale in (path, *temp_siblings(path)):
            with contextlib.suppress(FileNotFoundError):
                stale.unlink()


def _make_executor(options: BatchOptions, config: Config) -> Executor:
    if options.backend == "ray":
        from anonymizer.batch.ray_backend import RayExecutor

        return RayExecutor(config, options.jobs, options.address)
    if options.jobs <= 1:
        return InProcessExecutor(config)
    return LocalPoolExecutor(config, options.jobs)


def run_batch(options: BatchOptions, config: Config, reporter: Reporter | None = None) -> BatchSummary:
    """Discover, plan, process what needs it, record everything. Returns the summary (exit code)."""
    jobs, skipped = discover(options.in_dir, options.out_dir, config.output.format, options.include, options.exclude)
    out_dir = options.out_dir.resolve()
    summary = BatchSummary()
    summary.rows += [SummaryRow(s.relative, "skipped", s.reason) for s in skipped]
    if options.dry_run:
        store = StateStore(out_dir) if (out_dir / ".anonymizer-state.sqlite").exists() else None
        planned = plan(jobs, store, config, options.retry_failed) if store else [Planned(j, None, "do") for j in jobs]
        summary.rows += [SummaryRow(p.job.relative, f"would {p.action}", p.detail) for p in planned]
        return summary
    store = StateStore(out_dir)
    audit = AuditLog(out_dir)
    try:
        planned = plan(jobs, store, config, options.retry_failed)
        todo = [p for p in planned if p.action == "do"]
        audit.append({"event": "run-start", "tool_version": __version__, "config_hash": config.hash(),
                      "model": config.transcription.model, "backend": options.backend, "jobs": options.jobs,
                      "files": len(jobs), "to_do": len(todo)})
        for p in planned:
            if p.action == "skip-done":
                summary.rows.append(SummaryRow(p.job.relative, "skipped (done before)", output=_rel(p.job, out_dir)))
            elif p.action == "recovered":
                assert p.key is not None
                audit.append({"event": "file-recovered", "tool_version": __version__, "input": p.job.relative,
                              "input_sha256": p.key.input_sha256, "output": _rel(p.job, out_dir),
                              "config_hash": p.key.config_hash, "status": "done",
                              "note": "outputs of an interrupted run were complete; adopted, not redone"})
                summary.rows.append(SummaryRow(p.job.relative, "done", p.detail, output=_rel(p.job, out_dir)))
            elif p.action == "skip-failed":
                summary.rows.append(SummaryRow(p.job.relative, "failed (not retried)", p.detail))
            elif p.action == "unreadable":
                outcome = Outcome(p.job.relative, "failed", error=p.detail)
                audit.record(outcome, "", config.hash(), config.transcription.model)
                summary.rows.append(SummaryRow(p.job.relative, "failed", p.detail))
        if todo:
            summary.rows += _execute(todo, options, config, store, audit, reporter)
        summary.summary_csv = write_summary_csv(out_dir, sorted(summary.rows, key=lambda r: r.relative))
        audit.append({"event": "run-end", "done": sum(r.status == "done" for r in summary.rows),
                      "failed": summary.failed, "skipped": sum(r.status.startswith("skipped") for r in summary.rows)})
    finally:
        audit.close()
        store.close()
    return summary


def _rel(job: Job, out_dir: Path) -> str:
    return job.audio_out.relative_to(out_dir).as_posix()


def _execute(todo: list[Planned], options: BatchOptions, config: Config, store: StateStore, audit: AuditLog,
             reporter: Reporter | None) -> list[SummaryRow]:
    out_dir = options.out_dir.resolve()
    by_relative = {p.job.relative: p for p in todo}
    for p in todo:
        assert p.key is not None
        _clear_outputs(p.job)
        store.mark_running(p.key)
    reporter = reporter or make_reporter(options.quiet)
    counters = Counters(total=len(todo))
    rows = []
    executor = _make_executor(options, config)
    reporter.start(counters)
    try:
        for outcome in executor.run([p.job for p in todo]):
            p = by_relative[outcome.relative]
            assert p.key is not None
            if outcome.status == "done" and outcome.output_sha256:
                store.mark_done(p.key, outcome.output_sha256)
                counters.done += 1
                counters.audio_s += outcome.audio_s
                rows.append(SummaryRow(p.job.relative, "done", p.detail, outcome.audio_s,
                                       sum(outcome.entity_counts.values()), _rel(p.job, out_dir)))
            else:
                _clear_outputs(p.job)
                store.mark_failed(p.key, outcome.error or "unknown error")
                counters.failed += 1
                rows.append(SummaryRow(p.job.relative, "failed", outcome.error or ""))
            audit.record(outcome_with_output(outcome, p.job, out_dir), p.key.input_sha256, p.key.config_hash,
                         p.key.model)
            reporter.update(outcome, counters)
    finally:
        reporter.stop()
        executor.close()
    return rows


def outcome_with_output(outcome: Outcome, job: Job, out_dir: Path) -> Outcome:
    if outcome.status != "done":
        return outcome
    return dataclasses.replace(outcome, output_relative=_rel(job, out_dir))
