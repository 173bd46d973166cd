"""Pipeline speed and memory on the shipped samples, against a bare faster-whisper transcription.

For each sample, ``--runs`` times (interleaved, so machine noise hits both alike):
  * the whole ``anonymizer run`` as a fresh process (model load included), and
  * a bare faster-whisper transcription of the same file with the same model, compute type,
    threads and beam size, word timestamps on (model load included), as a fresh process.
Prints per-stage times (from the reports), real-time factor, peak RSS, and the ratio of the medians,
``overhead_ratio=<x>`` (target <= 1.15). Then the same for a short clip (``--clip``: by default
``../shared/data/clips/en/jfk.flac``, 11 s, when it is there, else the first 11 s of the English
sample): ``clip_ratio=<x>`` (wall, model load included; target <= 1.2) and ``clip_rss_ratio=<x>``
(peak RSS; target <= 1.3). The package's bytecode is compiled first, as ``pip install`` does.

Run: ``.venv/bin/python benchmarks/bench_pipeline.py [--runs 5] [--model base] [--clip PATH]``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from anonymizer.machine import math_kernels  # noqa: E402

SAMPLES = [ROOT / "samples" / "call_de.wav", ROOT / "samples" / "call_en.wav"]
JFK = ROOT.parent / "shared" / "data" / "clips" / "en" / "jfk.flac"

BARE = r"""
import sys
from anonymizer.models import locate_whisper
from faster_whisper import WhisperModel
located = locate_whisper(sys.argv[2])
files = located.read_files()  # once, as the run does
model = WhisperModel(located.path, device="cpu", compute_type="int8", cpu_threads=int(sys.argv[3]), files=files)
segments, info = model.transcribe(sys.argv[1], word_timestamps=True, beam_size=5, condition_on_previous_text=False)
words = [w for s in segments for w in s.words]
print(len(words), file=sys.stderr)
"""


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall_s = time.perf_counter() - start
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"command failed: {' '.join(cmd)}\n{stderr}")
    return wall_s, usage.ru_maxrss / 1024


def duration_s(path: Path) -> float:
    from anonymizer.audio import decode

    return decode(path).duration_s


def compare(sample: Path, runs: int, model: str, env: dict[str, str],
            threads: int) -> tuple[float, float, float, float]:
    """Interleaved runs of ``anonymizer run`` and bare faster-whisper on ``sample``; prints them and
    returns the medians of wall time and the peak RSS of each."""
    python = sys.executable
    anonymizer = str(Path(python).with_name("anonymizer"))
    audio_s = duration_s(sample)
    walls, bares, rss_run, rss_bare, stages = [], [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            wall, rss = timed([anonymizer, "run", str(sample), "-o", tmp, "--overwrite", "--model", model], env)
            walls.append(wall)
            rss_run.append(rss)
            report = json.loads((Path(tmp) / f"{sample.stem}.anon.json").read_text())
            stages.append(report["timings_s"])
            wall, rss = timed([python, "-c", BARE, str(sample), model, str(threads)], env)
            bares.append(wall)
            rss_bare.append(rss)
    med_run, med_bare = statistics.median(walls), statistics.median(bares)
    print(f"\n{sample.name}: {audio_s:.1f} s audio, math kernels {math_kernels()}")
    for stage in stages[0]:
        print(f"  stage {stage:<10} median {statistics.median(s[stage] for s in stages):7.3f} s")
    print(f"  anonymizer run   median {med_run:7.2f} s  RTF {med_run / audio_s:.3f}  peak RSS "
          f"{max(rss_run):.0f} MiB  runs {[round(x, 2) for x in walls]}")
    print(f"  bare whisper     median {med_bare:7.2f} s  RTF {med_bare / audio_s:.3f}  peak RSS "
          f"{max(rss_bare):.0f} MiB  runs {[round(x, 2) for x in bares]}")
    print(f"  ratio            {med_run / med_bare:.3f}")
    return med_run, med_bare, max(rss_run), max(rss_bare)


def clip_of(path: Path | None, tmp: Path) -> Path:
    """The short clip to measure: ``path``, jfk.flac when it is there, else 11 s of the English sample."""
    if path is not None:
        return path
    if JFK.exists():
        return JFK
    from anonymizer.audio import FORMATS, decode, write_atomic

    audio = decode(SAMPLES[1])
    clip = tmp / "clip11.wav"
    write_atomic(audio.with_samples(audio.samples[: 11 * audio.sample_rate_hz]), clip, FORMATS["wav"])
    return clip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--model", default="base")
    parser.add_argument("--clip", type=Path, default=None)
    args = parser.parse_args()
    threads = os.cpu_count() or 1
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    # as after ``pip install``: the package's bytecode compiled once (an editable install under
    # PYTHONDONTWRITEBYTECODE would compile every module in every run, ~0.3 s)
    import anonymizer

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(anonymizer.__file__).parent)], check=True,
                   env={k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"})
    totals_run, totals_bare = [], []
    print(f"model={args.model} runs={args.runs} threads={threads} cpu_count={os.cpu_count()}")
    for sample in SAMPLES:
        med_run, med_bare, _, _ = compare(sample, args.runs, args.model, env, threads)
        totals_run.append(med_run)
        totals_bare.append(med_bare)
    print(f"\noverhead_ratio={sum(totals_run) / sum(totals_bare):.3f}")
    with tempfile.TemporaryDirectory() as tmp:
        med_run, med_bare, rss_run, rss_bare = compare(clip_of(args.clip, Path(tmp)), args.runs, args.model, env,
                                                       threads)
    print(f"clip_ratio={med_run / med_bare:.3f}")
    print(f"clip_rss_ratio={rss_run / rss_bare:.3f}")


if __name__ == "__main__":
    main()
