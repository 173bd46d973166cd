"""``verify``: what reveals a value, and the verifier's verdicts, with fake engines."""

import json

import pytest

from anonymizer.config import load_config
from anonymizer.pipeline import Pipeline
from anonymizer.report import read_report
from anonymizer.types import Transcript
from anonymizer.verify import Verifier, recovered, value_keys
from tests.fakes import FakeDetector, FakeTranscriber
from tests.helpers import sine, write_audio


class Hears(FakeTranscriber):
    """Hears ``before`` in the original and ``after`` in the output (the verifier transcribes them in turn)."""

    def __init__(self, before, after):
        super().__init__(before)
        self.after, self.n = after, 0

    def transcribe(self, mono_16k, speech, language, on_language=None, on_progress=None):
        self.n += 1
        chosen = self.words if self.n % 2 else self.after
        return Transcript.from_words([(w, s, e, 0.9) for w, s, e in chosen], "en")


@pytest.mark.parametrize(
    ("found", "heard", "leaks"),
    [
        ("Martina Schneider", "thanks martina", True),
        ("Martina Schneider", "thanks [bleep] bye", False),
        ("null eins fünf eins zwei drei", "ja 0151 23 genau", True),
        ("null eins fünf eins zwei drei", "ja 15 genau", False),
        ("4711", "vier sieben eins eins", True),
    ],
)
def test_recovered(found, heard, leaks):
    assert recovered(found, "de", Transcript.from_words([(" " + w, 0, 1, 1) for w in heard.split()], "de")) is leaks

def test_value_keys_ignore_short_words():
    assert value_keys("Frau Li", "de") == ({"frau"}, [])

def test_verifier_pass_and_fail(tmp_path):
    from anonymizer.config import VadConfig

    original = write_audio(tmp_path / "call.wav", sine(220.0, 3.0, 16000, amplitude=0.3))
    words = [("call", 0.2, 0.5), ("Anna", 1.0, 1.4), ("please", 2.0, 2.4)]
    pipeline = Pipeline(load_config(None, {"voice": {"chain": []}, "redaction": {"uncertain": False}}),
                        FakeTranscriber(words), FakeDetector())
    result = pipeline.run(original, tmp_path / "out")
    report = read_report(result.report_path)

    clean = Verifier(Hears(words, [("call", 0.2, 0.5), ("please", 2.0, 2.4)]), FakeDetector(), VadConfig(), "en")
    assert clean.verify(original, result.output_path, report).status == "PASS"
    leaky = Verifier(Hears(words, words), FakeDetector(), VadConfig(), "en")
    verdict = leaky.verify(original, result.output_path, report)
    assert verdict.status == "FAIL"
    assert [(f.entity_type, f.reason) for f in verdict.findings] == [
        ("PERSON", "value recoverable from the output's transcript")]
    assert "Anna" not in json.dumps(verdict.to_json())  # findings carry types and times, not text
    tampered = clean.verify(original, original, report)
    assert tampered.status == "FAIL" and "modified" in tampered.findings[0].reason
    assert clean.verify(original, result.output_path, None).status == "REVIEW"


def test_review_only_for_what_the_original_says_there_too(tmp_path):
    """The output's transcript finding a name the original does not have there (the disguised voice was
    misheard) is no evidence; one the original has there too, outside the redactions, is."""
    from anonymizer.config import VadConfig

    original = write_audio(tmp_path / "call.wav", sine(220.0, 4.0, 16000, amplitude=0.3))
    words = [("call", 0.2, 0.5), ("Anna", 1.0, 1.4), ("please", 2.0, 2.4), ("bye", 3.0, 3.3)]
    pipeline = Pipeline(load_config(None, {"voice": {"chain": []}, "redaction": {"uncertain": False}}),
                        FakeTranscriber(words), FakeDetector())
    result = pipeline.run(original, tmp_path / "out")
    report = read_report(result.report_path)

    misheard = [("call", 0.2, 0.5), ("please", 2.0, 2.4), ("Lena", 3.0, 3.3)]  # "bye" heard as a name
    verdict = Verifier(Hears(words, misheard), FakeDetector(r"Anna|Lena"), VadConfig(), "en").verify(
        original, result.output_path, report)
    assert verdict.status == "PASS", verdict.findings
    # the original says "lena" at 3 s (the run's detector missed it: lower case); the output's transcript
    # has "Lena" there, outside the redactions: listen
    said = [*words[:3], ("lena", 3.0, 3.3)]
    verdict = Verifier(Hears(said, misheard), FakeDetector(r"Anna|Lena"), VadConfig(), "en").verify(
        original, result.output_path, report)
    assert [(f.level, f.entity_type, f.start_s) for f in verdict.findings] == [("REVIEW", "PERSON", 3.0)]
    assert verdict.findings[0].reason.startswith("FakeDetector finds PERSON in the output outside the redactions")
