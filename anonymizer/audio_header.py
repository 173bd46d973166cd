"""What an audio file's header says: rate, channels, codec, and the length it claims (to tell a truncated
file from a whole one). Checked before any sample is decoded."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from anonymizer.errors import AudioDecodeError

MAX_CHANNELS = 8  # FFmpeg has default channel layouts up to 7.1; more cannot be written back
# below 4 kHz there is no intelligible speech to anonymize (telephone audio is 8 kHz); above, FFmpeg's limits
MIN_SAMPLE_RATE_HZ, MAX_SAMPLE_RATE_HZ = 4000, 768_000
EXTENSION_TO_FORMAT = {  # an input's extension -> the output format that keeps it
    ".wav": "wav", ".flac": "flac", ".mp3": "mp3", ".ogg": "ogg", ".oga": "ogg", ".opus": "ogg",
    ".m4a": "m4a", ".mp4": "m4a", ".aac": "aac",
}
PCM_CODECS = frozenset({"pcm_s16le", "pcm_s24le", "pcm_s32le", "pcm_f32le", "pcm_u8", "pcm_mulaw", "pcm_alaw"})


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


def declared_duration_s(path: Path, stream: object) -> float | None:
    """Duration the file claims, when it claims one exactly: a wav header, flac STREAMINFO, an MP3
    Xing/Info frame count, an MP4 index. Otherwise FFmpeg estimates it from the bitrate and file
    size, which is no evidence of truncation."""
    codec = stream.codec_context.name  # type: ignore[attr-defined]
    if codec in PCM_CODECS:
        return _wav_declared_duration_s(path)
    exact = (codec == "flac" or (codec.startswith("mp3") and _mp3_declares_frames(path))
             or (codec == "aac" and path.suffix.lower() in (".m4a", ".mp4")))
    if exact and stream.duration is not None and stream.time_base is not None:  # type: ignore[attr-defined]
        return float(stream.duration * stream.time_base)  # type: ignore[attr-defined]
    return None


@dataclass(frozen=True)
class StreamInfo:
    """What a file's header says, before any sample is decoded."""

    sample_rate_hz: int
    n_channels: int
    container: str  # the output format it maps to (``FORMATS``)
    codec: str
    declared_s: float | None  # the duration the file claims exactly, if it does


def check_readable(path: Path) -> None:
    if not path.exists():
        raise AudioDecodeError(f"{path}: file not found")
    if path.is_dir():
        raise AudioDecodeError(f"{path}: is a directory, not an audio file")
    if not os.access(path, os.R_OK):
        raise AudioDecodeError(f"{path}: permission denied (cannot read the file)")
    if path.stat().st_size == 0:
        raise AudioDecodeError(f"{path}: empty file (0 bytes)")


def stream_info(path: Path, container: object) -> StreamInfo:
    streams = container.streams.audio  # type: ignore[attr-defined]
    if not streams:
        raise AudioDecodeError(f"{path}: contains no audio stream")
    stream = streams[0]
    if stream.codec_context is None:
        raise AudioDecodeError(f"{path}: audio in a codec FFmpeg cannot decode")
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
    fmt = EXTENSION_TO_FORMAT.get(path.suffix.lower(), "wav")
    return StreamInfo(sample_rate_hz, n_channels, fmt, stream.codec_context.name, declared_duration_s(path, stream))
