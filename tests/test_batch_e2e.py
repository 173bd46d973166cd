"""Batch with the real engines: bad files among good ones, SIGKILL and resume, and the Ray backend."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from anonymizer.audio import FORMATS, decode, write_atomic
from anonymizer.batch import BatchOptions, run_batch
from anonymizer.batch.progress import QuietReporter
from anonymizer.batch.state import StateStore, sha256_file
from anonymizer.cli import cli
from anonymizer.config import load_config
from anonymizer.report import validate_report
from tests.helpers import SAMPLES

pytestmark = pytest.mark.e2e
ANONYMIZER = str(Path(sys.executable).with_name("anonymizer"))


def clip(source: Path, start_s: float, end_s: float, target: Path, fmt: str = "wav") -> Path:
    audio = decode(source)
    rate = audio.sample_rate_hz
    write_atomic(audio.with_samples(audio.samples[int(start_s * rate) : int(end_s * rate)]), target, FORMATS[fmt])
    return target


def audit(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "audit.jsonl").read_text().splitlines() if line.startswith("{")]


def check_outputs_complete(out: Path, expected: set[str]) -> None:
    """Every expected output has its report, the report matches the audio, and nothing else is there."""
    audio = {p.relative_to(out).as_posix() for p in out.rglob("*.anon.*") if p.suffix != ".json"}
    assert audio == expected
    for name in expected:
        report_path = out / (name.rsplit(".anon.", 1)[0] + ".anon.json")
        report = json.loads(report_path.read_text())
        assert validate_report(report) == []
        assert report["output"]["sha256"] == sha256_file(out / name)
    assert not [p for p in out.rglob("*") if p.name.endswith(".part")]  # no temp files left


def test_tree_with_bad_files(tmp_path, monkeypatch):
    src, out = tmp_path / "in", tmp_path / "out"
    (src / "nested" / "deeper").mkdir(parents=True)
    clip(SAMPLES / "call_en.wav", 0.0, 20.0, src / "good_en.wav")
    clip(SAMPLES / "call_de.wav", 0.0, 20.0, src / "nested" / "deeper" / "good_de.wav")
    (src / "empty.wav").write_bytes(b"")
    full = clip(SAMPLES / "call_en.wav", 0.0, 20.0, tmp_path / "full.mp3", "mp3")
    (src / "nested" / "truncated.mp3").write_bytes(full.read_bytes()[: full.stat().st_size // 3])
    (src / "text.wav").write_text("this is a text file, not audio\n")
    locked = clip(SAMPLES / "call_en.wav", 0.0, 5.0, src / "locked.wav")
    locked.chmod(0)
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == locked else real_access(p, mode))

    result = CliRunner().invoke(cli, ["batch", str(src), "-o", str(out), "--quiet"])
    assert result.exit_code == 1, result.output
    rows = {r["input"]: r for r in __import__("csv").DictReader((out / "summary.csv").open())}
    assert {name: r["status"] for name, r in rows.items()} == {
        "good_en.wav": "done", "nested/deeper/good_de.wav": "done", "empty.wav": "failed",
        "nested/truncated.mp3": "failed", "text.wav": "failed", "locked.wav": "failed"}
    assert "empty file (0 bytes)" in rows["empty.wav"]["detail"]
    assert "truncated" in rows["nested/truncated.mp3"]["detail"]
    assert "not a recognized audio file" in rows["text.wav"]["detail"]
    assert "permission denied" in rows["locked.wav"]["detail"]
    check_outputs_complete(out, {"good_en.anon.wav", "nested/deeper/good_de.anon.wav"})
    assert "6 file(s) failed" not in result.output and "4 file(s) failed" in result.output


def test_sigkill_and_resume(tmp_path):
    """SIGKILL the driver (2 workers) mid-run; the rerun finishes with no partial outputs, no duplicates,
    and no file that was complete done a second time."""
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for index in range(6):
        sample = SAMPLES / "call_en.wav"  # English: the English-only model fails German speech
        clip(sample, 10.0 * index % 40, 10.0 * index % 40 + 10.0, src / f"call_{index}.wav")
    marker = uuid.uuid4().hex
    env = {**os.environ, "ANONYMIZER_TEST_MARKER": marker}
    cmd = [ANONYMIZER, "batch", str(src), "-o", str(out), "--jobs", "2", "--quiet", "--model", "tiny.en",
           "--language", "en"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if (out / "audit.jsonl").exists() and any(e.get("event") == "file" for e in audit(out)):
            break
        assert proc.poll() is None, "batch finished before it could be killed"
        time.sleep(0.05)
    else:
        pytest.fail("no file finished in time")
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    time.sleep(1.0)
    assert _processes_with(marker) == []  # the workers died with the driver (no orphan keeps writing)

    first_run_done = {e["input"] for e in audit(out) if e.get("event") == "file" and e["status"] == "done"}
    assert 1 <= len(first_run_done) < 6
    events_before = len(audit(out))

    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    second_run = audit(out)[events_before:]
    redone = {e["input"] for e in second_run if e.get("event") == "file"}
    assert not (redone & first_run_done)  # nothing complete was done twice
    finished = first_run_done | redone | {e["input"] for e in second_run if e.get("event") == "file-recovered"}
    assert finished == {f"call_{i}.wav" for i in range(6)}
    check_outputs_complete(out, {f"call_{i}.anon.wav" for i in range(6)})
    store = StateStore(out)
    assert {(r.key.relative, r.status) for r in store.rows()} == {(f"call_{i}.wav", "done") for i in range(6)}
    store.close()


def _processes_with(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _listening_sockets() -> set[tuple[str, int]]:
    """(address, port) of every listening TCP socket on this machine (from /proc/net; IPv4-mapped
    IPv6 addresses shown as IPv4)."""
    import ipaddress

    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] != "0A":  # LISTEN
                continue
            address_hex, port_hex = fields[1].split(":")
            raw = bytes.fromhex(address_hex)
            # the kernel prints each 32-bit word in host (little-endian) order
            packed = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
            address = ipaddress.ip_address(packed)
            if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
                address = address.ipv4_mapped
            found.add((str(address), int(port_hex, 16)))
    return found


class _SocketSnapshot(QuietReporter):
    """Looks at the listening sockets while Ray is up (at the first finished file)."""

    def __init__(self) -> None:
        self.during: set[tuple[str, int]] | None = None

    def update(self, relative, result, counters):  # type: ignore[no-untyped-def]
        if self.during is None:
            self.during = _listening_sockets()


def test_ray_backend_matches_local_and_stays_on_loopback(tmp_path):
    src = tmp_path / "in"
    (src / "nested").mkdir(parents=True)
    clip(SAMPLES / "call_en.wav", 0.0, 20.0, src / "a.wav")
    clip(SAMPLES / "call_de_stereo.flac", 0.0, 20.0, src / "nested" / "b.flac", "flac")
    (src / "bad.wav").write_text("not audio")
    config = load_config(None, {"voice": {"seed": 20261124}})  # a set seed: the same voices on both backends
    local = run_batch(BatchOptions(src, tmp_path / "local"), config, QuietReporter())

    before = _listening_sockets()
    snapshot = _SocketSnapshot()
    on_ray = run_batch(BatchOptions(src, tmp_path / "ray", jobs=2, backend="ray"), config, snapshot)
    assert os.environ["RAY_USAGE_STATS_ENABLED"] == "0"

    assert snapshot.during is not None
    opened = snapshot.during - before
    assert opened, "Ray opened no listening socket?"
    assert {address for address, _ in opened} <= {"127.0.0.1", "::1"}, opened
    assert all(port != 8265 for _, port in opened)  # no dashboard
    assert _listening_sockets() - before == set()  # all gone after shutdown

    def table(summary):  # type: ignore[no-untyped-def]
        return sorted((r.relative, r.status, r.redactions, r.output) for r in summary.rows)

    assert table(on_ray) == table(local)
    for name in ("a.anon.wav", "nested/b.anon.flac"):
        assert sha256_file(tmp_path / "ray" / name) == sha256_file(tmp_path / "local" / name)
    rows = {}
    for side in ("local", "ray"):
        store = StateStore(tmp_path / side)
        rows[side] = {(r.key, r.status, r.output_sha256) for r in store.rows()}
        store.close()
    assert rows["ray"] == rows["local"]
