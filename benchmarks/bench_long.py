"""Long recordings: wall time, x real time and peak memory of ``anonymizer run`` by length.

Builds call-like inputs by repeating a shipped sample with pauses (1-5 s of low noise) between the copies:
``mono16k`` (``samples/call_en.wav``, English, 16 kHz mono) and ``stereo8k`` (``samples/call_de_stereo.flac``,
German, 8 kHz, agent and customer on their own channels), 10 min, 1 h and 4 h by default. The inputs are
written block by block (never held whole) into ``--work`` and kept there for the next run.

Each run is a fresh process (model load included) measured with ``wait4``: peak RSS of the process,
wall time, x real time, seconds per audio minute and that against the 10-minute file's, and the
ground-truth items of every whole copy of the sample that no redaction covers (a border between
blocks must lose nothing).

``peak RSS`` is the largest of the process tree (``wait4``), ``largest`` the peak of its largest single process
(sampled from ``/proc``): with ``--via batch`` or ``--via ray`` the file goes through a one-file batch, and
that is the worker's or the Ray actor's.

Run: ``.venv/bin/python benchmarks/bench_long.py [--sizes 10m,1h,4h] [--kinds mono16k,stereo8k] [--model base]
[--via run|batch|ray]``
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from anonymizer.machine import math_kernels  # noqa: E402

KINDS = {"mono16k": (ROOT / "samples" / "call_en.wav", "en"),
         "stereo8k": (ROOT / "samples" / "call_de_stereo.flac", "de")}
SEED = 2026


def seconds(size: str) -> float:
    """``10m`` -> 600, ``1h`` -> 3600, ``90s`` -> 90."""
    units = {"s": 1, "m": 60, "h": 3600}
    return float(size[:-1]) * units[size[-1]]


def layout(sample_n: int, rate: int, total_s: float, n_channels: int) -> list[tuple[int, np.ndarray | None]]:
    """Where each piece starts, and the pause's samples (None: a copy of the sample), until ``total_s``."""
    rng = np.random.default_rng(SEED)
    pieces: list[tuple[int, np.ndarray | None]] = []
    done, total = 0, int(total_s * rate)
    while done < total:
        pieces.append((done, None))
        done += min(sample_n, total - done)
        if done >= total:
            break
        pause = rng.normal(0, 0.002, (min(total - done, int(rng.uniform(1.0, 5.0) * rate)), n_channels))
        pieces.append((done, pause.astype(np.float32)))
        done += len(pause)
    return pieces


def build(kind: str, size: str, work: Path) -> tuple[Path, list[float]]:
    """The input file (built once, block by block) and where each whole copy of the sample starts (s)."""
    from anonymizer.audio import FORMATS, decode, write_blocks_atomic

    sample_path, _ = KINDS[kind]
    sample = decode(sample_path)
    path = work / f"{kind}_{size}.flac"
    total = int(seconds(size) * sample.sample_rate_hz)
    pieces = layout(sample.n_samples, sample.sample_rate_hz, seconds(size), sample.n_channels)
    if not path.exists():
        blocks = (sample.samples[: total - start] if pause is None else pause for start, pause in pieces)
        write_blocks_atomic(blocks, sample.sample_rate_hz, sample.n_channels, path, FORMATS["flac"])
    return path, [start / sample.sample_rate_hz for start, pause in pieces
                  if pause is None and start + sample.n_samples <= total]


# an item counts as missed when more of it than this is outside every redaction: the report's times are
# rounded to the millisecond and a copy starts on a sample, so a covered item may show a sliver of < 1 ms
MISSED_MIN_S = 0.02


def missed(report: dict, truth: list[dict], starts_s: list[float]) -> int:
    """Items of the sample's ground truth, in every whole copy, with more than ``MISSED_MIN_S`` of them
    outside the (merged) redactions."""
    from anonymizer.spans import merge
    from anonymizer.types import TimeSpan

    spans = merge(TimeSpan(r["start_s"], r["end_s"]) for r in report["redactions"])
    items = [TimeSpan(item["start_s"] + s, item["end_s"] + s) for s in starts_s for item in truth]

    def uncovered_s(item: TimeSpan) -> float:
        return item.duration_s - sum(max(0.0, min(s.end_s, item.end_s) - max(s.start_s, item.start_s))
                                     for s in spans if s.end_s > item.start_s and s.start_s < item.end_s)

    return sum(1 for item in items if uncovered_s(item) > MISSED_MIN_S)


class LargestProcess(threading.Thread):
    """Samples the peak RSS (``VmHWM``) of every process below ``root`` every 0.2 s: a batch's worker or a
    Ray actor is a process of its own, and ``wait4`` gives the tree's largest only for waited children."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root, self.peak_mib, self.done = root, 0.0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.2):
            parents: dict[int, int] = {}
            for stat in Path("/proc").glob("[0-9]*/stat"):
                try:
                    fields = stat.read_text().rsplit(")", 1)[1].split()
                    parents[int(stat.parent.name)] = int(fields[1])
                except (OSError, IndexError, ValueError):
                    continue
            below = {self.root}
            for _ in range(6):  # a few generations: driver, raylet, worker
                below |= {pid for pid, parent in parents.items() if parent in below}
            for pid in below:
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                for line in status.splitlines():
                    if line.startswith("VmHWM:"):
                        self.peak_mib = max(self.peak_mib, int(line.split()[1]) / 1024)


def run(path: Path, language: str, model: str, out: Path, via: str) -> tuple[float, float, float, dict]:
    """Wall seconds, peak RSS of the whole run and of its largest process (MiB) and the report of one
    ``anonymizer run`` (or a one-file ``batch``, local or on Ray) as a fresh process."""
    exe = str(Path(sys.executable).parent / "anonymizer")
    common = ["--model", model, "--language", language]
    if via == "run":
        cmd = [exe, "run", str(path), "-o", str(out), "--overwrite", *common]
    else:
        folder = out.parent / f"in-{path.stem}"
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
        folder.mkdir(parents=True)
        os.link(path, folder / path.name)
        cmd = [exe, "batch", str(folder), "-o", str(out), "--backend", "local" if via == "batch" else "ray",
               "--jobs", "1", "--quiet", *common]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = LargestProcess(proc.pid)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall_s = time.perf_counter() - start
    sampler.done.set()
    sampler.join()
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{stderr}")
    report = json.loads(next(out.rglob(f"{path.stem}.anon.json")).read_text())
    return wall_s, usage.ru_maxrss / 1024, sampler.peak_mib, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10m,1h,4h")
    parser.add_argument("--kinds", default="mono16k,stereo8k")
    parser.add_argument("--model", default="base")
    parser.add_argument("--work", type=Path, default=Path("/tmp/anonymizer-bench-long"))
    parser.add_argument("--via", choices=["run", "batch", "ray"], default="run",
                        help="one `anonymizer run`, or a one-file `batch` with a local worker or a Ray actor")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"via {args.via}, model {args.model}, math kernels {math_kernels()}")
    print(f"{'input':<16} {'audio':>8} {'wall':>8} {'x RT':>6} {'s/min':>6} {'vs 10m':>6} {'peak RSS':>9} "
          f"{'largest':>8} {'copies':>6} {'items missed':>12}")
    for kind in args.kinds.split(","):
        sample_path, language = KINDS[kind]
        truth = json.loads(sample_path.with_suffix(".truth.json").read_text())["pii"]
        per_minute_10m = None
        for size in args.sizes.split(","):
            path, starts_s = build(kind, size, args.work)
            wall_s, rss_mib, largest_mib, report = run(path, language, args.model, args.work / f"out-{args.via}",
                                                       args.via)
            audio_s = report["input"]["duration_s"]
            per_minute = wall_s / (audio_s / 60)
            if size == "10m":
                per_minute_10m = per_minute
            versus = f"{per_minute / per_minute_10m:.2f}" if per_minute_10m else "-"
            lost = missed(report, truth, starts_s)
            print(f"{kind + ' ' + size:<16} {audio_s / 60:>6.1f}m {wall_s:>7.0f}s {audio_s / wall_s:>6.1f} "
                  f"{per_minute:>6.2f} {versus:>6} {rss_mib / 1024:>7.2f}GB {largest_mib / 1024:>6.2f}GB "
                  f"{len(starts_s):>6} {f'{lost}/{len(starts_s) * len(truth)}':>12}", flush=True)
            print(f"peak_rss_gb[{kind},{size}]={rss_mib / 1024:.2f}", flush=True)
            print(f"largest_process_rss_gb[{kind},{size}]={largest_mib / 1024:.2f}", flush=True)


if __name__ == "__main__":
    main()
