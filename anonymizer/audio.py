"""Decode and write audio in process with PyAV (FFmpeg's libraries ship in its wheel).

The only module that converts between seconds and sample indices. Internally audio is one
representation: float32 numpy, ``(n_samples, n_channels)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

import numpy as np

from anonymizer.audio_header import (  # noqa: F401 (re-exported)
    MAX_CHANNELS,
    MAX_SAMPLE_RATE_HZ,
    MIN_SAMPLE_RATE_HZ,
    StreamInfo,
    check_readable,
    stream_info,
)
from anonymizer.audio_header import PCM_CODECS as _PCM_CODECS
from anonymizer.errors import AudioDecodeError, AudioEncodeError
from anonymizer.files import replace_atomically, write_error
from anonymizer.types import Audio

AUDIO_EXTENSIONS = (".wav", ".flac", ".mp3", ".ogg", ".opus", ".m4a", ".mp4", ".aac", ".oga", ".webm")
ASR_SAMPLE_RATE_HZ = 16000  # what webrtcvad and Whisper take (``to_mono_16k``)


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



FORMATS: dict[str, OutputFormat] = {
    "wav": OutputFormat(".wav", "wav", "pcm_s16le"),
    "flac": OutputFormat(".flac", "flac", "flac"),
    "mp3": OutputFormat(".mp3", "mp3", "libmp3lame"),
    "ogg": OutputFormat(".ogg", "ogg", "libopus"),
    "m4a": OutputFormat(".m4a", "ipod", "aac"),
    "aac": OutputFormat(".aac", "adts", "aac"),  # raw ADTS stream; kept for .aac inputs
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


def decode(path: Path) -> Audio:
    """Read any FFmpeg-readable audio file: all channels, native sample rate.

    Raises:
        AudioDecodeError: missing, empty, truncated, not audio, or no audio stream.
    """
    info, blocks = decode_blocks(path)
    chunks = list(blocks)
    check_decoded(path, info, sum(len(chunk) for chunk in chunks))
    samples = np.ascontiguousarray(np.concatenate(chunks, axis=0), dtype=np.float32)
    del chunks
    non_finite = int(samples.size - np.count_nonzero(np.isfinite(samples)))
    finite_and_clipped(samples)
    return Audio(samples, info.sample_rate_hz, container=info.container, codec=info.codec,
                 non_finite_samples=non_finite)


def finite_and_clipped(samples: np.ndarray) -> None:
    """In place: NaN/Inf (a corrupt float file) to 0 (NaN would spread through every filter), clip to [-1, 1]."""
    if not np.isfinite(samples).all():
        np.nan_to_num(samples, copy=False, nan=0.0, posinf=0.0, neginf=0.0)
    np.clip(samples, -1.0, 1.0, out=samples)


def check_decoded(path: Path, info: StreamInfo, n_samples: int) -> None:
    """After the last block: ``AudioDecodeError`` for no samples, or fewer than the header declares."""
    if n_samples == 0:
        raise AudioDecodeError(f"{path}: contains no decodable audio samples (truncated or empty stream)")
    decoded_s = n_samples / info.sample_rate_hz
    if info.declared_s is not None and decoded_s < 0.9 * info.declared_s - 0.1:
        raise AudioDecodeError(
            f"{path}: truncated: the header declares {info.declared_s:.2f} s but only {decoded_s:.2f} s decode"
        )


def decode_blocks(path: Path) -> tuple[StreamInfo, Iterator[np.ndarray]]:
    """The header's facts, and the samples as they decode: float32 blocks ``(n, n_channels)`` as they
    come (not yet checked for NaN or clipped; ``check_decoded`` after the last one).

    The header is read and checked here, at once (``AudioDecodeError``); the blocks raise it too when
    the data turns out corrupt.
    """
    import av

    path = Path(path)
    check_readable(path)
    try:
        container = av.open(str(path), mode="r")
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise AudioDecodeError(f"{path}: not a recognized audio file ({exc.__class__.__name__})") from exc
    try:
        info = stream_info(path, container)
    except BaseException:
        container.close()
        raise
    return info, _blocks(path, container, info)


def _blocks(path: Path, container: object, info: StreamInfo) -> Iterator[np.ndarray]:
    import av

    with container:  # type: ignore[attr-defined]
        stream = container.streams.audio[0]  # type: ignore[attr-defined]
        try:
            # packed "flt": PyAV mishandles planar frames with 8 or more channels
            resampler = av.AudioResampler(format="flt", layout=stream.layout, rate=info.sample_rate_hz)
            for frame in container.decode(stream):  # type: ignore[attr-defined]
                for out in resampler.resample(frame):
                    yield out.to_ndarray().reshape(-1, info.n_channels)
            for out in resampler.resample(None):
                yield out.to_ndarray().reshape(-1, info.n_channels)
        except av.error.FFmpegError as exc:
            raise AudioDecodeError(f"{path}: audio data is corrupt or truncated ({exc})") from exc


class Format(Protocol):
    """Where audio came from (an ``Audio``, or a source read in blocks)."""

    @property
    def container(self) -> str: ...

    @property
    def codec(self) -> str: ...


def output_format_for(audio: Format, requested: str | None) -> OutputFormat:
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


ENCODE_FRAME_SAMPLES = 4096


def frames_of(blocks: Iterable[np.ndarray], size: int) -> Iterator[np.ndarray]:
    """Blocks of any lengths re-cut into ``size``-sample pieces (the last one shorter).

    >>> [len(f) for f in frames_of([np.zeros((5, 1)), np.zeros((4, 1))], 3)]
    [3, 3, 3]
    """
    pending: list[np.ndarray] = []
    held = 0
    for block in blocks:
        pending.append(block)
        held += len(block)
        if held < size:
            continue
        joined = np.concatenate(pending, axis=0)
        whole = len(joined) // size * size
        for start in range(0, whole, size):
            yield joined[start : start + size]
        pending, held = [joined[whole:]], len(joined) - whole
    if held:
        yield np.concatenate(pending, axis=0)


def _encode(blocks: Iterable[np.ndarray], sample_rate_hz: int, n_channels: int, fmt: OutputFormat,
            handle: object) -> None:
    import av

    with av.open(handle, mode="w", format=fmt.container) as out:
        stream = out.add_stream(fmt.codec, rate=sample_rate_hz)
        assert isinstance(stream, av.AudioStream)
        stream.layout = av.AudioLayout(f"{n_channels}c")  # FFmpeg's default layout for n channels
        bit_rate_bps = fmt.bit_rate_bps(sample_rate_hz, n_channels)
        if bit_rate_bps is not None:
            stream.bit_rate = bit_rate_bps
        for key, value in fmt.codec_options:
            stream.codec_context.options[key] = value
        start = 0
        for piece in frames_of(blocks, ENCODE_FRAME_SAMPLES):
            # packed "flt" (PyAV mis-sizes planar frames with more than 8 channels)
            chunk = np.ascontiguousarray(piece, dtype=np.float32).reshape(1, -1)
            frame = av.AudioFrame.from_ndarray(chunk, format="flt", layout=stream.layout)
            frame.sample_rate = sample_rate_hz
            frame.pts = start
            start += len(piece)
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
    write_blocks_atomic(iter([audio.samples]), audio.sample_rate_hz, audio.n_channels, path, fmt)


def write_blocks_atomic(blocks: Iterable[np.ndarray], sample_rate_hz: int, n_channels: int, path: Path,
                        fmt: OutputFormat) -> None:
    """Encode blocks of samples to ``path`` as they come, atomically: a temp file renamed at the end, so a
    failure midway (here or in whatever computes the blocks) leaves nothing that looks done."""
    import av

    path = Path(path)
    failed_writes: list[OSError] = []
    failed_blocks: list[BaseException] = []

    def produced() -> Iterator[np.ndarray]:  # an error computing the blocks is theirs, not the encoder's
        try:
            yield from blocks
        except BaseException as exc:
            failed_blocks.append(exc)
            raise

    def encode(handle: BinaryIO) -> None:
        _encode(produced(), sample_rate_hz, n_channels, fmt, _Recording(handle, failed_writes))

    try:
        replace_atomically(path, encode)
    except (av.error.FFmpegError, ValueError) as exc:
        if failed_blocks:
            raise
        if failed_writes:  # FFmpeg reports the file's own error (disk full, …) as a failed callback
            raise write_error(path, failed_writes[-1]) from exc
        raise AudioEncodeError(
            f"{path}: cannot encode {n_channels} ch at {sample_rate_hz} Hz as {fmt.codec} ({exc}); "
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
    if audio.n_channels != 2:
        return channels_for(audio.n_channels, mode, 0.0, 0.0)
    left, right = audio.samples[:, 0], audio.samples[:, 1]
    difference = float(np.sqrt(np.mean(np.square(left - right, dtype=np.float64))))
    total = float(np.sqrt(np.mean(np.square(left + right, dtype=np.float64))))
    return channels_for(2, mode, difference, total)


def channels_for(n_channels: int, mode: str, difference_rms: float, total_rms: float) -> list[int | None]:
    """``channels_by_mode`` from the RMS of a two-channel file's L-R and L+R.

    >>> channels_for(2, "auto", 0.001, 1.0), channels_for(2, "auto", 0.5, 1.0), channels_for(1, "always", 0, 0)
    ([None], [0, 1], [None])
    """
    if n_channels == 1 or mode == "never":
        return [None]
    if mode == "always":
        return list(range(n_channels))
    if n_channels != 2:
        return [None]
    return [0, 1] if difference_rms > DUAL_MONO_RATIO * (total_rms or 1.0) else [None]
