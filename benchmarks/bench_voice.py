"""Speed of the voice stage on one core: x real time for 16 kHz mono, per transform, the levels' chains
and the synthetic voice.

Pins the process to one CPU and one BLAS/OpenMP thread, then times each transform on the English sample
(16 kHz mono) ``--runs`` times and prints the median. Targets: the default chain >= 50x real time, the
synthetic voice (espeak-ng, and Piper's English voice) >= 20x (its words come from one tiny.en
transcription first, which is not timed; each run synthesizes every phrase anew).

Run: .venv/bin/python benchmarks/bench_voice.py [--runs 5]
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from anonymizer.audio import decode  # noqa: E402
from anonymizer.config import STRONG_CHAIN, Config  # noqa: E402
from anonymizer.machine import math_kernels  # noqa: E402
from anonymizer.voice import Step, transform  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    audio = decode(ROOT / "samples" / "call_en.wav")
    assert audio.sample_rate_hz == 16000 and audio.n_channels == 1
    default = tuple(Step(s.transform, s.range[0], s.range[1], s.either_sign) for s in Config().voice.chain)
    chains = {"pitch": (Step("pitch", 3.0, 3.0),), "psola": (Step("psola", 3.0, 3.0),),
              "mcadams": (Step("mcadams", 0.8, 0.8),),
              "formant": (Step("formant", 1.15, 1.15),),
              "strong": tuple(Step(s.transform, s.range[0], s.range[1], s.either_sign) for s in STRONG_CHAIN),
              "default chain": default}
    transform(audio, chains["default chain"], 1, "warm-up")  # imports, plan caches
    print(f"{audio.duration_s:.1f} s of 16 kHz mono, one core (affinity {sorted(os.sched_getaffinity(0))}), "
          f"{args.runs} runs, math kernels {math_kernels()}")
    for name, chain in chains.items():
        times = []
        for run in range(args.runs):
            start = time.perf_counter()
            transform(audio, chain, run, "bench")
            times.append(time.perf_counter() - start)
        median = statistics.median(times)
        print(f"  {name:<14} median {median:6.3f} s   {audio.duration_s / median:7.1f}x real time")
    print(f"default_chain_x_realtime={audio.duration_s / median:.1f}")
    for engine in ("espeak", "piper"):
        synthetic = synthetic_median_s(audio, args.runs, engine)
        print(f"  {'synthetic ' + engine:<17} median {synthetic:6.3f} s   "
              f"{audio.duration_s / synthetic:7.1f}x real time")
        print(f"synthetic_{engine}_x_realtime={audio.duration_s / synthetic:.1f}")


def synthetic_median_s(audio, runs: int, engine: str) -> float:  # type: ignore[no-untyped-def]
    from anonymizer.audio import to_mono_16k
    from anonymizer.models import locate_whisper
    from anonymizer.synthetic import Resynthesis
    from anonymizer.transcribe import FasterWhisperTranscriber
    from anonymizer.types import TimeSpan

    words = FasterWhisperTranscriber(locate_whisper("tiny.en"), cpu_threads=1).transcribe(
        to_mono_16k(audio), [TimeSpan(0.0, audio.duration_s)], "en").words
    times = []
    for run in range(runs + 1):  # the first loads the synthesizer
        start = time.perf_counter()
        Resynthesis({0: words}, {}, {0: "en"}, run, "bench", audio.sample_rate_hz, engine=engine).block(audio.samples,
                                                                                                         0)
        times.append(time.perf_counter() - start)
    return statistics.median(times[1:])


if __name__ == "__main__":
    main()
