"""Decode and write audio in process with PyAV (FFmpeg's libraries ship in its wheel).

The only module that converts between seconds and sample indices. Internally audio is one
representation: float32 numpy, ``(n_samples, n_channels)``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from anonymizer.errors import AudioDecodeError, AudioEncodeError
from anonymizer.files import replace_atomically, write_error
from anonymizer.types import Audio

AUDIO_EXTENSIONS = (".wav", ".flac", ".mp3", ".ogg", ".opus", ".m4a", ".mp4", ".aac", ".oga", ".webm")
MAX_CHANNELS = 8  # FFmpeg has default channel layouts up to 7.1; more cannot be written back
ASR_SAMPLE_RATE_HZ = 16000  # what webrtcvad and Whisper take (``to_mono_16k``)
# below 4 kHz there is no intelligible speech to anonymize (telephone audio is 8 kHz); above, FFmpeg's limits
MIN_SAMPLE_RATE_HZ, MAX_SAMPLE_RATE_HZ = 4000, 768_000


@dataclass(frozen=True)
class OutputFormat:
    """An FFmpeg muxer, codec and file extension."""

    extension: str
    container: str
    codec: str
    codec_options: tuple[tuple[str, str], ...] = ()
    bit_rate_per_channel_bps: int | None = None  # None: the default below

    def bit_rate_bps(self, sample_rate_hz: int, n_channels: int) -> int | None:
        """The bit rate to encode at, or None for the codec's own choice.

        MP3 gets one set here: left alone, LAME picks 8 kbit/s for 8 kHz mono and 24 kbit/s for 16 kHz,
        which garbles speech (Whisper's transcript of such an output loses digits and names). 32 kbit/s
        per channel in the 8 kHz band (MPEG-2.5 allows at most 64), 64 at 16-24 kHz, 128 above.

        >>> mp3 = FORMATS["mp3"]
        >>> mp3.bit_rate_bps(8000, 1), mp3.bit_rate_bps(44100, 2), FORMATS["wav"].bit_rate_bps(8000, 1)
        (32000, 256000, None)
        """
        if self.bit_rate_per_channel_bps is not None:
            return self.bit_rate_per_channel_bps * n_channels
        if self.codec != "libmp3lame":
            return None
        per_channel_bps = 32_000 if sample_rate_hz < 16_000 else 64_000 if sample_rate_hz < 32_000 else 128_000
        return per_channel_bps * n_channels


_PCM_CODECS = {"pcm_s16le", "pcm_s24le", "pcm_s32le", "pcm_f32le", "pcm_u8", "pcm_mulaw", "pcm_alaw"}

FORMATS: dict[str, OutputFormat] = {
    "wav": OutputFormat(".wav", "wav", "pcm_s16le"),
    "flac": OutputFormat(".flac", "flac", "flac"),
    "mp3": OutputFormat(".mp3", "mp3", "libmp3lame"),
    "ogg": OutputFormat(".ogg", "ogg", "libopus"),
    "m4a": OutputFormat(".m4a", "ipod", "aac"),
    "aac": OutputFormat(".aac", "adts", "aac"),  # raw ADTS stream; kept for .aac inputs
}
_EXTENSION_TO_FORMAT = {
    ".wav": "wav", ".flac": "flac", ".mp3": "mp3", ".ogg": "ogg", ".oga": "ogg", ".opus": "ogg",
    ".m4a": "m4a", ".mp4": "m4a", ".aac": "aac",
}


def seconds_to_sample(time_s: float, sample_rate_hz: int) -> int:
    """Nearest sample index for a time (not clipped).

    >>> seconds_to_sample(0.5, 8000)
    4000
    """
    return int(round(time_s * sample_rate_hz))


def sample_to_seconds(index: int, sample_rate_hz: int) -> float:
    """Time of a sample index.

    >>> sample_to_seconds(4000, 8000)
    0.5
    """
    return index / sample_rate_hz


def _check_readable(path: Path) -> None:
    if not path.exists():
        raise AudioDecodeError(f"{path}: file not found")
    if path.is_dir():
        raise AudioDecodeError(f"{path}: is a directory, not an audio file")
    if not os.access(path, os.R_OK):
        raise AudioDecodeError(f"{path}: permission denied (cannot read the file)")
    if path.stat().st_size == 0:
        raise AudioDecodeError(f"{path}: empty file (0 bytes)")


def decode(path: Path) -> Audio:
    """Read any FFmpeg-readable audio file: all channels, native sample rate.

    Raises:
        AudioDecodeError: missing, empty, truncated, not audio, or no audio stream.
    """
    import av

    path = Path(path)
    _check_readable(path)
    try:
        container = av.open(str(path), mode="r")
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise AudioDecodeError(f"{path}: not a recognized audio file ({exc.__class__.__name__})") from exc
    with container:
        if not container.streams.audio:
            raise AudioDecodeError(f"{path}: contains no audio stream")
        stream = container.streams.audio[0]
        if stream.codec_context is None:
            raise AudioDecodeError(f"{path}: audio in a codec FFmpeg cannot decode")
        codec = stream.codec_context.name
        sample_rate_hz = int(stream.codec_context.sample_rate or 0)
        n_channels = int(stream.codec_context.channels or 0)
        if sample_rate_hz <= 0 or n_channels <= 0:
            raise AudioDecodeError(f"{path}: audio stream has no sample rate or channel count")
        if not MIN_SAMPLE_RATE_HZ <= sample_rate_hz <= MAX_SAMPLE_RATE_HZ:
            raise AudioDecodeError(f"{path}: sample rate {sample_rate_hz} Hz; speech audio of {MIN_SAMPLE_RATE_HZ:,} "
                                   f"to {MAX_SAMPLE_RATE_HZ:,} Hz is supported")
        if n_channels > MAX_CHANNELS:
            raise AudioDecodeError(
                f"{path}: {n_channels} channels; at most {MAX_CHANNELS} are supported "
                "(split the file into channel groups first)"
            )
        declared_s = _declared_duration_s(path, stream)
        chunks: list[np.ndarray] = []
        try:
            # packed "flt": PyAV mishandles planar frames with 8 or more channels
            resampler = av.AudioResampler(format="flt", layout=stream.layout, rate=sample_rate_hz)
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray().reshape(-1, n_channels))
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1, n_channels))
        except av.error.FFmpegError as exc:
            raise AudioDecodeError(f"{path}: audio data is corrupt or truncated ({exc})") from exc
    if not chunks:
        raise AudioDecodeError(f"{path}: contains no decodable audio samples (truncated or empty stream)")
    samples = np.ascontiguousarray(np.concatenate(chunks, axis=0), dtype=np.float32)
    if samples.shape[0] == 0:
        raise AudioDecodeError(f"{path}: contains no audio samples")
    decoded_s = samples.shape[0] / sample_rate_hz
    if declared_s is not None and decoded_s < 0.9 * declared_s - 0.1:
        raise AudioDecodeError(
            f"{path}: truncated: the header declares {declared_s:.2f} s but only {decoded_s:.2f} s decode"
        )
    non_finite = int(samples.size - np.count_nonzero(np.isfinite(samples)))
    if non_finite:  # NaN/Inf in a float file: silence there (NaN would spread through every filter)
        np.nan_to_num(samples, copy=False, nan=0.0, posinf=0.0, neginf=0.0)
    np.clip(samples, -1.0, 1.0, out=samples)
    fmt = _EXTENSION_TO_FORMAT.get(path.suffix.lower(), "wav")
    return Audio(samples, sample_rate_hz, container=fmt, codec=codec, non_finite_samples=non_finite)


def _wav_declared_duration_s(path: Path) -> float | None:
    """Duration a RIFF/WAVE header declares (data chunk size), or None when it declares none.

    FFmpeg derives a wav's duration from the file size, so truncation is only visible here.
    """
    with open(path, "rb") as handle:
        head = handle.read(1 << 16)
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return None
    pos, block_align, rate = 12, 0, 0
    while pos + 8 <= len(head):
        chunk_id, size = head[pos : pos + 4], int.from_bytes(head[pos + 4 : pos + 8], "little")
        if chunk_id == b"fmt " and pos + 20 <= len(head):
            rate = int.from_bytes(head[pos + 12 : pos + 16], "little")
            block_align = int.from_bytes(head[pos + 20 : pos + 22], "little")
        elif chunk_id == b"data":
            if size in (0, 0xFFFFFFFF) or not block_align or not rate:
                return None  # streaming writers leave the size open
            return size / block_align / rate
        pos += 8 + size + (size & 1)
    return None


def _mp3_declares_frames(path: Path) -> bool:
    """True when the first MP3 frame carries a Xing/Info/VBRI header (an exact frame count)."""
    with open(path, "rb") as handle:
        head = handle.read(1 << 16)
    start = 0
    if head[:3] == b"ID3" and len(head) >= 10:  # skip an ID3v2 tag (syncsafe size)
        start = 10 + ((head[6] & 0x7F) << 21 | (head[7] & 0x7F) << 14 | (head[8] & 0x7F) << 7 | (head[9] & 0x7F))
    first_frame = head[start : start + 256]
    return any(tag in first_frame for tag in (b"Xing", b"Info", b"VBRI"))


def _declared_duration_s(path: Path, stream: object) -> float | None:
    """Duration the file claims, when it claims one exactly: a wav header, flac STREAMINFO, an MP3
    Xing/Info frame count, an MP4 index. Otherwise FFmpeg estimates it from the bitrate and file
    size, which is no evidence of truncation."""
    codec = stream.codec_context.name  # type: ignore[attr-defined]
    if codec in _PCM_CODECS:
        return _wav_declared_duration_s(path)
    exact = (codec == "flac" or (codec.startswith("mp3") and _mp3_declares_frames(path))
             or (codec == "aac" and path.suffix.lower() in (".m4a", ".mp4")))
    if exact and stream.duration is not None and stream.time_base is not None:  # type: ignore[attr-defined]
        return float(stream.duration * stream.time_base)  # type: ignore[attr-defined]
    return None


def output_format_for(audio: Audio, requested: str | None) -> OutputFormat:
    """The format to write: the requested one, or the input's container (and PCM codec for wav)."""
    name = requested or audio.container
    base = FORMATS[name]
    if requested is None and name == "wav" and audio.codec in _PCM_CODECS:
        return OutputFormat(base.extension, base.container, audio.codec)
    if name == "ogg" and requested is None and audio.codec == "vorbis":
        return OutputFormat(".ogg", "ogg", "vorbis", (("strict", "experimental"),))
    return base


def output_extension(input_path: Path, requested: str | None) -> str:
    """The extension of ``<stem>.anon.<ext>``: the input's own, or the requested format's.

    >>> output_extension(Path("call.WAV"), None), output_extension(Path("a.m4a"), "flac")
    ('.WAV', '.flac')
    """
    if requested is None:
        return input_path.suffix
    return FORMATS[requested].extension


def _encode(audio: Audio, fmt: OutputFormat, handle: object) -> None:
    import av

    with av.open(handle, mode="w", format=fmt.container) as out:
        stream = out.add_stream(fmt.codec, rate=audio.sample_rate_hz)
        assert isinstance(stream, av.AudioStream)
        stream.layout = av.AudioLayout(f"{audio.n_channels}c")  # FFmpeg's default layout for n channels
        bit_rate_bps = fmt.bit_rate_bps(audio.sample_rate_hz, audio.n_channels)
        if bit_rate_bps is not None:
            stream.bit_rate = bit_rate_bps
        for key, value in fmt.codec_options:
            stream.codec_context.options[key] = value
        interleaved = np.ascontiguousarray(audio.samples, dtype=np.float32)
        block = 4096
        for start in range(0, audio.n_samples, block):
            # packed "flt" (PyAV mis-sizes planar frames with more than 8 channels)
            chunk = interleaved[start : start + block].reshape(1, -1)
            frame = av.AudioFrame.from_ndarray(chunk, format="flt", layout=stream.layout)
            frame.sample_rate = audio.sample_rate_hz
            frame.pts = start
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


class _Recording:
    """A binary file that remembers the OSError its writes raised (FFmpeg hides it behind its own error)."""

    def __init__(self, handle: BinaryIO, failures: list[OSError]) -> None:
        self._handle, self._failures = handle, failures

    def write(self, data: bytes) -> int:
        try:
            return self._handle.write(data)
        except OSError as exc:
            self._failures.append(exc)
            raise

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._handle.seek(offset, whence)

    def tell(self) -> int:
        return self._handle.tell()

    def flush(self) -> None:
        self._handle.flush()


def write_atomic(audio: Audio, path: Path, fmt: OutputFormat) -> None:
    """Encode ``audio`` to ``path`` atomically: never a half-written output."""
    import av

    path = Path(path)
    failed_writes: list[OSError] = []

    def encode(handle: BinaryIO) -> None:
        _encode(audio, fmt, _Recording(handle, failed_writes))

    try:
        replace_atomically(path, encode)
    except (av.error.FFmpegError, ValueError) as exc:
        if failed_writes:  # FFmpeg reports the file's own error (disk full, …) as a failed callback
            raise write_error(path, failed_writes[-1]) from exc
        raise AudioEncodeError(
            f"{path}: cannot encode {audio.n_channels} ch at {audio.sample_rate_hz} Hz as {fmt.codec} ({exc}); "
            "choose another --format (wav or flac take any rate)"
        ) from exc


def to_mono_16k(audio: Audio) -> np.ndarray:
    """Mix down and resample to 16 kHz float32 for VAD and ASR (FFmpeg's resampler, like faster-whisper)."""
    import av

    mono = np.ascontiguousarray(audio.samples.mean(axis=1), dtype=np.float32)
    if audio.sample_rate_hz == ASR_SAMPLE_RATE_HZ:
        return mono
    resampler = av.AudioResampler(format="flt", layout="mono", rate=ASR_SAMPLE_RATE_HZ)
    frame = av.AudioFrame.from_ndarray(mono[None, :], format="flt", layout="mono")
    frame.sample_rate = audio.sample_rate_hz
    frame.pts = 0
    chunks = [out.to_ndarray().ravel() for out in resampler.resample(frame)]
    chunks += [out.to_ndarray().ravel() for out in resampler.resample(None)]
    out = np.concatenate(chunks) if chunks else np.zeros(0, np.float32)
    expected = int(round(audio.n_samples * ASR_SAMPLE_RATE_HZ / audio.sample_rate_hz))
    if len(out) < expected:  # the resampler's flush can fall a few samples short; keep the timeline exact
        out = np.pad(out, (0, expected - len(out)))
    return out[:expected].astype(np.float32, copy=False)


DUAL_MONO_RATIO = 0.05  # channels closer than this (RMS of L-R vs L+R) are one signal


def channels_by_mode(audio: Audio, mode: str) -> list[int | None]:
    """``[None]`` for one transcript of the mix; channel indices to transcribe each channel alone.

    ``auto`` splits a two-channel call whose channels differ (agent and customer on their own
    channels); two near-identical channels (mono stored as stereo) are transcribed once.
    """
    if audio.n_channels == 1 or mode == "never":
        return [None]
    if mode == "always":
        return list(range(audio.n_channels))
    if audio.n_channels != 2:
        return [None]
    left, right = audio.samples[:, 0], audio.samples[:, 1]
    difference = float(np.sqrt(np.mean(np.square(left - right, dtype=np.float64))))
    total = float(np.sqrt(np.mean(np.square(left + right, dtype=np.float64)))) or 1.0
    return [0, 1] if difference > DUAL_MONO_RATIO * total else [None]
