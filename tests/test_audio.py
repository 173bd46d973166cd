import os

import numpy as np
import pytest

from anonymizer.audio import FORMATS, decode, output_format_for, to_mono_16k, write_atomic
from anonymizer.errors import AudioDecodeError
from anonymizer.types import Audio
from tests.helpers import sine, write_audio


@pytest.mark.parametrize("fmt", ["wav", "flac", "mp3", "ogg", "m4a"])
def test_roundtrip_every_format(tmp_path, fmt):
    audio = sine(440.0, 1.0, 16000, 2)
    path = write_audio(tmp_path / f"a{FORMATS[fmt].extension}", audio, fmt)
    back = decode(path)
    assert back.n_channels == 2
    assert back.container == fmt
    expected_rate = 48000 if fmt == "ogg" else 16000  # Opus always decodes at 48 kHz
    assert back.sample_rate_hz == expected_rate
    assert back.duration_s == pytest.approx(1.0, abs=0.07)  # lossy codecs add up to one frame of priming


@pytest.mark.parametrize("rate", [8000, 11025, 22050, 44100, 48000, 96000])
def test_odd_sample_rates_kept_exactly(tmp_path, rate):
    audio = sine(300.0, 0.5, rate)
    back = decode(write_audio(tmp_path / "r.wav", audio))
    assert back.sample_rate_hz == rate
    assert back.n_samples == audio.n_samples
    np.testing.assert_allclose(back.samples, audio.samples, atol=1 / 32767 + 1e-6)


@pytest.mark.parametrize(("rate", "n_channels", "min_kbps"), [(8000, 1, 32), (8000, 2, 64), (16000, 1, 64)])
def test_mp3_output_is_not_written_at_lames_speech_garbling_default(tmp_path, rate, n_channels, min_kbps):
    # left alone, LAME writes 8 kHz mono at 8 kbit/s: Whisper then loses names and digits of the output
    path = write_audio(tmp_path / "t.mp3", sine(300.0, 2.0, rate, n_channels), "mp3")
    kbps = path.stat().st_size * 8 / 2.0 / 1000
    assert kbps >= min_kbps * 0.95


def test_many_channels(tmp_path):
    audio = sine(300.0, 0.3, 16000, n_channels=8)
    back = decode(write_audio(tmp_path / "m.flac", audio, "flac"))
    assert back.n_channels == 8


def test_wav_keeps_pcm_codec(tmp_path):
    path = tmp_path / "mulaw.wav"
    write_atomic(sine(300.0, 0.3, 8000), path, FORMATS["wav"].__class__(".wav", "wav", "pcm_mulaw"))
    audio = decode(path)
    assert audio.codec == "pcm_mulaw"
    assert output_format_for(audio, None).codec == "pcm_mulaw"
    assert output_format_for(audio, "flac").codec == "flac"


def test_write_is_atomic_and_leaves_no_temp_files(tmp_path):
    write_audio(tmp_path / "x.wav", sine())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.wav"]
    assert oct((tmp_path / "x.wav").stat().st_mode & 0o777) != oct(0o600)


def test_failed_write_leaves_nothing(tmp_path):
    odd = Audio(np.zeros((1000, 13), np.float32), 44100)  # FFmpeg has no default 13-channel layout
    with pytest.raises(Exception, match="cannot encode 13 ch"):
        write_atomic(odd, tmp_path / "x.m4a", FORMATS["m4a"])
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: None, "file not found"),
        (lambda p: p.mkdir(), "is a directory, not an audio file"),
        (lambda p: p.write_bytes(b""), "empty file (0 bytes)"),
        (lambda p: p.write_text("this is not audio at all\n" * 50), "not a recognized audio file"),
    ],
)
def test_bad_inputs_have_clear_errors(tmp_path, make, message):
    path = tmp_path / "bad.wav"
    make(path)
    with pytest.raises(AudioDecodeError) as info:
        decode(path)
    assert str(info.value).startswith(str(path))
    assert message in str(info.value)


def test_truncated_wav(tmp_path):
    good = write_audio(tmp_path / "good.wav", sine(300.0, 2.0, 16000))
    data = good.read_bytes()
    cut = tmp_path / "cut.wav"
    cut.write_bytes(data[: len(data) // 3])
    with pytest.raises(AudioDecodeError, match="truncated"):
        decode(cut)


def test_truncated_mp3_with_frame_count(tmp_path):
    good = write_audio(tmp_path / "good.mp3", sine(300.0, 6.0, 16000), "mp3")  # FFmpeg writes an Info frame
    cut = tmp_path / "cut.mp3"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 3])
    with pytest.raises(AudioDecodeError, match=r"cut.mp3: truncated: the header declares 6.\d+ s but only"):
        decode(cut)
    assert decode(good).duration_s == pytest.approx(6.0, abs=0.07)


def test_truncated_mp3_header_only(tmp_path):
    good = write_audio(tmp_path / "good.mp3", sine(300.0, 2.0, 16000), "mp3")
    cut = tmp_path / "cut.mp3"
    cut.write_bytes(good.read_bytes()[:100])
    with pytest.raises(AudioDecodeError, match=str(cut)):
        decode(cut)


def test_unreadable_file(tmp_path, monkeypatch):
    path = write_audio(tmp_path / "locked.wav", sine())
    path.chmod(0)
    if os.geteuid() == 0:  # root reads anything; make access() answer as for an ordinary user
        monkeypatch.setattr(os, "access", lambda p, mode: False)
    with pytest.raises(AudioDecodeError, match="permission denied"):
        decode(path)


def test_truncated_flac(tmp_path):
    good = write_audio(tmp_path / "good.flac", sine(300.0, 4.0, 16000), "flac")
    cut = tmp_path / "cut.flac"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 3])
    with pytest.raises(AudioDecodeError, match="truncated"):
        decode(cut)


def test_decode_does_not_modify_input(tmp_path):
    path = write_audio(tmp_path / "in.wav", sine())
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    decode(path)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_mono_16k_mixdown_and_resample():
    audio = sine(440.0, 1.0, 8000, n_channels=2)
    mono = to_mono_16k(audio)
    assert mono.dtype == np.float32
    assert len(mono) == 16000


def test_too_many_channels_is_a_clear_error(tmp_path):
    import wave

    path = tmp_path / "twelve.wav"
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(12)
        handle.setsampwidth(2)
        handle.setframerate(8000)
        handle.writeframes(b"\x00\x00" * 12 * 800)
    with pytest.raises(AudioDecodeError, match=r"twelve.wav: 12 channels; at most 8 are supported"):
        decode(path)


def test_silence_decodes(tmp_path):
    path = write_audio(tmp_path / "silent.wav", Audio(np.zeros((8000, 1), np.float32), 8000))
    assert not decode(path).samples.any()
