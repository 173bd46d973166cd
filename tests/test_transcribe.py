import numpy as np
import pytest

from anonymizer.transcribe import ChunkMap, concat_speech
from anonymizer.types import TimeSpan


def test_concat_keeps_only_speech():
    audio = np.arange(16000 * 4, dtype=np.float32)
    joined, chunk_map = concat_speech(audio, [TimeSpan(0.5, 1.0), TimeSpan(3.0, 3.5)])
    assert len(joined) == 16000
    assert joined[0] == 8000 and joined[8000] == 48000
    assert chunk_map.to_original(0.25) == pytest.approx(0.75)
    assert chunk_map.to_original(0.75) == pytest.approx(3.25)


def test_map_is_monotonic():
    chunk_map = ChunkMap.from_spans([TimeSpan(0.2, 1.0), TimeSpan(2.0, 2.5), TimeSpan(4.0, 6.0)])
    times = np.linspace(0, 3.3, 200)
    mapped = [chunk_map.to_original(t) for t in times]
    assert all(a <= b for a, b in zip(mapped, mapped[1:], strict=False))
    assert mapped[0] == pytest.approx(0.2) and mapped[-1] == pytest.approx(6.0)


def test_no_speech_gives_empty_audio():
    joined, _ = concat_speech(np.zeros(16000, np.float32), [])
    assert joined.size == 0


def test_the_encoder_runs_once_per_distinct_window():
    from anonymizer.transcribe import FasterWhisperTranscriber

    calls = []

    class Model:
        def encode(self, features):
            calls.append(features.copy())
            return f"encoded {len(calls)}"

        def detect_language(self, audio=None, features=None, **options):
            return features.shape if features is not None else len(audio)


    transcriber = FasterWhisperTranscriber.__new__(FasterWhisperTranscriber)
    transcriber._model = Model()
    transcriber.encoder_calls = 0
    transcriber._reuse_last_encoding()
    first, second = np.zeros((80, 3000), np.float32), np.ones((80, 3000), np.float32)
    assert transcriber._model.encode(first) == "encoded 1"
    assert transcriber._model.encode(first.copy()) == "encoded 1"  # same features: reused
    assert transcriber._model.encode(second) == "encoded 2"
    assert transcriber._model.encode(first) == "encoded 3"  # only the last window is kept
    assert transcriber.encoder_calls == len(calls) == 3
    # language detection sees the frames decoding sees (all but the last), audio is passed on untouched
    assert transcriber._model.detect_language(features=np.zeros((80, 1101))) == (80, 1100)
    assert transcriber._model.detect_language(audio=np.zeros(16000), features=None) == 16000


def test_the_sampling_watch_notes_sampling_and_passes_everything_through():
    from anonymizer.transcribe import _SamplingWatch

    class Model:
        is_multilingual = True

        def generate(self, *args, **kwargs):
            return ("generated", args, kwargs)

    watch = _SamplingWatch(Model())
    assert watch.is_multilingual and not watch.sampled
    assert watch.generate("features", beam_size=5) == ("generated", ("features",), {"beam_size": 5})
    assert not watch.sampled  # beam search at temperature 0 draws no random numbers
    watch.generate("features", beam_size=1, sampling_temperature=0.2)
    assert watch.sampled


def test_the_model_loads_at_the_first_transcription_after_on_load(tmp_path):
    """Nothing loads when the transcriber is made; the first transcription calls ``on_load`` (the
    pipeline starts the detector's imports there) and then loads; a model that cannot load fails the
    file with one clear error, not a traceback."""
    from anonymizer.errors import ModelUnavailableError
    from anonymizer.models import LocatedModel
    from anonymizer.transcribe import FasterWhisperTranscriber
    from anonymizer.types import ModelInfo

    (tmp_path / "model.bin").write_bytes(b"not a model")
    calls = []
    transcriber = FasterWhisperTranscriber(LocatedModel(ModelInfo("broken", "path", str(tmp_path)), str(tmp_path)),
                                           cpu_threads=1, device="cpu", on_load=lambda: calls.append("on_load"))
    assert calls == [] and transcriber.model_info.name == "broken"
    with pytest.raises(ModelUnavailableError, match="whisper model 'broken' could not be loaded"):
        transcriber.transcribe(np.zeros(16000, np.float32), [TimeSpan(0.0, 1.0)], None)
    with pytest.raises(ModelUnavailableError, match="could not be loaded"):  # the next file: not tried again
        transcriber.transcribe(np.zeros(16000, np.float32), [TimeSpan(0.0, 1.0)], None)
    assert calls == ["on_load"]
