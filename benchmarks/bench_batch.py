"""Batch throughput (audio hours per hour) for 1 and 2 local jobs, and the batch layer's overhead.

Makes ``--copies`` 20-second clips from the samples, then, as fresh processes (model loads included):
  * ``anonymizer batch IN -o OUT --jobs 1`` and ``--jobs 2``,
  * the same files one by one: one ``anonymizer run`` per file (what a user without batch would do),
  * the same files in one ``anonymizer run f1 f2 …`` (models loaded once, no batch layer),
each ``--runs`` times; prints medians. The batch layer's overhead is batch --jobs 1 against the single
``anonymizer run`` over all files (same work, same model loads; the difference is discovery, hashing,
state store, audit log).

Run: ``.venv/bin/python benchmarks/bench_batch.py [--copies 8] [--runs 3]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from anonymizer.audio import FORMATS, decode, write_atomic  # noqa: E402
from anonymizer.machine import math_kernels  # noqa: E402

SOURCES = [ROOT / "samples" / "call_de.wav", ROOT / "samples" / "call_en.wav"]


def make_inputs(directory: Path, copies: int, clip_s: float) -> float:
    total_s = 0.0
    for index in range(copies):
        audio = decode(SOURCES[index % 2])
        start = int((index // 2 * clip_s) % max(1.0, audio.duration_s - clip_s) * audio.sample_rate_hz)
        piece = audio.with_samples(audio.samples[start : start + int(clip_s * audio.sample_rate_hz)])
        write_atomic(piece, directory / f"call_{index:03d}.wav", FORMATS["wav"])
        total_s += piece.duration_s
    return total_s


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=8)
    parser.add_argument("--clip-s", type=float, default=20.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--model", default="base")
    args = parser.parse_args()
    anonymizer = str(Path(sys.executable).with_name("anonymizer"))
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in"
        src.mkdir()
        audio_s = make_inputs(src, args.copies, args.clip_s)
        files = sorted(str(p) for p in src.iterdir())
        results: dict[str, list[float]] = {"batch --jobs 1": [], "batch --jobs 2": [], "run, all files": [],
                                           "run, one by one": []}
        for _ in range(args.runs):
            for jobs in (1, 2):
                out = Path(tmp) / f"out{jobs}"
                shutil.rmtree(out, ignore_errors=True)
                results[f"batch --jobs {jobs}"].append(
                    timed([anonymizer, "batch", str(src), "-o", str(out), "--jobs", str(jobs), "--quiet",
                           "--model", args.model]))
            out = Path(tmp) / "run_all"
            shutil.rmtree(out, ignore_errors=True)
            results["run, all files"].append(timed([anonymizer, "run", *files, "-o", str(out), "--model", args.model]))
            out = Path(tmp) / "run_each"
            shutil.rmtree(out, ignore_errors=True)
            start = time.perf_counter()
            for f in files:
                timed([anonymizer, "run", f, "-o", str(out), "--model", args.model])
            results["run, one by one"].append(time.perf_counter() - start)
    print(f"{args.copies} files, {audio_s / 3600:.4f} h audio, model={args.model}, runs={args.runs}, "
          f"cpu_count={os.cpu_count()}, math kernels {math_kernels()}")
    medians = {name: statistics.median(times) for name, times in results.items()}
    for name, median in medians.items():
        print(f"  {name:<18} median {median:7.2f} s   throughput {audio_s / median:6.2f} audio h/h   "
              f"runs {[round(t, 2) for t in results[name]]}")
    print(f"jobs2_speedup={medians['batch --jobs 1'] / medians['batch --jobs 2']:.3f}")
    print(f"batch_vs_one_by_one={medians['batch --jobs 1'] / medians['run, one by one']:.3f}")
    print(f"batch_layer_overhead={medians['batch --jobs 1'] / medians['run, all files']:.3f}")


if __name__ == "__main__":
    main()
