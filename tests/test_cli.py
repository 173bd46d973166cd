"""CLI exit codes and messages (CliRunner), with fake engines; the real engines run in test_e2e."""

import pytest
from click.testing import CliRunner

from anonymizer import cli as cli_module
from anonymizer.cli import cli
from tests.fakes import FakeWorkers
from tests.helpers import sine, write_audio


@pytest.fixture
def fake_engines():
    """The commands build their pipelines with fake engines (injected as the click context's obj)."""
    return FakeWorkers([("Hello", 0.1, 0.3), ("Anna", 0.4, 0.7)])


@pytest.fixture
def wav(tmp_path):
    return write_audio(tmp_path / "call.wav", sine(220.0, 1.0, 8000))


def invoke(*args, engines=None):
    return CliRunner().invoke(cli, list(map(str, args)), obj=engines)


def test_every_command_has_help():
    for name, command in cli.commands.items():
        assert command.help, name
        result = invoke(name, "--help")
        assert result.exit_code == 0
        assert "Usage: cli " + name in result.output


def test_run_ok(fake_engines, wav):
    result = invoke("run", wav, engines=fake_engines)
    assert result.exit_code == 0, result.output
    assert result.output == f"ok: {wav} -> {wav.with_name('call.anon.wav')} (1 redactions: PERSON 1)\n"


def test_missing_and_directory_inputs_exit_1_and_batch_goes_on(fake_engines, wav, tmp_path):
    result = invoke("run", tmp_path / "nope.wav", tmp_path, wav, engines=fake_engines)
    assert result.exit_code == 1
    assert f"failed: {tmp_path / 'nope.wav'}: file not found\n" in result.output
    assert f"failed: {tmp_path}: is a directory, not an audio file\n" in result.output
    assert f"ok: {wav} -> " in result.output  # the good file was still done
    assert "2 of 3 input(s) failed; no audio was written for them" in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty file (0 bytes)"), (b"RIFF....WAVEfmt garbage" * 10, "not a recognized audio file")],
)
def test_bad_audio_exit_1(fake_engines, tmp_path, content, message):
    bad = tmp_path / "bad.wav"
    bad.write_bytes(content)
    result = invoke("run", bad, engines=fake_engines)
    assert result.exit_code == 1
    assert f"failed: {bad}: {message}" in result.output
    assert not (tmp_path / "bad.anon.wav").exists()


def test_existing_output_needs_overwrite(fake_engines, wav):
    assert invoke("run", wav, engines=fake_engines).exit_code == 0
    result = invoke("run", wav, engines=fake_engines)
    assert result.exit_code == 1
    assert "output exists; pass --overwrite to replace it" in result.output
    assert invoke("run", "--overwrite", wav, engines=fake_engines).exit_code == 0


def test_output_dir(fake_engines, wav, tmp_path):
    result = invoke("run", wav, "-o", tmp_path / "out", engines=fake_engines)
    assert result.exit_code == 0
    assert (tmp_path / "out" / "call.anon.wav").is_file() and (tmp_path / "out" / "call.anon.json").is_file()


def test_invalid_config_is_a_usage_error(fake_engines, wav, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("redaction:\n  metod: silence\n")
    result = invoke("run", "-c", bad, wav, engines=fake_engines)
    assert result.exit_code == 2
    assert f"Error: {bad}: invalid config: redaction.metod: extra inputs are not permitted" in result.output
    assert fake_engines == []  # nothing was loaded or processed


def test_unknown_option_is_a_usage_error(wav):
    assert invoke("run", "--no-such-flag", wav).exit_code == 2


def test_flags_override_config(fake_engines, wav):
    invoke("run", "-c", "de", "--language", "en", "--voice", "none", "--deny", "Anna", "--deny", "Bob", wav,
           engines=fake_engines)
    config = fake_engines[0]
    assert config.transcription.language == "en"
    assert config.voice.chain == ()
    assert config.detection.deny == ["Anna", "Bob"]
    assert config.detection.spacy_models["de"] is None  # from the de preset


@pytest.mark.parametrize("name, level", [("disguise", "disguise"), ("strong", "strong"), ("none", "none"),
                                          ("default", "disguise"), ("mcadams", "custom")])
def test_voice_levels_by_name(fake_engines, wav, name, level):
    from anonymizer.config import voice_level

    invoke("run", "--voice", name, wav, engines=fake_engines)
    assert voice_level(fake_engines[0].voice.chain) == level


def test_missing_model_exit_1_with_instructions(wav):
    result = invoke("run", "--model", "large-v3", wav)
    assert result.exit_code == 1
    assert result.output == ("error: whisper model 'large-v3' not found offline; pass --model PATH to a CTranslate2 "
                             "model directory, or allow a download with --allow-download\n")


def test_models_command():
    result = invoke("models")
    assert result.exit_code == 0
    assert "whisper:tiny.en" in result.output and "whisper:base" in result.output


def test_config_command_prints_effective_preset():
    result = invoke("config", "-c", "de")
    assert result.exit_code == 0
    assert "language: de" in result.output and "method: bleep" in result.output


def test_main_entry_point_is_wired():
    assert callable(cli_module.main)


def test_run_from_the_command_line_ends_at_once_with_its_output_flushed(tmp_path):
    """``main`` ends a ``run`` with ``os._exit`` (no interpreter teardown): the lines printed into a pipe,
    the files written and the exit code must all be there."""
    import subprocess
    import sys
    from pathlib import Path

    wav = write_audio(tmp_path / "call.wav", sine(220.0, 1.0, 16000))
    script = ("import atexit, functools, sys; from anonymizer import cli; from tests.fakes import FakeWorkers; "
              "atexit.register(print, 'teardown'); "
              "cli.cli.main = functools.partial(cli.cli.main, obj=FakeWorkers()); "
              "sys.argv = ['anonymizer', *sys.argv[1:]]; cli.main(); print('not reached')")
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", script, "run", str(wav), str(tmp_path / "missing.wav"), "-o",
                           str(tmp_path / "out"), "--voice", "none"], cwd=root, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith(f"ok: {wav} -> ") and "not reached" not in done.stdout
    assert "teardown" not in done.stdout  # ended at once
    assert "1 of 2 input(s) failed" in done.stderr and "Traceback" not in done.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["call.anon.json", "call.anon.wav"]
    ok = subprocess.run([sys.executable, "-c", script, "run", str(wav), "-o", str(tmp_path / "out"), "--overwrite",
                         "--voice", "none"], cwd=root, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0 and ok.stdout.startswith("ok: "), ok.stderr
