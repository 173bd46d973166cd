"""Where the pipeline runs: in this process, in local worker processes, or on a Ray cluster.

Every executor loads the models once per worker and streams ``Outcome``s back as files finish.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from multiprocessing import get_context
from typing import Any, Protocol

from anonymizer.batch.audit import Outcome, entity_counts
from anonymizer.batch.discover import Job
from anonymizer.config import Config

_PIPELINE: Any = None  # the worker's Pipeline, built once by its initializer


class Executor(Protocol):
    def run(self, jobs: list[Job]) -> Iterator[Outcome]: ...

    def close(self) -> None: ...


def threads_per_worker(config: Config, workers: int) -> int:
    """CPU threads for each worker's Whisper: the configured number, or the cores shared out."""
    if config.transcription.cpu_threads:
        return config.transcription.cpu_threads
    return max(1, (os.cpu_count() or 1) // max(1, workers))


def _with_threads(config: Config, threads: int) -> Config:
    data = config.model_dump()
    data["transcription"]["cpu_threads"] = threads
    return Config.model_validate(data)


def build_pipeline(config_json: str) -> Any:
    from anonymizer.pipeline import Pipeline

    return Pipeline.from_config(Config.model_validate(json.loads(config_json)))


def process(pipeline: Any, job: Job) -> Outcome:
    """Run one file; never raises (a failure is an ``Outcome``)."""
    start = time.perf_counter()
    try:
        result = pipeline.run(job.input_path, job.output_dir, overwrite=True)
        if result.status != "ok":
            return Outcome(job.relative, "failed", error=result.error, wall_s=time.perf_counter() - start)
        report = json.loads(job.report_out.read_text(encoding="utf-8"))
        model = report["models"][0] if report.get("models") else {}
        return Outcome(
            job.relative, "done", output_sha256=report["output"]["sha256"], audio_s=report["input"]["duration_s"],
            wall_s=time.perf_counter() - start, entity_counts=entity_counts([r.entity_type for r in result.redactions]),
            model={"name": model.get("name", ""), "source": model.get("source", "")},
        )
    except Exception as exc:  # noqa: BLE001 - one bad file never stops the batch
        return Outcome(job.relative, "failed", error=f"{job.input_path}: internal error: {exc!r}",
                       wall_s=time.perf_counter() - start)


class InProcessExecutor:
    """``--jobs 1``: the driver runs the pipeline itself (no process start-up, same results)."""

    def __init__(self, config: Config) -> None:
        self._config_json = _with_threads(config, threads_per_worker(config, 1)).model_dump_json()
        self._pipeline: Any = None

    def run(self, jobs: list[Job]) -> Iterator[Outcome]:
        for job in jobs:
            if self._pipeline is None:
                self._pipeline = build_pipeline(self._config_json)
            yield process(self._pipeline, job)

    def close(self) -> None:
        self._pipeline = None


def _die_with_parent() -> None:
    """Linux: the kernel SIGKILLs this worker when the driver dies, so no orphan keeps writing."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _init_worker(config_json: str) -> None:
    global _PIPELINE
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the driver's to handle
    _PIPELINE = build_pipeline(config_json)


def _process_in_worker(job: Job) -> Outcome:
    return process(_PIPELINE, job)


class LocalPoolExecutor:
    """``--jobs N``: N worker processes (spawned), each loading the models once."""

    def __init__(self, config: Config, workers: int) -> None:
        config_json = _with_threads(config, threads_per_worker(config, workers)).model_dump_json()
        self._workers = workers
        self._pool = ProcessPoolExecutor(workers, mp_context=get_context("spawn"), initializer=_init_worker,
                                         initargs=(config_json,))

    def run(self, jobs: list[Job]) -> Iterator[Outcome]:
        pending = iter(jobs)
        running: dict[Future[Outcome], Job] = {}
        # keep a small queue per worker, so a kill loses little and progress stays honest
        for job in pending:
            running[self._pool.submit(_process_in_worker, job)] = job
            if len(running) >= 2 * self._workers:
                break
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                job = running.pop(future)
                try:
                    yield future.result()
                except Exception as exc:  # noqa: BLE001 - a crashed worker fails its file, not the batch
                    yield Outcome(job.relative, "failed", error=f"{job.input_path}: worker crashed: {exc!r}")
                next_job = next(pending, None)
                if next_job is not None:
                    running[self._pool.submit(_process_in_worker, next_job)] = next_job

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
