"""Plan and run a batch: what is done already, what to (re)do, and the evidence of it."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from anonymizer import __version__
from anonymizer.batch.audit import AuditLog, RowStatus, SummaryRow, entity_counts, write_summary_csv
from anonymizer.batch.discover import Job, Skipped, discover
from anonymizer.batch.executors import Executor, InProcessExecutor, LocalPoolExecutor, PipelineFactory, real_pipeline
from anonymizer.batch.progress import Counters, Reporter, make_reporter
from anonymizer.batch.state import BatchLock, Key, State, StateStore, sha256_file
from anonymizer.config import Config
from anonymizer.errors import OutputWriteError, ReportError
from anonymizer.files import check_writable, temp_siblings
from anonymizer.report import read_report
from anonymizer.types import FileResult, FileStatus


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

    def count(self, status: RowStatus) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def failed(self) -> int:
        return sum(1 for r in self.rows if r.status.failed)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


class Action(str, Enum):
    """What a batch does with a file."""

    DO = "do"
    SKIP_DONE = "skip-done"
    SKIP_FAILED = "skip-failed"
    RECOVERED = "recovered"  # outputs of an interrupted run were complete: adopted
    UNREADABLE = "unreadable"

    @property
    def dry_run_status(self) -> RowStatus:
        return RowStatus(f"would {self.value}")


@dataclass(frozen=True)
class Planned:
    job: Job
    key: Key | None  # None: the input could not even be read
    action: Action
    detail: str = ""
    output_sha256: str | None = None  # RECOVERED: the adopted audio's


def _outputs_complete(job: Job, key: Key) -> str | None:
    """The audio's sha256 when the outputs on disk are a complete result for ``key`` (else None).

    Covers a run killed after its outputs were renamed into place but before the state was saved:
    the file is then adopted, not done twice.
    """
    if not (job.audio_out.is_file() and job.report_out.is_file()):
        return None
    try:
        report = read_report(job.report_out)
        audio_sha = sha256_file(job.audio_out)
    except (OSError, ReportError):
        return None
    ok = (report is not None and report.status is FileStatus.OK and report.input.sha256 == key.input_sha256
          and report.config_hash == key.config_hash and report.output.sha256 == audio_sha)
    return audio_sha if ok else None


def plan(jobs: list[Job], store: StateStore | None, config: Config, retry_failed: bool) -> list[Planned]:
    """What to do with each file; changes nothing (``run_batch`` records what it decides)."""
    config_hash, model = config.hash(), config.transcription.model
    planned = []
    for job in jobs:
        if not os.access(job.input_path, os.R_OK):
            planned.append(Planned(job, None, Action.UNREADABLE, f"{job.input_path}: permission denied (cannot read)"))
            continue
        try:
            digest = store.content_hash(job.input_path) if store is not None else sha256_file(job.input_path)
        except OSError as exc:
            planned.append(Planned(job, None, Action.UNREADABLE, f"{job.input_path}: cannot read ({exc.strerror})"))
            continue
        key = Key(job.relative, digest, config_hash, model)
        row = store.get(job.relative) if store is not None else None
        if row is not None and row.key == key and row.status is State.DONE and job.audio_out.is_file() \
                and job.report_out.is_file():
            planned.append(Planned(job, key, Action.SKIP_DONE))
        elif row is not None and row.key == key and row.status is State.FAILED and not retry_failed:
            planned.append(Planned(job, key, Action.SKIP_FAILED, row.error or ""))
        elif (audio_sha := _outputs_complete(job, key)) is not None:
            planned.append(Planned(job, key, Action.RECOVERED, "outputs complete on disk; state restored", audio_sha))
        else:
            planned.append(Planned(job, key, Action.DO, "changed" if row is not None and row.key != key else ""))
    return planned


def _clear_outputs(job: Job) -> None:
    """Before (re)doing a file, remove stale outputs: a failure must not leave one that looks done, and a
    killed run's half-written temp files (``.NAME.*.part``) must not pile up."""
    for path in (job.audio_out, job.report_out):
        for stale in (path, *temp_siblings(path)):
            with contextlib.suppress(FileNotFoundError):
                stale.unlink()


def _make_executor(options: BatchOptions, config: Config, factory: PipelineFactory) -> Executor:
    if options.backend == "ray":
        from anonymizer.batch.ray_backend import RayExecutor

        return RayExecutor(config, options.jobs, options.address, factory)
    if options.jobs <= 1:
        return InProcessExecutor(config, factory)
    return LocalPoolExecutor(config, options.jobs, factory)


def run_batch(options: BatchOptions, config: Config, reporter: Reporter | None = None,
              pipeline_factory: PipelineFactory = real_pipeline) -> BatchSummary:
    """Discover, plan, process what needs it, record everything. Returns the summary (exit code).

    ``pipeline_factory`` builds each worker's pipeline from the config (a module-level function: it is
    sent to worker processes and Ray actors).
    """
    jobs, skipped = discover(options.in_dir, options.out_dir, config.output.format, options.include, options.exclude)
    out_dir = options.out_dir.resolve()
    summary = BatchSummary()
    summary.rows += [SummaryRow(s.relative, RowStatus.FAILED if s.failed else RowStatus.SKIPPED, s.reason)
                     for s in skipped]
    if options.dry_run:  # reads the state store if there is one; writes nothing, creates nothing
        with StateStore.open_read_only(out_dir) as store:
            planned = plan(jobs, store, config, options.retry_failed)
        summary.rows += [SummaryRow(p.job.relative, p.action.dry_run_status, p.detail) for p in planned]
        return summary
    check_writable(out_dir, need_bytes=1_000_000)
    try:
        with BatchLock(out_dir):
            store = StateStore(out_dir)
            audit = AuditLog(out_dir)
            try:
                _run_planned(jobs, skipped, options, config, store, audit, summary, reporter, pipeline_factory)
            finally:
                audit.close()
                store.close()
    except (OSError, sqlite3.Error) as exc:  # the state store or audit log can't be written: stop, say so
        reason = getattr(exc, "strerror", None) or str(exc)
        raise OutputWriteError(f"{out_dir}: cannot record the batch's state ({reason}); free space or fix the "
                               "folder and run again (finished files are kept)") from exc
    return summary


def _run_planned(jobs: list[Job], skipped: list[Skipped], options: BatchOptions, config: Config, store: StateStore,
                 audit: AuditLog, summary: BatchSummary, reporter: Reporter | None, factory: PipelineFactory) -> None:
    out_dir = options.out_dir.resolve()
    planned = plan(jobs, store, config, options.retry_failed)
    todo = [p for p in planned if p.action is Action.DO]
    audit.append({"event": "run-start", "tool_version": __version__, "config_hash": config.hash(),
                  "model": config.transcription.model, "backend": options.backend, "jobs": options.jobs,
                  "files": len(jobs), "to_do": len(todo)})
    for s in skipped:
        if s.failed:
            audit.record(s.relative, FileResult(options.in_dir / s.relative, FileStatus.FAILED, error=s.reason),
                         None, "", config.hash(), config.transcription.model)
    for p in planned:
        if p.action is Action.SKIP_DONE:
            summary.rows.append(SummaryRow(p.job.relative, RowStatus.SKIPPED_DONE, output=_rel(p.job, out_dir)))
        elif p.action is Action.RECOVERED:
            assert p.key is not None and p.output_sha256 is not None
            store.mark_done(p.key, p.output_sha256)
            audit.append({"event": "file-recovered", "tool_version": __version__, "input": p.job.relative,
                          "input_sha256": p.key.input_sha256, "output": _rel(p.job, out_dir),
                          "config_hash": p.key.config_hash, "status": "done",
                          "note": "outputs of an interrupted run were complete; adopted, not redone"})
            summary.rows.append(SummaryRow(p.job.relative, RowStatus.DONE, p.detail, output=_rel(p.job, out_dir)))
        elif p.action is Action.SKIP_FAILED:
            summary.rows.append(SummaryRow(p.job.relative, RowStatus.FAILED_NOT_RETRIED, p.detail))
        elif p.action is Action.UNREADABLE:
            failure = FileResult(p.job.input_path, FileStatus.FAILED, error=p.detail)
            audit.record(p.job.relative, failure, None, "", config.hash(), config.transcription.model)
            summary.rows.append(SummaryRow(p.job.relative, RowStatus.FAILED, p.detail))
    if todo:
        summary.rows += _execute(todo, options, config, store, audit, reporter, factory)
    summary.summary_csv = write_summary_csv(out_dir, sorted(summary.rows, key=lambda r: r.relative))
    audit.append({"event": "run-end", "done": summary.count(RowStatus.DONE), "failed": summary.failed,
                  "skipped": summary.count(RowStatus.SKIPPED) + summary.count(RowStatus.SKIPPED_DONE)})


def _rel(job: Job, out_dir: Path) -> str:
    return job.audio_out.relative_to(out_dir).as_posix()


def _execute(todo: list[Planned], options: BatchOptions, config: Config, store: StateStore, audit: AuditLog,
             reporter: Reporter | None, factory: PipelineFactory) -> list[SummaryRow]:
    out_dir = options.out_dir.resolve()
    by_input = {p.job.input_path: p for p in todo}
    for p in todo:
        assert p.key is not None
        _clear_outputs(p.job)
        store.mark_running(p.key)
    reporter = reporter or make_reporter(options.quiet)
    counters = Counters(total=len(todo))
    rows = []
    executor = _make_executor(options, config, factory)
    reporter.start(counters)
    try:
        for result in executor.run([p.job for p in todo]):
            p = by_input[result.input_path]
            assert p.key is not None
            if result.ok and result.output_sha256:
                store.mark_done(p.key, result.output_sha256)
                counters.done += 1
                counters.audio_s += result.duration_s
                rows.append(SummaryRow(p.job.relative, RowStatus.DONE, p.detail, result.duration_s,
                                       sum(entity_counts(result.redactions).values()), _rel(p.job, out_dir)))
            else:
                _clear_outputs(p.job)
                store.mark_failed(p.key, result.error or "unknown error")
                counters.failed += 1
                rows.append(SummaryRow(p.job.relative, RowStatus.FAILED, result.error or ""))
            audit.record(p.job.relative, result, _rel(p.job, out_dir), p.key.input_sha256, p.key.config_hash,
                         p.key.model)
            reporter.update(p.job.relative, result, counters)
    finally:
        reporter.stop()
        executor.close()
    return rows
