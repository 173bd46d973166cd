"""The hostile probe's defects that need the real engines: -vv logs no personal data, a wrong language
fails the file closed."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from tests.helpers import ROOT, SAMPLES
from tests.leaks import leaked, value_tokens

pytestmark = pytest.mark.e2e
SAMPLE_FILES = ["call_de.wav", "call_en.wav", "call_de_stereo.flac"]


def anonymizer(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "anonymizer.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=900)


def in_line(label: str, value: str, line: str) -> list[str]:
    """The value's words, and its digits written as one number (digits, spaces, dots, dashes between them),
    in one log line: the counts of a line ("ADDRESS 1, CREDIT_CARD 1, …") are no card number."""
    words, grams = value_tokens(label, value)
    hits = leaked(label, " ".join(words), line) if words else []
    numbers = ["".join(re.findall(r"\d", group)) for group in re.findall(r"\d[\d .,/-]*", line)]
    return hits + [g for g in grams if any(g in number for number in numbers)]


def test_the_most_verbose_logs_hold_no_personal_data(tmp_path):
    run = anonymizer("-vv", "run", *(str(SAMPLES / name) for name in SAMPLE_FILES), "-o", str(tmp_path),
                     "--voice", "none")
    assert run.returncode == 0, run.stderr
    check = anonymizer("-vv", "verify", str(SAMPLES / "call_en.wav"), str(tmp_path / "call_en.anon.wav"),
                       "--model", "tiny.en", "--language", "en")
    assert check.returncode in (0, 1, 3) and check.stdout.startswith(("PASS", "REVIEW", "FAIL")), check.stderr
    logs = run.stdout + run.stderr + check.stdout + check.stderr
    assert "DEBUG anonymizer.analysis" in logs  # -vv was on: this is the most there is
    leaks = {}
    for name in SAMPLE_FILES:
        truth = json.loads((SAMPLES / f"{name.split('.')[0]}.truth.json").read_text())
        for item in truth["pii"]:
            for line in logs.splitlines():
                if hits := in_line(item["label"], item["value"], line):
                    leaks[(name, item["label"], line)] = hits
    assert leaks == {}


def test_a_wrong_language_fails_the_file_closed(tmp_path):
    english_only = anonymizer("run", str(SAMPLES / "call_de.wav"), "--model", "tiny.en", "--language", "en",
                              "-o", str(tmp_path))
    assert english_only.returncode == 1
    assert english_only.stderr.splitlines()[0].startswith(
        f"failed: {SAMPLES / 'call_de.wav'}: model 'tiny.en' is English-only and this speech does not sound like "
        "English")
    forced = anonymizer("run", str(SAMPLES / "call_de.wav"), "-c", "en", "-o", str(tmp_path))
    assert forced.returncode == 1
    assert (f"failed: {SAMPLES / 'call_de.wav'}: the speech sounds like 'de'" in forced.stderr
            and "not 'en' as configured" in forced.stderr), forced.stderr
    assert list(tmp_path.iterdir()) == []  # fail closed: nothing written
    # the right language still passes the check
    right = anonymizer("run", str(SAMPLES / "call_en.wav"), "-c", "en", "-o", str(tmp_path), "--voice", "none")
    assert right.returncode == 0, right.stderr
