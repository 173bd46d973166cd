"""Fuzzing with generated malformed inputs and configs (seeded): every one ends in a clean status and one
line — never a traceback, never an output for a failed file. Decoding, checks and writing are the real
ones; the engines are fakes (the models add nothing to how a broken file is handled)."""

from __future__ import annotations

import io
import random
import struct
import wave
from pathlib import Path

import numpy as np
import yaml
from click.testing import CliRunner

from anonymizer.audio import FORMATS, decode, write_atomic
from anonymizer.cli import cli
from anonymizer.config import Config
from anonymizer.types import Audio
from tests.fakes import FakeWorkers

SEED = 20261202
N_INPUTS = 300
N_CONFIGS = 150


def _pcm_wav(rate: int, channels: int, n_frames: int, rng: random.Random) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as handle:
        handle.setnchannels(channels)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(bytes(rng.getrandbits(8) for _ in range(n_frames * channels * 2)))
    return buffer.getvalue()


def _riff(fmt_fields: tuple[int, ...], data: bytes, data_size: int | None = None,
          riff_size: int | None = None) -> bytes:
    fmt = struct.pack("<HHIIHH", *fmt_fields)
    size = len(data) if data_size is None else data_size
    total = 4 + 8 + len(fmt) + 8 + len(data) if riff_size is None else riff_size
    return (b"RIFF" + struct.pack("<I", total & 0xFFFFFFFF) + b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
            + b"data" + struct.pack("<I", size & 0xFFFFFFFF) + data)


def _encoded(fmt: str, rng: random.Random) -> bytes:
    rate = rng.choice([8000, 16000, 48000])  # rates every one of the codecs takes (Opus: not 44.1 kHz)
    t = np.arange(int(rate * rng.uniform(0.2, 1.5))) / rate
    audio = Audio((0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)[:, None], rate)
    path = Path(f"/tmp/anonymizer-fuzz-{rng.getrandbits(64):x}.{fmt}")
    try:
        write_atomic(audio, path, FORMATS[fmt])
        return path.read_bytes()
    finally:
        path.unlink(missing_ok=True)


def malformed(rng: random.Random) -> tuple[str, bytes]:
    """One generated input: (extension, content)."""
    kind = rng.randrange(12)
    noise = bytes(rng.getrandbits(8) for _ in range(rng.choice([0, 1, 7, 100, 4000])))
    if kind == 0:  # random bytes behind an audio header
        return ".wav", b"RIFF" + noise[:4].ljust(4, b"\0") + b"WAVE" + noise
    if kind == 1:  # a valid wav cut anywhere
        data = _pcm_wav(rng.choice([8000, 16000]), rng.choice([1, 2]), rng.randrange(1, 16000), rng)
        return ".wav", data[: rng.randrange(0, len(data))]
    if kind == 2:  # odd rates and channel counts
        rate = rng.choice([1, 3, 2000, 3999, 4000, 11025, 96000, 192000])
        frames = rng.randrange(1, max(2, min(rate, 9000)))
        return ".wav", _pcm_wav(rate, rng.choice([1, 2, 3, 6, 8, 9, 12]), frames, rng)
    if kind == 3:  # NaN and Inf in a float wav
        samples = np.sin(np.arange(rng.randrange(100, 16000)) / 7).astype("<f4") * 0.3
        samples[rng.sample(range(len(samples)), min(len(samples), 30))] = rng.choice([np.nan, np.inf, -np.inf])
        return ".wav", _riff((3, 1, 16000, 64000, 4, 32), samples.tobytes())
    if kind == 4:  # huge headers: a data size of hours, a RIFF size that lies
        return ".wav", _riff((1, rng.choice([1, 2]), 8000, 16000, 2, 16), noise,
                             data_size=rng.choice([0xFFFFFFF0, 2_000_000_000, 0]), riff_size=rng.getrandbits(32))
    if kind == 5:  # nonsense format fields
        fields = (rng.choice([0, 1, 3, 6, 7, 0xFFFE, 77]), rng.choice([0, 1, 2, 65535]), rng.choice([0, 1, 8000]),
                  rng.getrandbits(32), rng.choice([0, 2, 3]), rng.choice([0, 7, 8, 16, 24, 64]))
        return ".wav", _riff(fields, noise)
    if kind == 6:  # other containers' magic, then garbage
        magic, ext = rng.choice([(b"fLaC", ".flac"), (b"ID3\x04\0\0\0\0\0\0", ".mp3"), (b"\xff\xfb", ".mp3"),
                                 (b"OggS", ".ogg"), (b"\0\0\0\x20ftypM4A ", ".m4a")])
        return ext, magic + noise
    if kind == 7:  # real encoded files, cut
        fmt = rng.choice(["flac", "mp3", "ogg"])
        data = _encoded(fmt, rng)
        return f".{fmt}", data[: rng.randrange(0, len(data) + 1)]
    if kind == 8:
        return rng.choice([".wav", ".mp3", ".flac"]), b"" if rng.random() < 0.5 else b"\0"
    if kind == 9:
        return ".wav", b"Dies ist keine Audiodatei.\n" * rng.randrange(1, 50)
    if kind == 10:  # a header and no samples
        return ".wav", _pcm_wav(16000, 1, 0, rng)
    return ".wav", _pcm_wav(8000, 1, rng.randrange(800, 16000), rng)  # plain noise: a good file


def test_malformed_inputs_end_in_one_line_each_and_no_output_for_a_failure(tmp_path):
    rng = random.Random(SEED)
    inputs = []
    for i in range(N_INPUTS):
        ext, content = malformed(rng)
        path = tmp_path / "in" / f"fuzz_{i:03d}{ext}"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(content)
        inputs.append(path)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", *map(str, inputs), "-o", str(out), "--voice", "none"], obj=FakeWorkers())
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1)
    assert "Traceback" not in result.output
    assert "internal error" not in result.output  # a broken file is a reason, never a bug
    lines = result.output.splitlines()
    failed = [p for p in inputs if any(line.startswith(f"failed: {p}:") for line in lines)]
    done = [p for p in inputs if any(line.startswith(f"ok: {p} -> ") for line in lines)]
    assert len(failed) + len(done) == N_INPUTS == len(set(failed) | set(done))
    assert len([line for line in lines if line.startswith(("ok: ", "failed: "))]) == N_INPUTS  # one line each
    assert len(failed) > N_INPUTS / 2 and done  # the generator makes both kinds
    stems = {p.name.split(".")[0] for p in out.iterdir()} if out.exists() else set()
    assert {p.name.split(".")[0] for p in failed} & stems == set()  # nothing written for a failed file
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temp file left
    for path in done:
        stem = path.name.split(".")[0]
        output = decode(out / f"{stem}.anon{path.suffix}")
        assert output.n_samples == decode(path).n_samples and np.isfinite(output.samples).all()
        assert (out / f"{stem}.anon.json").is_file()


def _random_value(rng: random.Random, depth: int = 0) -> object:
    makers = [lambda: None, lambda: True, lambda: -1, lambda: 0, lambda: 10**12, lambda: -1e308,
              lambda: float("nan"), rng.random,
              lambda: "".join(chr(rng.randrange(32, 0x2FF)) for _ in range(rng.randrange(0, 12))),
              lambda: [1, "two", None]]
    if depth < 2:
        makers += [lambda: [_random_value(rng, depth + 1)], lambda: {"x": _random_value(rng, depth + 1)}]
    return rng.choice(makers)()


def malformed_config(rng: random.Random) -> bytes:
    kind = rng.randrange(5)
    if kind == 0:
        return bytes(rng.getrandbits(8) for _ in range(rng.randrange(1, 300)))
    schema = Config().model_dump(mode="json")
    data = Config().model_dump(mode="json") if kind == 1 else {}
    for _ in range(rng.randrange(1, 4)):
        section = rng.choice([*schema, "nonsense"])
        keys = list(schema.get(section, {"x": 1}))
        value = _random_value(rng)
        if rng.random() < 0.2:
            data[section] = value
        else:
            data.setdefault(section, {}) if isinstance(data.get(section), dict) else data.update({section: {}})
            data[section][rng.choice([*keys, "typo"])] = value
    text = yaml.safe_dump(data, allow_unicode=True)
    if kind == 3:
        text = text[: rng.randrange(0, len(text) + 1)]  # cut
    if kind == 4:
        text = text.replace(":", rng.choice(["", "::", ": [", ": {"]), 1)
    return text.encode("utf-8")


def test_malformed_configs_are_one_line_and_exit_2(tmp_path):
    rng = random.Random(SEED)
    codes = []
    for i in range(N_CONFIGS):
        path = tmp_path / f"config_{i:03d}.yaml"
        path.write_bytes(malformed_config(rng))
        result = CliRunner().invoke(cli, ["config", "-c", str(path)], obj=FakeWorkers())
        assert result.exception is None or isinstance(result.exception, SystemExit), (path.read_bytes(), result.output)
        assert result.exit_code in (0, 2), result.output
        if result.exit_code == 2:
            assert len(result.output.splitlines()) == 1 and result.output.startswith(f"Error: {path}"), result.output
        codes.append(result.exit_code)
    assert codes.count(2) > N_CONFIGS / 2
