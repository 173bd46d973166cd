"""The machine facts that change a transcript: which math kernels CTranslate2 and oneDNN run.

Both pick their kernels by the CPU's instruction set (AVX-512, AVX2, …), and the kernels round differently,
so the same audio can be transcribed, and so redacted, differently on two machines (docs/PRIVACY.md). The
report and the benchmarks' printouts name the instruction set and any variable that forces lower kernels,
so that a difference between two runs can be traced to the machine rather than the code.
"""

from __future__ import annotations

import os
import platform
from functools import lru_cache
from pathlib import Path

# the variables that force lower kernels (read when the libraries load)
KERNEL_VARIABLES = ("CT2_FORCE_CPU_ISA", "CT2_USE_MKL", "MKL_ENABLE_INSTRUCTIONS", "ONEDNN_MAX_CPU_ISA")
# /proc/cpuinfo flag -> name: the vector instruction sets, best first, and the extras some kernels use
VECTOR_FLAGS = (("avx512f", "AVX512"), ("avx2", "AVX2"), ("avx", "AVX"), ("sse4_2", "SSE4.2"), ("asimd", "NEON"))
EXTRA_FLAGS = (("avx512_bf16", "BF16"), ("amx_tile", "AMX"))


@lru_cache(maxsize=1)
def cpu_isa(cpuinfo: Path = Path("/proc/cpuinfo")) -> str:
    """The machine, its best vector instruction set and the extras ("x86_64 AVX512 BF16 AMX"), or the
    machine alone where the CPU's flags cannot be read (not Linux)."""
    machine = platform.machine() or "unknown"
    try:
        text = cpuinfo.read_text(errors="replace")
    except OSError:
        return machine
    flags: set[str] = set()
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() in ("flags", "features"):
            flags.update(value.split())
    vector = next((name for flag, name in VECTOR_FLAGS if flag in flags), "")
    return " ".join([machine, vector, *(name for flag, name in EXTRA_FLAGS if flag in flags)] if vector else [machine])


def math_kernels() -> str:
    """``cpu_isa()`` and the variables set that force lower kernels ("x86_64 AVX512 CT2_FORCE_CPU_ISA=AVX2")."""
    forced = [f"{name}={os.environ[name]}" for name in KERNEL_VARIABLES if os.environ.get(name)]
    return " ".join([cpu_isa(), *forced])
