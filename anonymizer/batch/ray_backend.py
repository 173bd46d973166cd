"""``--backend ray``: the same work on a Ray cluster, models loaded once per worker actor.

Security: Ray's usage-statistics reporting is always switched off. A local instance started here binds
to 127.0.0.1 only (Ray has no per-port authentication on every version, and an exposed port lets
anyone on the network run code); it starts no dashboard. See docs/CLUSTER.md for real clusters.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from anonymizer.batch.discover import Job
from anonymizer.batch.executors import (
    PipelineFactory,
    _with_threads,
    build_pipeline,
    process,
    real_pipeline,
    threads_per_worker,
)
from anonymizer.config import Config
from anonymizer.errors import ConfigError
from anonymizer.types import FileResult


def ray_environment(local: bool) -> None:
    """Set before ``import ray``: no usage statistics, ever; a local node on the loopback address."""
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    if local:
        # Ray uses the loopback IP as the node IP (and binds its servers to it) when "clusters" are off.
        os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"


class _PipelineActor:
    """One worker: builds the pipeline once, processes many files from the shared filesystem."""

    def __init__(self, factory: PipelineFactory, config_json: str) -> None:
        self._pipeline = build_pipeline(factory, config_json)

    def process(self, job: Job) -> FileResult:
        return process(self._pipeline, job)


class RayExecutor:
    def __init__(self, config: Config, workers: int, address: str | None,
                 factory: PipelineFactory = real_pipeline) -> None:
        ray_environment(local=address is None)
        try:
            import ray
            from ray.util import ActorPool
        except ImportError as exc:
            raise ConfigError('--backend ray needs Ray: pip install -e ".[cluster]"') from exc
        self._ray = ray
        self._started_here = not ray.is_initialized()
        if self._started_here:
            if address is None:
                ray.init(include_dashboard=False, num_cpus=os.cpu_count() or 1, log_to_driver=False,
                         configure_logging=False)
            else:
                ray.init(address=address, log_to_driver=False, configure_logging=False)
        threads = threads_per_worker(config, workers)
        gpus = float(ray.cluster_resources().get("GPU", 0.0))
        num_gpus = min(1.0, gpus / workers) if gpus else 0.0
        actor_class: Any = ray.remote(num_cpus=threads, num_gpus=num_gpus)(_PipelineActor)
        config_json = _with_threads(config, threads).model_dump_json()
        self._pool = ActorPool([actor_class.remote(factory, config_json) for _ in range(workers)])

    def run(self, jobs: list[Job]) -> Iterator[FileResult]:
        yield from self._pool.map_unordered(lambda actor, job: actor.process.remote(job), jobs)

    def close(self) -> None:
        if self._started_here:
            self._ray.shutdown()
