"""The privacy properties hold for the transcripts other CPUs produce.

CTranslate2 and oneDNN/MKL pick math kernels by the CPU's instruction set, and the numerics differ: each
setting below gave other words for the shipped samples on the same machine (an IBAN's "D E acht neun" as
"D8", "D -8937", "D89374," or glued into the word before it). The native kernels run in test_e2e.py; here
the samples are anonymized again in a fresh process under each forced setting, and the same properties are
asserted — never one machine's words.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from anonymizer.spans import merge
from anonymizer.types import TimeSpan
from tests.helpers import ROOT, SAMPLES
from tests.leaks import leaked

pytestmark = pytest.mark.e2e


def _intel() -> bool:
    try:
        return "GenuineIntel" in Path("/proc/cpuinfo").read_text()
    except OSError:
        return False


KERNEL_SETTINGS = {
    # the setting the hardening issue named: AVX2 kernels on an AVX-512 machine
    "avx2": {"CT2_FORCE_CPU_ISA": "AVX2", "MKL_ENABLE_INSTRUCTIONS": "AVX2", "ONEDNN_MAX_CPU_ISA": "AVX2"},
    # the lowest x86 level CTranslate2 has (SSE4.1 in oneDNN)
    "generic": {"CT2_FORCE_CPU_ISA": "GENERIC", "MKL_ENABLE_INSTRUCTIONS": "SSE4_2", "ONEDNN_MAX_CPU_ISA": "SSE41"},
}
if _intel():
    # CTranslate2 uses Intel's MKL on Intel CPUs and oneDNN elsewhere: on Intel, oneDNN's numerics too.
    # (The reverse, MKL on an AMD CPU, runs MKL's slow generic path: 6 minutes for the three samples.)
    KERNEL_SETTINGS["onednn"] = {"CT2_USE_MKL": "0"}


@pytest.fixture(scope="module", params=sorted(KERNEL_SETTINGS))
def kernel_run(request, tmp_path_factory):
    out_dir = tmp_path_factory.mktemp(f"kernels-{request.param}")
    env = {**os.environ, **KERNEL_SETTINGS[request.param]}
    done = subprocess.run([sys.executable, "-m", "tests.kernel_worker", str(out_dir)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads((out_dir / "results.json").read_text())


def _truth(name: str) -> dict:
    return json.loads((SAMPLES / f"{name.split('.')[0]}.truth.json").read_text())


def test_every_pii_item_lies_inside_a_redaction(kernel_run):
    missed = {}
    for name, result in kernel_run.items():
        assert result["status"] == "ok", result["error"]
        spans = merge(TimeSpan(start_s, end_s) for start_s, end_s, _entity, _channel in result["redactions"])
        missed[name] = [(item["label"], item["start_s"], item["end_s"]) for item in _truth(name)["pii"]
                        if not any(s.contains(TimeSpan(item["start_s"], item["end_s"])) for s in spans)]
    assert {name: items for name, items in missed.items() if items} == {}


def test_retranscribing_the_output_recovers_no_pii(kernel_run):
    leaks = {}
    for name, result in kernel_run.items():
        for item in _truth(name)["pii"]:
            if hits := leaked(item["label"], item["value"], result["retranscript"]):
                leaks[(name, item["label"])] = hits
    assert leaks == {}


def test_reports_hold_no_pii(kernel_run):
    for name, result in kernel_run.items():
        report = json.loads(Path(result["report_path"]).read_text())
        for item in _truth(name)["pii"]:
            assert leaked(item["label"], item["value"], report["transcript_redacted"]) == []
