"""Export speed: ``anonymizer export`` from kept analyses, no speech model loaded.

The shipped samples and a 10-minute call (the English sample repeated) are anonymized once (models: not
timed), keeping their analyses in a private cache under a temp folder. Then the export runs ``--runs``
times into fresh dataset folders, in this process: with the leak check (detection over every segment's
text; the detectors are loaded once before timing, and that load is printed on its own) and without it.
Prints the median seconds per audio hour for each and the segments made.

Run: ``python benchmarks/bench_export.py [--runs 3]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from anonymizer.audio import FORMATS, decode, write_atomic  # noqa: E402
from anonymizer.types import Audio  # noqa: E402

SAMPLES = ROOT / "samples"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.environ["ANONYMIZER_CACHE_DIR"] = str(work / "cache")
        from anonymizer.config import load_config
        from anonymizer.export import ExportOptions, export, leak_checker
        from anonymizer.pipeline import Pipeline

        english = decode(SAMPLES / "call_en.wav")
        repeats = int(np.ceil(600 / english.duration_s))
        long_call = work / "call_en_10min.wav"
        write_atomic(Audio(np.tile(english.samples, (repeats, 1)), english.sample_rate_hz), long_call, FORMATS["wav"])
        inputs = [SAMPLES / "call_de.wav", SAMPLES / "call_en.wav", SAMPLES / "call_de_stereo.flac", long_call]
        pipeline = Pipeline.from_config(load_config("default"))
        out = work / "out"
        for path in inputs:
            result = pipeline.run(path, out)
            assert result.ok, result.error
        audio_h = sum(decode(p).duration_s for p in inputs) / 3600
        started = time.perf_counter()
        check = leak_checker()
        for language in ("de", "en"):
            check("warm up", language)
        load_s = time.perf_counter() - started
        for label, leak in (("with the leak check", True), ("without it", False)):
            times, segments = [], 0
            for run in range(args.runs):
                started = time.perf_counter()
                summary = export(out, work / f"ds_{leak}_{run}", ExportOptions(text="tag", leak_check=leak),
                                 leak_check=check if leak else None)
                times.append(time.perf_counter() - started)
                assert summary.exit_code == 0, summary.problems + summary.refused
                segments = sum(len(c.rows) for c in summary.calls)
            median = statistics.median(times)
            print(f"export {label}: {median:.2f} s for {audio_h * 60:.1f} audio minutes, {segments} segments -> "
                  f"{median / audio_h:.0f} s per audio hour (median of {args.runs})")
        print(f"loading the leak check's detectors (de, en), once per export: {load_s:.1f} s")


if __name__ == "__main__":
    main()
