import pytest

from anonymizer.align import AlignSettings, align, words_for_span
from anonymizer.types import PiiSpan, TimeSpan, Transcript


def align_(transcript, spans, duration_s, pad_before_s=0.25, pad_after_s=0.25, min_duration_s=0.3, pauses=(),
           snap_max_s=0.0, extend_without_pause=True, sentence_end_reach_s=0.0, sentence_gap_min_s=0.4,
           sentence_start_reach_s=0.0, next_word_reach_s=0.0):
    """``align`` with its settings as keywords (each test names the ones it is about)."""
    settings = AlignSettings(pad_before_s, pad_after_s, min_duration_s, sentence_gap_min_s, snap_max_s,
                             extend_without_pause, sentence_end_reach_s, sentence_start_reach_s, next_word_reach_s)
    return align(transcript, spans, duration_s, settings, pauses or ())

WORDS = [(" My", 0.0, 0.2, 1.0), (" number", 0.2, 0.5, 1.0), (" is", 0.5, 0.6, 1.0),
         (" 0151", 1.0, 1.5, 1.0), (" 2345.", 1.6, 2.0, 1.0), (" Bye", 3.0, 3.3, 1.0)]
T = Transcript.from_words(WORDS, "en")


def span_of(text: str, entity: str = "NUMBER_SEQUENCE") -> PiiSpan:
    start = T.text.index(text)
    return PiiSpan(start, start + len(text), entity, 0.6, "test")


def test_transcript_invariant_text_equals_words():
    assert T.text == "My number is 0151 2345. Bye"
    for word in T.words:
        assert T.text[word.char_start : word.char_end] == word.text


@pytest.mark.parametrize(
    ("text", "expected_words"),
    [("0151 2345", ["0151", "2345."]), ("0151", ["0151"]), ("151 23", ["0151", "2345."]), ("Bye", ["Bye"])],
)
def test_char_span_to_words(text, expected_words):
    assert [w.text for w in words_for_span(T, span_of(text))] == expected_words


@pytest.mark.parametrize(
    ("text", "pad_s", "expected"),
    [
        ("0151 2345", 0.0, (1.0, 2.0)),
        ("0151 2345", 0.25, (0.75, 2.25)),
        ("My", 0.25, (0.0, 0.45)),  # clipped at the file start
        ("Bye", 0.25, (2.75, 3.4)),  # clipped at the file end (3.4 s)
    ],
)
def test_words_to_padded_clipped_time(text, pad_s, expected):
    (redaction,) = align_(T, [span_of(text)], duration_s=3.4, pad_before_s=pad_s, pad_after_s=pad_s,
                         min_duration_s=0.0)
    assert (redaction.start_s, redaction.end_s) == pytest.approx(expected)


def test_min_duration_applies():
    (redaction,) = align_(T, [span_of("is")], duration_s=4.0, pad_before_s=0, pad_after_s=0, min_duration_s=0.4)
    assert redaction.end_s - redaction.start_s == pytest.approx(0.4)


def test_snapping_extends_to_pause():
    pauses = [TimeSpan(0.7, 0.95), TimeSpan(2.4, 2.9)]
    (redaction,) = align_(T, [span_of("0151 2345")], 4.0, 0.0, 0.0, 0.0, pauses, snap_max_s=0.5)
    assert (redaction.start_s, redaction.end_s) == pytest.approx((0.95, 2.4))


def test_redaction_keeps_entity_and_char_range():
    (redaction,) = align_(T, [span_of("0151", "PHONE_NUMBER")], 4.0)
    assert redaction.entity_type == "PHONE_NUMBER"
    assert T.text[redaction.char_start : redaction.char_end] == "0151"


@pytest.mark.parametrize(
    ("text", "pauses", "expected_end_s"),
    [
        # "2345." ends the sentence: on to the 0.5 s gap after it (Whisper ended the word 0.3 s early)
        ("0151 2345", [TimeSpan(2.3, 2.8)], 2.3),
        ("0151 2345", [TimeSpan(2.2, 2.35), TimeSpan(2.5, 2.95)], 2.5),  # a short pause is not the gap
        ("0151 2345", [TimeSpan(2.9, 3.5)], 2.9),
        ("0151 2345", [TimeSpan(3.2, 3.8)], 2.0),  # beyond the reach: unchanged
        ("0151", [TimeSpan(1.6, 2.5)], 1.5),  # "0151" does not end a sentence
    ],
)
def test_a_sentence_final_finding_runs_on_to_the_gap_after_the_sentence(text, pauses, expected_end_s):
    (redaction,) = align_(T, [span_of(text)], 4.0, 0.0, 0.0, 0.0, pauses, sentence_end_reach_s=1.0,
                         sentence_gap_min_s=0.4)
    assert redaction.end_s == pytest.approx(expected_end_s)


def test_the_run_on_stops_at_the_next_word():
    words = [(" 0151", 1.0, 1.5, 1.0), (" 2345.", 1.6, 2.0, 1.0), (" Bye", 2.2, 2.5, 1.0)]
    transcript = Transcript.from_words(words, "en")
    span = PiiSpan(0, len("0151 2345."), "NUMBER_SEQUENCE", 0.6, "t")
    (redaction,) = align_(transcript, [span], 4.0, 0.0, 0.0, 0.0, [TimeSpan(2.5, 3.5)], sentence_end_reach_s=1.0)
    assert redaction.end_s == pytest.approx(2.2)


def test_a_sentence_initial_finding_starts_at_the_gap_before_the_sentence():
    """After a silence Whisper's first word often starts late: "leonore" was audible before it."""
    words = [(" Adresse?", 0.0, 0.4, 1.0), (" Leonorebonk,", 1.5, 2.0, 1.0), (" posteo", 2.0, 2.5, 1.0)]
    transcript = Transcript.from_words(words, "de")
    span = PiiSpan(transcript.text.index("Leonorebonk"), len(transcript.text), "EMAIL_ADDRESS", 0.5, "t")
    pauses = [TimeSpan(0.4, 0.9)]
    (redaction,) = align_(transcript, [span], 4.0, 0.0, 0.0, 0.0, pauses, sentence_start_reach_s=1.0)
    assert redaction.start_s == pytest.approx(0.9)
    (redaction,) = align_(transcript, [span], 4.0, 0.0, 0.0, 0.0, pauses)  # off
    assert redaction.start_s == pytest.approx(1.5)
    # not the first word of a sentence: unchanged
    span = PiiSpan(transcript.text.index("posteo"), len(transcript.text), "EMAIL_ADDRESS", 0.5, "t")
    (redaction,) = align_(transcript, [span], 4.0, 0.0, 0.0, 0.0, [TimeSpan(1.2, 1.9)], sentence_start_reach_s=1.0)
    assert redaction.start_s == pytest.approx(2.0)


def test_a_finding_ends_at_the_next_word_when_that_is_close():
    """Whisper's word ends run early, and the snap stopped at a quiet consonant: "Thompson"'s end was audible."""
    words = [(" I'm", 5.1, 5.3, 1.0), (" Henry", 5.7, 5.9, 1.0), (" Thompson,", 6.0, 6.24, 1.0),
             (" I'd", 6.7, 6.8, 1.0), (" like", 7.4, 7.6, 1.0)]
    transcript = Transcript.from_words(words, "en")
    span = PiiSpan(transcript.text.index("Henry"), transcript.text.index("Thompson,") + 8, "PERSON", 0.8, "t")
    pauses = [TimeSpan(6.49, 6.6)]
    (redaction,) = align_(transcript, [span], 9.0, pauses=pauses, snap_max_s=0.4, next_word_reach_s=0.3)
    assert redaction.end_s == pytest.approx(6.7)
    (redaction,) = align_(transcript, [span], 9.0, pauses=pauses, snap_max_s=0.4)  # off
    assert redaction.end_s == pytest.approx(6.49)
    # the next word further off: the snapped end stays
    span = PiiSpan(transcript.text.index("I'd"), transcript.text.index("I'd") + 3, "PERSON", 0.8, "t")
    (redaction,) = align_(transcript, [span], 9.0, pauses=[TimeSpan(7.05, 7.3)], snap_max_s=0.4,
                          next_word_reach_s=0.3)
    assert redaction.end_s == pytest.approx(7.05)


def test_the_start_snaps_back_to_a_pause_but_not_across_the_word_before():
    """Whisper timed "Deborah" early; the snap reached the pause before "My name is" and bleeped all three."""
    words = [(" My", 13.0, 13.15, 1.0), (" name", 13.15, 13.3, 1.0), (" is", 13.3, 13.4, 1.0),
             (" Deborah", 13.45, 13.8, 1.0), (" Hall.", 13.8, 14.1, 1.0)]
    transcript = Transcript.from_words(words, "en")
    span = PiiSpan(transcript.text.index("Deborah"), transcript.text.index("Hall") + 4, "PERSON", 0.8, "t")
    pauses = [TimeSpan(12.5, 13.05), TimeSpan(14.3, 15.0)]
    (redaction,) = align_(transcript, [span], 20.0, 0.15, 0.25, 0.0, pauses, snap_max_s=0.4)
    assert redaction.start_s == pytest.approx(13.3)  # padded 150 ms, not snapped to the pause at 13.05
    assert redaction.end_s == pytest.approx(14.35)  # the end still snaps to the pause after


def test_a_finding_before_a_word_stretched_over_a_silence_runs_on_to_the_gap():
    """call020: "1951" ended 0.7 s early; the next word, "unter", ran 6.3 s over the year's tail and a silence."""
    words = [(" am", 50.33, 50.69, 1.0), (" 20", 50.69, 51.49, 0.9), (" August", 51.49, 52.43, 0.4),
             (" 1951", 52.43, 55.39, 0.5), (" unter", 55.39, 61.71, 0.7)]
    transcript = Transcript.from_words(words, "de")
    span = PiiSpan(transcript.text.index("20"), transcript.text.index(" unter"), "DATE_OF_BIRTH", 0.6, "t")
    pauses = [TimeSpan(56.2, 59.0)]
    (redaction,) = align_(transcript, [span], 70.0, 0.0, 0.25, 0.0, pauses, sentence_end_reach_s=1.0)
    assert redaction.end_s == pytest.approx(56.2)
    # a next word of a plausible length stays the limit of a finding that ends no sentence
    words[-1] = (" unter", 55.39, 55.9, 0.7)
    transcript = Transcript.from_words(words, "de")
    (redaction,) = align_(transcript, [span], 70.0, 0.0, 0.25, 0.0, pauses, sentence_end_reach_s=1.0)
    assert redaction.end_s == pytest.approx(55.64)


def test_a_finding_after_a_word_stretched_over_a_silence_starts_where_the_silence_ends():
    """CPUs with other math kernels: "D E acht neun" glued into a "meiner" stretched over the agent's
    question; the IBAN's head stayed audible."""
    t = Transcript.from_words([(" Bankverbindung?", 40.0, 41.0, 0.9), (" meiner", 43.86, 47.95, 0.8),
                               (" .937", 47.95, 48.4, 0.6), (" .4", 48.4, 48.9, 0.6)], "de")
    start = t.text.index(".937")
    pauses = [TimeSpan(41.0, 46.7), TimeSpan(46.9, 47.1)]  # the customer speaks from 46.7
    (r,) = align_(t, [PiiSpan(start, len(t.text), "NUMBER_SEQUENCE", 0.6, "r")], 60.0, 0.15, 0.25, 0.3, pauses,
                 snap_max_s=0.4, sentence_gap_min_s=0.4)
    assert r.start_s == pytest.approx(46.7)


def test_a_finding_after_a_slow_word_touching_it_starts_with_that_word():
    t = Transcript.from_words([(" Meine", 46.5, 46.8, 0.9), (" ist", 46.8, 48.0, 0.8), (" 937", 48.0, 48.6, 0.6)],
                              "de")
    start = t.text.index("937")
    (r,) = align_(t, [PiiSpan(start, len(t.text), "NUMBER_SEQUENCE", 0.6, "r")], 60.0, 0.15, 0.25, 0.3, [],
                 snap_max_s=0.4)
    assert r.start_s == pytest.approx(46.8)
    # an ordinary word before a finding keeps its audio
    t = Transcript.from_words([(" ist", 46.8, 47.1, 0.9), (" 937", 47.1, 47.6, 0.6)], "de")
    (r,) = align_(t, [PiiSpan(4, 7, "NUMBER_SEQUENCE", 0.6, "r")], 60.0, 0.15, 0.25, 0.3, [], snap_max_s=0.4)
    assert r.start_s == pytest.approx(46.95)
