"""Where the pipeline runs: in this process, in local worker processes, or on a Ray cluster.

Every executor builds its pipeline once per worker with a ``PipelineFactory`` (``Pipeline.from_config``
unless a caller injects another: tests pass fakes) and streams ``FileResult``s back as files finish.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from multiprocessing import get_context
from typing import TYPE_CHECKING, Any, Protocol

from anonymizer.batch.discover import Job
from anonymizer.config import Config
from anonymizer.console import describe_bug
from anonymizer.types import FileResult, FileStatus

if TYPE_CHECKING:
    from anonymizer.pipeline import Pipeline

# builds a worker's pipeline; it crosses into worker processes, so it must be picklable (a module-level function)
PipelineFactory = Callable[[Config], "Pipeline"]
_PIPELINE: Any = None  # the worker's Pipeline, built once by its initializer


def real_pipeline(config: Config) -> Pipeline:
    """The default factory: the real engines, offline (``Pipeline.from_config``)."""
    from anonymizer.pipeline import Pipeline

    return Pipeline.from_config(config)


class Executor(Protocol):
    def run(self, jobs: list[Job]) -> Iterator[FileResult]: ...

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


def build_pipeline(factory: PipelineFactory, config_json: str) -> Pipeline:
    """A worker's pipeline with its models loaded now: a model that cannot load stops the batch before
    any file is marked failed (``run`` loads at its first file instead)."""
    pipeline = factory(Config.model_validate(json.loads(config_json)))
    pipeline.load()
    return pipeline


def process(pipeline: Pipeline, job: Job) -> FileResult:
    """Run one file; never raises (a failure is a failed ``FileResult``)."""
    try:
        return pipeline.run(job.input_path, job.output_dir, overwrite=True)
    except Exception as exc:  # noqa: BLE001 - one bad file never stops the batch
        return FileResult(job.input_path, FileStatus.FAILED,
                          error=f"{job.input_path}: internal error: {describe_bug(exc)}")


class InProcessExecutor:
    """``--jobs 1``: the driver runs the pipeline itself (no process start-up, same results)."""

    def __init__(self, config: Config, factory: PipelineFactory = real_pipeline) -> None:
        self._config_json = _with_threads(config, threads_per_worker(config, 1)).model_dump_json()
        self._factory = factory
        self._pipeline: Pipeline | None = None

    def run(self, jobs: list[Job]) -> Iterator[FileResult]:
        for job in jobs:
            if self._pipeline is None:
                self._pipeline = build_pipeline(self._factory, self._config_json)
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


def _init_worker(factory: PipelineFactory, config_json: str) -> None:
    global _PIPELINE
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the driver's to handle
    _PIPELINE = build_pipeline(factory, config_json)


def _process_in_worker(job: Job) -> FileResult:
    return process(_PIPELINE, job)


class LocalPoolExecutor:
    """``--jobs N``: N worker processes (spawned), each loading the models once."""

    def __init__(self, config: Config, workers: int, factory: PipelineFactory = real_pipeline) -> None:
        config_json = _with_threads(config, threads_per_worker(config, workers)).model_dump_json()
        self._workers = workers
        self._pool = ProcessPoolExecutor(workers, mp_context=get_context("spawn"), initializer=_init_worker,
                                         initargs=(factory, config_json))

    def run(self, jobs: list[Job]) -> Iterator[FileResult]:
        pending = iter(jobs)
        running: dict[Future[FileResult], Job] = {}
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
                    yield FileResult(job.input_path, FileStatus.FAILED,
                                     error=f"{job.input_path}: worker crashed: {type(exc).__name__}")
                next_job = next(pending, None)
                if next_job is not None:
                    running[self._pool.submit(_process_in_worker, next_job)] = next_job

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
