"""--redact-uncertain: untranscribed speech and unsure words (pure functions and the pipeline's flag)."""

import pytest

from anonymizer.config import load_config
from anonymizer.pipeline import Pipeline
from anonymizer.types import PiiSpan, TimeSpan, Transcript
from anonymizer.uncertain import looped_words, uncertain_words, unheard_speech
from tests.fakes import FakeDetector, FakeTranscriber
from tests.helpers import sine, write_audio


def test_unheard_speech_and_uncertain_words():
    t = Transcript.from_words([(" my", 0.5, 0.7, 0.9), (" number", 0.8, 1.1, 0.9), (" is", 1.2, 1.3, 0.9),
                               (" four", 1.4, 1.6, 0.3), (" one", 1.7, 1.75, 0.95), (" five", 1.75, 1.8, 0.95),
                               (" two", 1.8, 1.9, 0.95),
                               (" bye", 5.0, 5.3, 0.9)], "en")
    gaps = unheard_speech(t, [TimeSpan(0.4, 5.4)], min_s=1.0)
    assert [(g.start_s, g.end_s, g.entity_type) for g in gaps] == [(2.2, 4.7, "UNTRANSCRIBED_SPEECH")]
    assert unheard_speech(t, [TimeSpan(0.4, 2.0)], min_s=1.0) == []
    # "four" is unsure and inside a digit run: redacted even though no recognizer fired
    assert [t.text[s.char_start : s.char_end] for s in uncertain_words(t, [], 0.5)] == ["four"]
    assert uncertain_words(t, [], 0.2) == []
    # a lone short number ("12 months") is no dictated number: an unsure "12" stays
    t = Transcript.from_words([(" for", 0.0, 0.2, 0.9), (" 12", 0.3, 0.5, 0.2), (" months", 0.6, 0.9, 0.9)], "en")
    assert uncertain_words(t, [], 0.5) == []

def _timed(text: str, start_s: float = 0.0, step_s: float = 0.4) -> Transcript:
    return Transcript.from_words([(" " + w, start_s + i * step_s, start_s + i * step_s + 0.3, 0.9)
                                  for i, w in enumerate(text.split())], "de")


@pytest.mark.parametrize(("text", "looped"), [
    ("PIN? Ah, Barach, Barach, Barach, Barach Danke.", "Barach, Barach, Barach, Barach"),  # a word, 4 times
    ("is 5, 5, 5, 5. Time, time, time, time, that's right.", "5, 5, 5, 5. Time, time, time, time,"),
    ("Wenn du kommst, dann fliehen, dann fliehen, dann fliehen, bitte", "dann fliehen, dann fliehen, dann fliehen,"),
    ("ja ja ja okay", ""),  # a person's "ja, ja, ja": three times one word is no loop
    ("nein nein, das ist nein nein", ""),
    ("bye bye, thank you thank you", ""),
    ("a b c d e f g h i a b c d e f g h i a b c d e f g h i", ""),  # a phrase longer than a loop's
])
def test_looped_words(text, looped):
    t = _timed(text)
    assert " ".join(t.words[i].text for i in sorted(looped_words(t.words))) == looped


def test_a_loop_is_unheard_speech():
    # Whisper looped over a PIN: its words do not count as heard, so the stretch is redacted
    t = _timed("Ihre PIN bitte. Barach, Barach, Barach, Barach, Barach. Danke.")
    redacted = unheard_speech(t, [TimeSpan(0.0, 4.0)], min_s=1.2)
    # the loop is 1.2–3.1 s; the heard neighbours keep their margins
    assert [(r.start_s, r.end_s) for r in redacted] == [(1.4, 2.9)]
    # the same words said twice are heard speech
    assert unheard_speech(_timed("Ihre PIN bitte. Barach, Barach. Danke. Gut. Schön. Okay. Bitte."),
                          [TimeSpan(0.0, 4.0)], min_s=1.2) == []


def test_uncertain_chain_reaches_a_broken_off_digit():
    # "zwei eins, vier acht, …" heard as "2 times 48 ,749": the unsure "2" two words before the finding is its number
    words = [(" ist", 0.0, 0.2, 0.9), (" 2", 0.2, 0.6, 0.17), (" times", 0.6, 0.9, 0.1), (" 48", 0.9, 1.5, 0.6),
             (" ,749.", 1.5, 2.9, 0.7)]
    t = Transcript.from_words(words, "de")
    number = PiiSpan(t.text.index("48"), len(t.text), "NUMBER_SEQUENCE", 0.6, "r")
    assert [t.text[s.char_start : s.char_end] for s in uncertain_words(t, [number], 0.5)] == ["2", "times"]
    # a sure neighbour ends the chain, and so does a word without a digit
    sure = Transcript.from_words([words[0], (" 2", 0.2, 0.6, 0.17), (" times", 0.6, 0.9, 0.9), *words[3:]], "de")
    assert uncertain_words(sure, [number], 0.5) == []
    wordy = Transcript.from_words([words[0], (" zwar", 0.2, 0.6, 0.17), *words[2:]], "de")
    number = PiiSpan(wordy.text.index("48"), len(wordy.text), "NUMBER_SEQUENCE", 0.6, "r")
    assert [wordy.text[s.char_start : s.char_end] for s in uncertain_words(wordy, [number], 0.5)] == ["times"]

def test_redact_uncertain_flag_changes_the_output(tmp_path):
    path = write_audio(tmp_path / "call.wav", sine(220.0, 3.0, 16000, amplitude=0.3))
    words = [("code", 0.3, 0.6), ("seven", 1.0, 1.3), ("one", 1.4, 1.6), ("one", 1.7, 1.9), ("two", 2.0, 2.2)]

    class Unsure(FakeTranscriber):
        def transcribe(self, mono_16k, speech, language, on_language=None, on_progress=None):
            return Transcript.from_words([(w, s, e, 0.2) for w, s, e in words], "en")

    def run(uncertain):
        cfg = load_config(None, {"voice": {"chain": []}, "redaction": {"uncertain": uncertain}})
        return Pipeline(cfg, Unsure([]), FakeDetector(r"nothing")).run(path, tmp_path / str(uncertain))

    assert {r.entity_type for r in run(True).redactions} >= {"UNCERTAIN"}
    assert "UNCERTAIN" not in {r.entity_type for r in run(False).redactions}
