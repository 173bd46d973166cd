"""espeak-ng, the offline speech synthesizer whose library and voices ship in the ``espeakng-loader``
wheel: text in, samples and where each word starts out. Used by the ``synthetic`` voice level.

espeak-ng keeps one global state per process (voice, parameters, callback), so every synthesis holds a
lock. Nothing is downloaded; the library is loaded on first use.
"""

from __future__ import annotations

import ctypes
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

from anonymizer.errors import ConfigError

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_EVENT_LIST_TERMINATED, _EVENT_WORD = 0, 1
_CHARS_UTF8 = 1
_RATE, _PITCH = 1, 3  # espeak_PARAMETER


class _Event(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("unique_identifier", ctypes.c_uint), ("text_position", ctypes.c_int),
                ("length", ctypes.c_int), ("audio_position", ctypes.c_int), ("sample", ctypes.c_int),
                ("user_data", ctypes.c_void_p), ("id", ctypes.c_void_p)]


_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event))


@dataclass(frozen=True)
class Speech:
    """Synthesized speech: mono float32 samples at ``sample_rate_hz`` and, for each word espeak-ng spoke,
    the character offset (0-based, in the text given) and the sample where it starts."""

    samples: np.ndarray
    sample_rate_hz: int
    word_starts: tuple[tuple[int, int], ...]  # (char offset, sample)


class Espeak:
    """One espeak-ng library per process (``Espeak.shared()``)."""

    _shared: Espeak | None = None
    _shared_lock = threading.Lock()

    def __init__(self) -> None:
        try:
            import espeakng_loader
        except ImportError:
            raise ConfigError("the synthetic voice needs espeak-ng: pip install espeakng-loader") from None
        self._lib: Any = ctypes.CDLL(espeakng_loader.get_library_path())
        self.sample_rate_hz = int(self._lib.espeak_Initialize(
            _AUDIO_OUTPUT_SYNCHRONOUS, 0, espeakng_loader.get_data_path().encode(), 0))
        if self.sample_rate_hz <= 0:
            raise ConfigError("espeak-ng could not start (espeakng-loader's data not found)")
        self._chunks: list[np.ndarray] = []
        self._events: list[tuple[int, int]] = []
        self._callback = _CALLBACK(self._collect)  # kept alive: espeak-ng holds a pointer to it
        self._lib.espeak_SetSynthCallback(self._callback)
        self._lock = threading.Lock()

    @classmethod
    def shared(cls) -> Espeak:
        with cls._shared_lock:
            if cls._shared is None:
                cls._shared = cls()
            return cls._shared

    def _collect(self, wav: Any, n: int, events: Any) -> int:
        if n > 0:
            self._chunks.append(np.ctypeslib.as_array(wav, shape=(n,)).astype(np.float32) / 32768.0)
        i = 0
        while events[i].type != _EVENT_LIST_TERMINATED:
            if events[i].type == _EVENT_WORD:
                self._events.append((events[i].text_position, events[i].sample))
            i += 1
        return 0

    def speak(self, text: str, voice: str, rate_wpm: int = 175, pitch: int = 50) -> Speech:
        """``text`` spoken by ``voice`` (an espeak-ng voice name with a variant: "de+m3", "en-us+f2")."""
        data = text.encode("utf-8")
        with self._lock:
            if self._lib.espeak_SetVoiceByName(voice.encode()) != 0:
                raise ConfigError(f"espeak-ng has no voice {voice!r}")
            self._lib.espeak_SetParameter(_RATE, int(rate_wpm), 0)
            self._lib.espeak_SetParameter(_PITCH, int(pitch), 0)
            self._chunks, self._events = [], []
            self._lib.espeak_Synth(data, len(data) + 1, 0, 0, 0, _CHARS_UTF8, None, None)
            self._lib.espeak_Synchronize()
            chunks, events = self._chunks, self._events
        samples = np.concatenate(chunks) if chunks else np.zeros(0, np.float32)
        # espeak-ng counts text positions in characters, from 1
        starts = tuple((max(0, position - 1), sample) for position, sample in events)
        return Speech(samples, self.sample_rate_hz, starts)
