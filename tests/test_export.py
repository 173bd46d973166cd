"""Export units: utterances, texts that match the audio, surrogates, splits, records (no models)."""

from __future__ import annotations

import re

import pytest

from anonymizer.analysis import Analysis, ChannelAnalysis
from anonymizer.export.dataset import ExportOptions, split_of, text_of
from anonymizer.export.segments import segments
from anonymizer.export.surrogates import Surrogates
from anonymizer.types import PiiSpan, Redaction, TimeSpan, Transcript


def _analysis(words, marks=(), redactions=(), duration_s=20.0, channel=None):
    transcript = Transcript.from_words([(f" {w}", s, e, 0.9) for w, s, e in words], "en")
    part = ChannelAnalysis(channel, (TimeSpan(0, duration_s),), transcript, (), tuple(redactions), tuple(marks))
    return Analysis(duration_s, 1 if channel is None else 2, (part,)), transcript


def _char(transcript, word):
    w = next(w for w in transcript.words if w.text == word)
    return w.char_start, w.char_end


def test_utterances_cut_at_pauses_and_sentence_ends():
    words = [("Hello", 0.5, 0.9), ("there.", 1.0, 1.5), ("How", 1.8, 2.0), ("are", 2.05, 2.3), ("you", 2.35, 2.8),
             ("today?", 2.85, 3.4), ("Fine", 6.0, 6.4), ("thanks", 6.5, 7.2)]
    analysis, _ = _analysis(words)
    cut, short = segments(analysis, {}, 20.0)
    texts = [text_of(s, "tag", None)[0] for s in cut]
    assert texts == ["Hello there.", "How are you today?", "Fine thanks"] and short == 0
    assert all(1.0 <= s.duration_s <= 30.0 for s in cut)
    assert cut[0].start_s < 0.5 and cut[0].end_s > 1.5 and cut[0].end_s <= cut[1].start_s  # padded, not overlapping


def test_a_too_short_utterance_joins_a_close_neighbour_or_is_left_out():
    analysis, _ = _analysis([("Yes.", 0.5, 0.8), ("Okay", 1.3, 1.6), ("then", 1.7, 2.2), ("Hm.", 10.0, 10.2)])
    cut, short = segments(analysis, {}, 20.0)
    assert [text_of(s, "tag", None)[0] for s in cut] == ["Yes. Okay then"] and short == 1


def test_long_speech_is_cut_below_thirty_seconds():
    words = [(f"w{i}", i * 0.5, i * 0.5 + 0.4) for i in range(200)]  # 100 s without a pause
    analysis, _ = _analysis(words, duration_s=101.0)
    cut, _ = segments(analysis, {}, 101.0)
    assert len(cut) >= 4 and all(s.duration_s <= 30.0 for s in cut)
    assert sum(len(s.pieces) for s in cut) == 200  # every word in exactly one segment


def test_placeholders_stand_where_the_audio_is_redacted():
    words = [("my", 0.5, 0.7), ("name", 0.75, 1.0), ("is", 1.05, 1.2), ("Anna", 1.3, 1.7), ("Berg", 1.75, 2.1),
             ("and", 3.6, 3.8), ("hmm", 3.85, 4.4)]
    t = Transcript.from_words([(f" {w}", s, e, 0.9) for w, s, e in words], "en")
    name = PiiSpan(_char(t, "Anna")[0], _char(t, "Berg")[1], "PERSON", 0.9, "r")
    analysis, _ = _analysis(words, marks=[name], redactions=[Redaction(1.25, 2.2, "PERSON", 0.9, "r"),
                                                             Redaction(2.5, 3.5, "UNTRANSCRIBED_SPEECH", 0.3, "u")])
    plan = {None: [TimeSpan(1.25, 2.2), TimeSpan(2.5, 3.5)]}
    cut, _ = segments(analysis, plan, 20.0)
    assert [text_of(s, "tag", None)[0] for s in cut] == ["my name is [PERSON] [UNTRANSCRIBED_SPEECH] and hmm"]
    assert cut[0].redacted and cut[0].entities == ("PERSON", "UNTRANSCRIBED_SPEECH")
    for piece in cut[0].pieces:  # every placeholder lies over a redacted stretch
        if piece.entity:
            assert any(TimeSpan(piece.start_s, piece.end_s).overlaps(s) for s in plan[None])


def test_a_segment_without_placeholders_has_no_redacted_audio():
    words = [("one", 0.5, 0.9), ("two", 1.0, 1.4), ("three", 5.0, 5.5), ("four", 5.6, 6.2)]
    analysis, _ = _analysis(words, redactions=[Redaction(4.9, 5.6, "PERSON", 0.9, "r")])
    plan = {None: [TimeSpan(4.9, 5.6)]}
    cut, _ = segments(analysis, plan, 20.0)
    clean = [s for s in cut if not s.redacted]
    assert [text_of(s, "tag", None)[0] for s in clean] == ["one two"]
    assert all(not TimeSpan(s.start_s, s.end_s).overlaps(plan[None][0]) for s in clean)


def test_surrogates_are_stable_per_value_and_look_real():
    fakes = Surrogates("a" * 64, "de")
    assert fakes.fake("PERSON", "Anna Berg") == fakes.fake("PERSON", "anna  berg")  # same value, same fake
    assert fakes.fake("PERSON", "Anna Berg") != fakes.fake("PERSON", "Otto Kranz")
    iban = fakes.fake("IBAN_CODE", "DE89 3704 0044 0532 0130 00").replace(" ", "")
    assert iban.startswith("DE") and len(iban) == 22 and int(_iban_digits(iban)) % 97 == 1
    card = re.sub(r"\D", "", fakes.fake("CREDIT_CARD", "4111 1111 1111 1111"))
    assert _luhn_ok(card)
    assert re.fullmatch(r"\d{6}", fakes.fake("NUMBER_SEQUENCE", "4 7 1 1 0 8"))
    assert fakes.fake("UNCERTAIN", "mumble") == ""


def _iban_digits(iban: str) -> str:
    moved = iban[4:] + iban[:4]
    return "".join(str(int(c, 36)) for c in moved)


def _luhn_ok(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def test_surrogate_text_marks_where_the_fakes_are():
    words = [("call", 0.5, 0.8), ("Anna", 0.9, 1.3), ("please", 1.4, 1.9)]
    t = Transcript.from_words([(f" {w}", s, e, 0.9) for w, s, e in words], "en")
    analysis, _ = _analysis(words, marks=[PiiSpan(*_char(t, "Anna"), "PERSON", 0.9, "r")],
                            redactions=[Redaction(0.85, 1.35, "PERSON", 0.9, "r")])
    cut, _ = segments(analysis, {None: [TimeSpan(0.85, 1.35)]}, 5.0)
    text, ranges = text_of(cut[0], "surrogate", Surrogates("c" * 64, "en"))
    (a, b), = ranges
    assert text.startswith("call ") and text.endswith(" please") and "Anna" not in text
    assert text[a:b] == Surrogates("c" * 64, "en").fake("PERSON", "Anna")


def test_split_by_call_is_seeded_stable_and_roughly_proportional():
    calls = [f"{i:064x}" for i in range(2000)]
    splits = [split_of(c, 7, (0.8, 0.1, 0.1)) for c in calls]
    assert splits == [split_of(c, 7, (0.8, 0.1, 0.1)) for c in calls]  # the same call, the same split
    assert splits != [split_of(c, 8, (0.8, 0.1, 0.1)) for c in calls]  # the seed matters
    shares = {s: splits.count(s) / len(calls) for s in ("train", "dev", "test")}
    assert shares["train"] == pytest.approx(0.8, abs=0.03) and shares["test"] == pytest.approx(0.1, abs=0.02)


def test_options_key_ignores_the_manifest_formats_only():
    assert ExportOptions(formats=("nemo",)).key() == ExportOptions(formats=("hf",)).key()
    assert ExportOptions(text="tag").key() != ExportOptions(text="drop").key()


def test_a_surrogate_is_never_the_value_itself():
    fakes = Surrogates("d" * 64, "en")
    for name in ("Miller", "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Davis"):
        assert name.lower() not in fakes.fake("PERSON", name).lower()
    assert fakes.fake("NUMBER_SEQUENCE", "7") != "7"


def test_batch_then_export_in_one_go(tmp_path):
    """``batch … --dataset DIR`` (fake engines): the outputs and, right after, the training set."""
    import json

    from click.testing import CliRunner

    from anonymizer.cli import cli
    from tests.fakes import FakeWorkers
    from tests.helpers import sine, write_audio

    calls = tmp_path / "calls"
    calls.mkdir()
    for name in ("a", "b"):
        write_audio(calls / f"{name}.wav", sine(220.0 if name == "a" else 330.0, 6.0, 16000))
    engines = FakeWorkers([("Hello", 0.2, 0.6), ("there", 0.7, 1.1), ("my", 1.2, 1.4), ("friend.", 1.5, 2.0),
                           ("Anna", 3.6, 4.0), ("speaking.", 4.1, 4.9)])
    result = CliRunner().invoke(cli, ["batch", str(calls), "-o", str(tmp_path / "out"), "--dataset",
                                      str(tmp_path / "ds")], obj=engines)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in (tmp_path / "ds" / "manifest.jsonl").read_text().splitlines()]
    assert [r["text"] for r in rows] == ["Hello there my friend."] * 2  # "Anna speaking." has a redaction: dropped
    assert len({r["source_sha256"] for r in rows}) == 2
    assert "| calls | 2 |" in (tmp_path / "ds" / "README.md").read_text()


def test_no_surrogate_shares_a_word_with_any_value_of_the_call():
    fakes = Surrogates("e" * 64, "en", avoid=["Sarah Johnson", "Daniel Miller", "0151 2345"])
    for raw in ("is Daniel Miller,", "Sarah", "Bob"):
        made = fakes.fake("PERSON", raw).lower()
        assert not {"sarah", "johnson", "daniel", "miller"} & set(made.split()), made


def test_a_folder_without_run_outputs_is_one_line_and_exit_1(tmp_path):
    from click.testing import CliRunner

    from anonymizer.cli import cli

    result = CliRunner().invoke(cli, ["export", str(tmp_path), "--dataset", str(tmp_path / "ds")])
    assert result.exit_code == 1 and "no run outputs (*.anon.json) here" in result.output


def test_whole_file_segments_keep_every_word_and_placeholder():
    from anonymizer.export.segments import whole_channels

    words = [("hi", 0.2, 0.5), ("Anna", 0.6, 1.0), ("bye", 2.0, 2.3)]
    t = Transcript.from_words([(f" {w}", s, e, 0.9) for w, s, e in words], "en")
    analysis, _ = _analysis(words, marks=[PiiSpan(*_char(t, "Anna"), "PERSON", 0.9, "r")],
                            redactions=[Redaction(0.55, 1.05, "PERSON", 0.9, "r")], duration_s=3.0)
    (whole,) = whole_channels(analysis, {None: [TimeSpan(0.55, 1.05)]}, 3.0)
    assert (whole.start_s, whole.end_s) == (0.0, 3.0) and text_of(whole, "tag", None)[0] == "hi [PERSON] bye"
