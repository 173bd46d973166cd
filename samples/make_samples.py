"""Synthesize the sample calls with espeak-ng + MBROLA voices, with exact ground truth.

Each turn is spoken chunk by chunk (plain phrases and PII items separately), edge silence trimmed,
and concatenated, so the time of every PII item and every non-PII phrase is known to the sample.

Needs: ``apt-get install espeak-ng mbrola mbrola-de1 mbrola-de2 mbrola-us1 mbrola-us2`` (contrib/non-free).
Run: ``python samples/make_samples.py`` (writes call_de.wav, call_de_stereo.flac, call_en.wav + truth).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.signal import resample_poly

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from anonymizer.audio import FORMATS, OutputFormat, decode, write_atomic  # noqa: E402
from anonymizer.types import Audio  # noqa: E402

HERE = Path(__file__).resolve().parent
SYNTH_RATE_HZ = 16000
CHUNK_GAP_S = 0.1
TURN_GAP_S = 0.4


@dataclass(frozen=True)
class Pii:
    label: str
    value: str  # canonical value (digits, address, …) used to check for leaks
    text: str  # what is spoken


Chunk = str | Pii
Turn = tuple[str, list[Chunk]]  # (speaker, chunks)

CALL_DE: list[Turn] = [
    ("agent", ["Nordwind Energie, guten Tag. Was kann ich für Sie tun?"]),
    ("customer", ["Guten Tag, mein Name ist", Pii("PERSON", "Martina Schneider", "Martina Schneider"),
                  ". Ich habe eine Frage zur Rechnung."]),
    ("agent", ["Sehr gerne. Wie lautet Ihre Kundennummer?"]),
    ("customer", ["Meine Kundennummer ist", Pii("CUSTOMER_ID", "4711239", "vier sieben eins eins zwei drei neun")]),
    ("agent", ["Danke. Und Ihr Geburtsdatum?"]),
    ("customer", ["Das ist der", Pii("DATE_OF_BIRTH", "14.03.1985", "vierzehnte März neunzehnhundertfünfundachtzig")]),
    ("agent", ["Unter welcher Telefonnummer erreichen wir Sie?"]),
    ("customer", ["Unter", Pii("PHONE_NUMBER", "015123456789",
                               "null eins fünf eins, zwei drei vier fünf, sechs sieben acht neun")]),
    ("agent", ["Und wie ist Ihre E-Mail-Adresse?"]),
    ("customer", [Pii("EMAIL_ADDRESS", "martina.schneider@beispiel.de",
                      "martina punkt schneider at beispiel punkt d e")]),
    ("agent", ["Und Ihre Adresse?"]),
    ("customer", ["Ja, in der", Pii("ADDRESS", "Lindenstraße 12, 10115 Berlin",
                                    "Lindenstraße zwölf, zehn eins eins fünf Berlin")]),
    ("agent", ["Und Ihre Bankverbindung?"]),
    ("customer", ["Meine IBAN ist", Pii("IBAN_CODE", "DE89370400440532013000",
                                        "D E acht neun, drei sieben null vier, null null vier vier, "
                                        "null fünf drei zwei, null eins drei null, null null")]),
    ("agent", ["Vielen Dank, Frau", Pii("PERSON", "Schneider", "Schneider"),
               ". Auf Wiederhören."]),
]

CALL_EN: list[Turn] = [
    ("agent", ["Thank you for calling Northwind Energy, this is", Pii("PERSON", "Daniel Miller", "Daniel Miller"),
               ". How can I help you today?"]),
    ("customer", ["Hi, my name is", Pii("PERSON", "Sarah Johnson", "Sarah Johnson"),
                  ". I have a question about my last bill."]),
    ("agent", ["Sure. Can I have your customer number, please?"]),
    ("customer", ["My customer number is", Pii("CUSTOMER_ID", "8427719", "eight four two, seven seven one nine")]),
    ("agent", ["Thanks. And for security, your date of birth?"]),
    ("customer", ["It is", Pii("DATE_OF_BIRTH", "1985-03-14", "March fourteenth, nineteen eighty five")]),
    ("agent", ["What is the best phone number to reach you?"]),
    ("customer", ["You can call me on", Pii("PHONE_NUMBER", "4155552671",
                                            "four one five, five five five, two six seven one")]),
    ("agent", ["And your email address?"]),
    ("customer", [Pii("EMAIL_ADDRESS", "sarah.johnson@example.com", "sarah dot johnson at example dot com")]),
    ("agent", ["Do you still live at the same address?"]),
    ("customer", ["Yes, it is", Pii("ADDRESS", "42 Maple Street, Springfield", "forty two Maple Street, Springfield")]),
    ("agent", ["I can refund the difference to your card."]),
    ("customer", ["The card number is", Pii("CREDIT_CARD", "4111111111111111",
                                            "four one one one, one one one one, one one one one, one one one one")]),
    ("agent", ["Thank you, Miss", Pii("PERSON", "Johnson", "Johnson"),
               ". The refund will arrive within five days. Goodbye."]),
]

VOICES = {
    "de": {"agent": ("mb-de2", 180), "customer": ("mb-de1", 180)},
    "en": {"agent": ("mb-us2", 150), "customer": ("mb-us1", 145)},
}


def speak(text: str, voice: str, rate_wpm: int) -> np.ndarray:
    """espeak-ng (MBROLA voice) to float samples at 16 kHz, edge silence trimmed."""
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "chunk.wav"
        subprocess.run(
            ["espeak-ng", "-v", voice, "-s", str(rate_wpm), "-w", str(wav), text],
            check=True, capture_output=True,
        )
        audio = decode(wav)
    samples = audio.samples[:, 0]
    if audio.sample_rate_hz != SYNTH_RATE_HZ:
        samples = resample_poly(samples, SYNTH_RATE_HZ, audio.sample_rate_hz)
    return trim(samples.astype(np.float32))


def trim(samples: np.ndarray, threshold: float = 0.01) -> np.ndarray:
    loud = np.flatnonzero(np.abs(samples) > threshold)
    if loud.size == 0:
        return samples[:0]
    return samples[loud[0] : loud[-1] + 1]


def synthesize(turns: list[Turn], language: str) -> tuple[np.ndarray, np.ndarray, dict]:
    """Mono mix, per-speaker stereo (agent left, customer right), and the truth."""
    tracks: dict[str, list[np.ndarray]] = {"agent": [], "customer": []}
    pos = int(0.5 * SYNTH_RATE_HZ)
    truth_pii, truth_phrases = [], []
    for speaker in tracks:
        tracks[speaker].append(np.zeros(pos, np.float32))
    for turn_index, (speaker, chunks) in enumerate(turns):
        voice, rate = VOICES[language][speaker]
        for chunk in chunks:
            text = chunk.text if isinstance(chunk, Pii) else chunk
            audio = speak(text, voice, rate)
            start, end = pos, pos + len(audio)
            item = {"text": text, "start_s": round(start / SYNTH_RATE_HZ, 3), "end_s": round(end / SYNTH_RATE_HZ, 3),
                    "speaker": speaker, "turn": turn_index}
            if isinstance(chunk, Pii):
                truth_pii.append({"label": chunk.label, "value": chunk.value, **item})
            else:
                truth_phrases.append(item)
            gap = np.zeros(int(CHUNK_GAP_S * SYNTH_RATE_HZ), np.float32)
            for name in tracks:
                tracks[name].append(audio if name == speaker else np.zeros(len(audio), np.float32))
                tracks[name].append(gap)
            pos = end + len(gap)
        turn_gap = np.zeros(int(TURN_GAP_S * SYNTH_RATE_HZ), np.float32)
        for name in tracks:
            tracks[name].append(turn_gap)
        pos += len(turn_gap)
    agent, customer = np.concatenate(tracks["agent"]), np.concatenate(tracks["customer"])
    mono = 0.8 * (agent + customer)
    stereo = 0.8 * np.stack([agent, customer], axis=1)
    truth = {"language": language, "pii": truth_pii, "phrases": truth_phrases,
             "channels": {"0": "agent", "1": "customer"}}
    return mono, stereo, truth


def to_rate(samples: np.ndarray, rate_hz: int) -> np.ndarray:
    if rate_hz == SYNTH_RATE_HZ:
        return samples
    g = np.gcd(rate_hz, SYNTH_RATE_HZ)
    return resample_poly(samples, rate_hz // g, SYNTH_RATE_HZ // g, axis=0).astype(np.float32)


def write(samples: np.ndarray, rate_hz: int, path: Path, fmt: str | OutputFormat, truth: dict) -> None:
    samples = samples if samples.ndim == 2 else samples[:, None]
    audio = Audio(np.clip(to_rate(samples, rate_hz), -1, 1), rate_hz)
    write_atomic(audio, path, FORMATS[fmt] if isinstance(fmt, str) else fmt)
    truth = {**truth, "file": path.name, "sample_rate_hz": rate_hz, "n_channels": audio.n_channels,
             "duration_s": round(audio.duration_s, 3)}
    path.with_name(f"{path.name.split('.')[0]}.truth.json").write_text(
        json.dumps(truth, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{path.name}: {audio.duration_s:.1f} s, {rate_hz} Hz, {audio.n_channels} ch, {len(truth['pii'])} PII items")


def main() -> None:
    mono, stereo, truth = synthesize(CALL_DE, "de")
    write(mono, 8000, HERE / "call_de.wav", "wav", truth)  # telephone band
    write(stereo, 8000, HERE / "call_de_stereo.flac", "flac", truth)
    mono, _, truth = synthesize(CALL_EN, "en")
    write(mono, 16000, HERE / "call_en.wav", "wav", truth)


if __name__ == "__main__":
    main()
