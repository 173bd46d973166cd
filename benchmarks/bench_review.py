"""Re-render speed after a review: ``apply`` from the kept analysis, no model load.

For each shipped sample and a 10-minute call (the English sample repeated), the pipeline runs once (the
models: not timed) with the default voice chain, keeping its analysis in a private cache under a temp
folder. Then ``apply`` re-renders it with an edit (one finding kept audible, one span added) ``--runs``
times, each in a fresh process: the time of the re-render itself (decode, render, voice, encode, report)
and of the whole ``anonymizer apply`` command (Python start-up and imports included). Prints seconds per
minute of audio, the median over the runs. Target: the re-render <= 1 s per audio minute on 2 cores.

Run: ``python benchmarks/bench_review.py [--runs 5]``.
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

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from anonymizer.audio import FORMATS, decode, write_atomic  # noqa: E402

SAMPLES = ROOT / "samples"
TIMED = """
import json, sys, time
from pathlib import Path
from anonymizer.edits import parse_edits
from anonymizer.review.apply import apply_review
path, edits = Path(sys.argv[1]), json.loads(sys.argv[2])
start = time.perf_counter()
applied = apply_review(path, parse_edits(edits))
assert applied.result.ok, applied.result.error
print(time.perf_counter() - start)
"""


def long_call(folder: Path, minutes: float) -> Path:
    audio = decode(SAMPLES / "call_en.wav")
    repeats = int(np.ceil(minutes * 60 / audio.duration_s))
    path = folder / f"call_en_{minutes:g}min.wav"
    write_atomic(audio.with_samples(np.tile(audio.samples, (repeats, 1))[: int(minutes * 60 * audio.sample_rate_hz)]),
                 path, FORMATS["wav"])
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-review-") as scratch:
        folder = Path(scratch)
        env = {**os.environ, "ANONYMIZER_CACHE_DIR": str(folder / "cache")}
        jobs = [(SAMPLES / "call_de.wav", []), (SAMPLES / "call_en.wav", []), (SAMPLES / "call_de_stereo.flac", []),
                (long_call(folder, 10), ["-c", "en", "--model", "tiny.en"])]
        print(f"{'input':<28} {'audio min':>9} {'re-render s':>11} {'s/audio min':>11} {'command s':>9} "
              f"{'cmd s/min':>9}")
        per_minute = []
        for path, options in jobs:
            out = folder / f"out-{path.stem}"
            subprocess.run([sys.executable, "-m", "anonymizer.cli", "run", str(path), "-o", str(out), *options],
                           env=env, check=True, capture_output=True)
            report = json.loads((out / f"{path.stem}.anon.json").read_text())
            first, duration_s = report["redactions"][0], report["input"]["duration_s"]
            edits = {"input_sha256": report["input"]["sha256"], "remove": [first["id"]],
                     "add": [{"start_s": round(duration_s / 2, 2), "end_s": round(duration_s / 2 + 1.0, 2),
                              "type": "PERSON"}]}
            edits_file = folder / f"{path.stem}.edits.yaml"
            edits_file.write_text(json.dumps(edits))  # JSON is YAML
            renders, commands = [], []
            for _ in range(args.runs):
                done = subprocess.run([sys.executable, "-c", TIMED, str(path), json.dumps(edits)], env=env,
                                      check=True, capture_output=True, text=True, cwd=ROOT)
                renders.append(float(done.stdout.strip().splitlines()[-1]))
                start = time.perf_counter()
                subprocess.run([sys.executable, "-m", "anonymizer.cli", "apply", str(path), "--edits",
                                str(edits_file)], env=env, check=True, capture_output=True, cwd=ROOT)
                commands.append(time.perf_counter() - start)
            minutes = duration_s / 60
            render_s, command_s = statistics.median(renders), statistics.median(commands)
            per_minute.append(render_s / minutes)
            print(f"{path.name:<28} {minutes:>9.2f} {render_s:>11.3f} {render_s / minutes:>11.3f} {command_s:>9.2f} "
                  f"{command_s / minutes:>9.2f}")
        print(f"rerender_s_per_audio_minute={max(per_minute):.3f}")


if __name__ == "__main__":
    main()
