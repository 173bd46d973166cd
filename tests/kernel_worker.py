"""Anonymize the shipped samples in a fresh process, sockets blocked, and write what the tests check as JSON.

``python -m tests.kernel_worker OUT_DIR``: the caller sets the math-kernel environment (``CT2_FORCE_CPU_ISA``,
``CT2_USE_MKL``, ``MKL_ENABLE_INSTRUCTIONS``, ``ONEDNN_MAX_CPU_ISA``) before CTranslate2 loads, which only a new
process allows. Writes ``OUT_DIR/results.json``: per sample the status, the redactions, the report's path
and the re-transcription of the output.
"""

from __future__ import annotations

import json
import socket
import sys
from pathlib import Path

SAMPLE_FILES = ["call_de.wav", "call_en.wav", "call_de_stereo.flac"]
VOICE_SEED = 20261124


def _block_network() -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(f"network blocked by test: {args[:2]!r}")

    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            refuse(self, address)
        real_connect(self, address)  # type: ignore[arg-type]

    socket.socket.connect = guarded  # type: ignore[method-assign]
    socket.getaddrinfo = refuse  # type: ignore[assignment]
    socket.create_connection = refuse  # type: ignore[assignment]


def main(out_dir: Path) -> None:
    _block_network()
    from anonymizer.audio import decode, to_mono_16k
    from anonymizer.config import load_config
    from anonymizer.pipeline import Pipeline
    from anonymizer.vad import speech_regions
    from tests.helpers import SAMPLES

    pipeline = Pipeline.from_config(load_config("default", {"voice": {"seed": VOICE_SEED}}))
    results = {}
    for name in SAMPLE_FILES:
        result = pipeline.run(SAMPLES / name, out_dir)
        entry: dict[str, object] = {"status": str(result.status), "error": result.error,
                                    "redactions": [[r.start_s, r.end_s, r.entity_type, r.channel]
                                                   for r in result.redactions]}
        if result.output_path is not None:
            mono = to_mono_16k(decode(result.output_path))
            entry["retranscript"] = pipeline.transcriber.transcribe(mono, speech_regions(mono), None).text
            entry["report_path"] = str(result.report_path)
        results[name] = entry
    (out_dir / "results.json").write_text(json.dumps(results, indent=1, default=float))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
