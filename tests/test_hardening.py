"""The hostile probe's defects, each kept fixed by a test on real files (fake engines; the real ones in
test_hardening_e2e.py): bad input, bad output places, bad configs, batch abuse."""

from __future__ import annotations

import json
import logging
import os
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from anonymizer.audio import decode
from anonymizer.batch import BatchOptions, run_batch
from anonymizer.batch.progress import QuietReporter
from anonymizer.batch.state import BatchLock, BatchLockedError
from anonymizer.cli import cli, only_our_progress
from anonymizer.config import load_config
from anonymizer.errors import OutputWriteError
from anonymizer.files import check_writable
from tests.fakes import FakeWorkers
from tests.helpers import ROOT, sine, write_audio

CONFIG = load_config(None, {"voice": {"chain": []}})


def invoke(*args, engines=None):
    return CliRunner().invoke(cli, list(map(str, args)), obj=engines)


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def float_wav(path: Path, samples: np.ndarray, rate: int = 16000) -> Path:
    """A 32-bit float wav (format 3), written by hand: NaN and Inf survive in it."""
    data = samples.astype("<f4").tobytes()
    fmt = struct.pack("<HHIIHH", 3, 1, rate, rate * 4, 4, 32)
    path.write_bytes(b"RIFF" + struct.pack("<I", 4 + 8 + len(fmt) + 8 + len(data)) + b"WAVE" + b"fmt "
                     + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data)
    return path


# 1. -vv must not log personal data: other libraries' INFO/DEBUG lines never reach the console


def test_verbose_logging_keeps_only_our_progress_lines():
    def record(name: str, level: int) -> logging.LogRecord:
        return logging.LogRecord(name, level, __file__, 1, "Context list is: ['Anna', 'Schmidt']", None, None)

    assert not only_our_progress(record("presidio-analyzer", logging.DEBUG))
    assert not only_our_progress(record("faster_whisper", logging.INFO))
    assert only_our_progress(record("presidio-analyzer", logging.WARNING))
    assert only_our_progress(record("anonymizer.pipeline", logging.DEBUG))


def test_presidio_debug_lines_are_off_once_the_detector_is_built():
    from anonymizer.config import DetectionConfig
    from anonymizer.detect.engine import PresidioDetector

    logging.getLogger("presidio-analyzer").setLevel(logging.DEBUG)
    PresidioDetector(DetectionConfig(spacy_models={"en": None, "de": None}))
    assert logging.getLogger("presidio-analyzer").getEffectiveLevel() >= logging.ERROR


# 2. a wrong language fails the file (unit: the transcriber's check; e2e in test_hardening_e2e.py)


def test_a_language_mismatch_fails_the_file_closed_and_names_it(tmp_path):
    from anonymizer.errors import LanguageMismatchError
    from anonymizer.pipeline import Pipeline
    from tests.fakes import FakeDetector, FakeTranscriber

    class WrongLanguage(FakeTranscriber):
        def transcribe(self, mono_16k, speech, language, on_language=None, on_progress=None):
            raise LanguageMismatchError("the speech sounds like 'de' (Whisper: 99%), not 'en' as configured")

    wav = write_audio(tmp_path / "call.wav", sine(220.0, 2.0, 8000))
    result = Pipeline(CONFIG, WrongLanguage([]), FakeDetector()).run(wav, tmp_path / "out")
    assert result.status == "failed"
    assert result.error == f"{wav}: the speech sounds like 'de' (Whisper: 99%), not 'en' as configured"
    assert not (tmp_path / "out" / "call.anon.wav").exists()


# 3. NaN/Inf samples are set to 0 with a warning; the output is finite


def test_nan_and_inf_samples_are_silenced_with_a_warning(tmp_path):
    samples = 0.3 * np.sin(np.linspace(0, 2000, 32000)).astype(np.float32)
    samples[100:200], samples[5000], samples[6000] = np.nan, np.inf, -np.inf
    path = float_wav(tmp_path / "nan.wav", samples)
    audio = decode(path)
    assert audio.non_finite_samples == 102 and np.isfinite(audio.samples).all()
    workers = FakeWorkers()
    result = invoke("run", path, "-o", tmp_path / "out", "--voice", "none", engines=workers)
    assert result.exit_code == 0, result.output
    assert np.isfinite(decode(tmp_path / "out" / "nan.anon.wav").samples).all()
    report = json.loads((tmp_path / "out" / "nan.anon.json").read_text())
    assert report["warnings"] == ["102 NaN/Inf samples in the input were set to 0 (a corrupt float file?); listen "
                                  "to the output"]


# 4. a symlink loop is one failed entry; the batch (and --dry-run) goes on


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_symlink_loop_is_one_failed_entry(tmp_path, dry_run):
    src = tmp_path / "in"
    src.mkdir()
    write_audio(src / "good.wav", sine())
    (src / "x.wav").symlink_to("y.wav")
    (src / "y.wav").symlink_to("x.wav")
    (src / "gone.wav").symlink_to("nowhere.wav")
    result = invoke("batch", src, "-o", tmp_path / "out", "--quiet", *(["--dry-run"] if dry_run else []),
                    engines=FakeWorkers())
    assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    summary = run_batch(BatchOptions(src, tmp_path / "out2", dry_run=dry_run), CONFIG, QuietReporter(),
                        pipeline_factory=FakeWorkers())
    rows = {r.relative: (r.status.value, r.detail) for r in summary.rows}
    assert rows["x.wav"] == ("failed", f"{src / 'x.wav'}: a symlink loop; fix or remove the link")
    assert rows["gone.wav"] == ("failed", f"{src / 'gone.wav'}: a broken symlink; fix or remove the link")
    assert rows["good.wav"][0] == ("would do" if dry_run else "done")


# 5. two batches on one output folder: the second refuses with one line


def test_a_second_batch_on_the_same_output_folder_refuses(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    write_audio(src / "a.wav", sine())
    out = tmp_path / "out"
    with BatchLock(out):  # another batch holds it (flock: a second open file description conflicts)
        with pytest.raises(BatchLockedError, match="another batch is running on this output directory"):
            run_batch(BatchOptions(src, out), CONFIG, QuietReporter(), pipeline_factory=FakeWorkers())
        result = invoke("batch", src, "-o", out, engines=FakeWorkers())
        assert result.exit_code == 1
        assert lines(result.output) == [f"error: {out}: another batch is running on this output directory (pid "
                                        f"{os.getpid()}); wait for it to finish or choose another output directory"]
        assert not (out / "a.anon.wav").exists()
    assert invoke("batch", src, "-o", out, "--quiet", engines=FakeWorkers()).exit_code == 0  # free again


# 6. an input rewritten with the same size and mtime is redone


def test_a_rewrite_with_the_same_size_and_mtime_is_redone(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    path = write_audio(src / "a.wav", sine(220.0))
    out = tmp_path / "out"
    run_batch(BatchOptions(src, out), CONFIG, QuietReporter(), pipeline_factory=FakeWorkers())
    before = path.stat()
    write_audio(path, sine(330.0))  # same length, other content
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    summary = run_batch(BatchOptions(src, out), CONFIG, QuietReporter(), pipeline_factory=FakeWorkers())
    assert [(r.relative, r.status.value, r.detail) for r in summary.rows] == [("a.wav", "done", "changed")]


# 7. --dry-run changes nothing on disk


def _snapshot(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_dry_run_writes_nothing(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    write_audio(src / "a.wav", sine(220.0))
    write_audio(src / "b.wav", sine(240.0))
    out = tmp_path / "out"
    run_batch(BatchOptions(src, out), CONFIG, QuietReporter(), pipeline_factory=FakeWorkers())
    write_audio(src / "b.wav", sine(260.0, 2.0))  # changed: its hash is not in the cache
    write_audio(src / "c.wav", sine(280.0))  # new
    before = _snapshot(out)
    result = invoke("batch", src, "-o", out, "--dry-run", "--voice", "none", engines=FakeWorkers())
    assert result.exit_code == 0
    assert lines(result.output) == [
        "would skip-done: a.wav", "would do: b.wav (changed)", "would do: c.wav"]
    assert _snapshot(out) == before


# 8. a broken config is one line and exit 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe\x00\x01binary", "not a text file (byte 0 is not UTF-8); a config is YAML text"),
        (b"detection:\n  entities: [PERSN]\n", "detection.entities: unknown entity type(s) PERSN"),
        (b"transcription:\n  compute_type: bogus\n", "transcription.compute_type: input should be 'default'"),
        (b"transcription:\n  beam_size: 100000\n", "transcription.beam_size: input should be less than or equal to 20"),
        (b"redaction:\n  pad_before_ms: -5\n", "redaction.pad_before_ms: input should be greater than or equal to 0"),
        (b"vad:\n  min_silence_ms: 99999999\n", "vad.min_silence_ms: input should be less than or equal to 60000"),
        (b"[[[[", "not valid YAML"),
        (b"- a list\n", "a config file must be a mapping of sections"),
    ],
)
def test_a_broken_config_is_one_line_and_exit_2(tmp_path, content, message):
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(content)
    workers = FakeWorkers()
    for args in (["config", "-c", bad], ["run", "-c", bad, tmp_path / "x.wav"]):
        result = invoke(*args, engines=workers)
        assert result.exit_code == 2, result.output
        assert len(lines(result.output)) == 1 and message in result.output, result.output
    assert workers == []  # nothing was loaded


def test_an_unknown_language_is_one_line_and_exit_2(tmp_path):
    result = invoke("run", "--language", "xx", tmp_path / "x.wav", engines=FakeWorkers())
    assert result.exit_code == 2
    assert lines(result.output) == ["Error: command line: invalid config: transcription.language: 'xx' is not a "
                                    "language Whisper knows; use auto or a code such as de, en, fr"]


# 9. output folders that cannot take the outputs, and a 1 Hz file: one line, before the work


def test_an_output_folder_that_cannot_be_made_fails_before_the_models_load(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("a file, not a folder")
    wav = write_audio(tmp_path / "call.wav", sine())
    workers = FakeWorkers()
    result = invoke("run", wav, "-o", blocker / "out", engines=workers)
    assert result.exit_code == 1 and workers == []
    assert lines(result.output) == [f"error: {blocker / 'out'}: cannot write outputs here (Not a directory); choose "
                                    "a writable folder (-o DIR)"]
    src = tmp_path / "in"
    src.mkdir()
    write_audio(src / "call.wav", sine())
    result = invoke("batch", src, "-o", blocker / "out", engines=workers)
    assert result.exit_code == 1 and len(lines(result.output)) == 1 and "cannot write outputs here" in result.output


def test_too_little_free_space_is_found_before_the_work(tmp_path):
    with pytest.raises(OutputWriteError, match="MB free, about .* MB are needed"):
        check_writable(tmp_path, need_bytes=10**18)


def test_a_write_that_fails_midway_leaves_nothing_and_says_why(tmp_path):
    """A full disk, for real: the process may write files of at most 100 kB (RLIMIT_FSIZE); the output
    write then fails with EFBIG after the work, like ENOSPC."""
    wav = write_audio(tmp_path / "call.wav", sine(220.0, 10.0, 16000))  # 320 kB of output
    script = ("import resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
              "resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000)); "
              "from anonymizer.cli import cli; from tests.fakes import FakeWorkers; "
              "cli.main(sys.argv[1:], obj=FakeWorkers(), prog_name='anonymizer')")
    done = subprocess.run([sys.executable, "-c", script, "run", str(wav), "-o", str(tmp_path / "out"), "--voice",
                           "none"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert f"failed: {tmp_path / 'out' / 'call.anon.wav'}: cannot write the output (File too large)" in done.stderr
    assert list((tmp_path / "out").iterdir()) == []  # no audio, no report, no temp file


@pytest.mark.parametrize("rate", [1, 7, 100, 3999])
def test_an_impossible_sample_rate_is_one_line(tmp_path, rate):
    import wave

    path = tmp_path / f"r{rate}.wav"
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(np.zeros(rate * 5, "<i2").tobytes())
    result = invoke("run", path, "-o", tmp_path / "out", engines=FakeWorkers())
    assert result.exit_code == 1
    assert lines(result.output)[0] == (f"failed: {path}: sample rate {rate} Hz; speech audio of 4,000 to 768,000 Hz "
                                       "is supported")


# 11. a newline in a file name cannot fake a line


def test_a_newline_in_a_file_name_cannot_fake_a_line(tmp_path):
    evil = write_audio(tmp_path / "evil\nok: fake.wav", sine())
    result = invoke("run", evil, "-o", tmp_path / "out", engines=FakeWorkers())
    assert result.exit_code == 0
    assert len(lines(result.output)) == 1 and result.output.startswith("ok: ")
    assert "evil\\nok: fake.wav" in result.output
    broken = tmp_path / "bad\nfailed: x.wav"
    broken.write_text("not audio")
    result = invoke("run", broken, "-o", tmp_path / "out", engines=FakeWorkers())
    assert result.exit_code == 1 and lines(result.output)[0].startswith("failed: ") and "bad\\nfailed" in result.output
    assert len(lines(result.output)) == 2  # the file's line and the count
