from pathlib import Path

import pytest

from anonymizer.config import Config, load_config, preset_names
from anonymizer.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


def test_presets_exist_and_validate():
    assert {"default", "de", "en", "max-privacy"} <= set(preset_names())
    for name in preset_names():
        assert isinstance(load_config(name), Config)


def test_repo_configs_dir_is_the_presets():
    assert sorted(p.stem for p in (ROOT / "configs").glob("*.yaml")) == preset_names()


def test_precedence_defaults_file_flags(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("redaction:\n  tone_hz: 800\ntranscription:\n  language: de\n")
    assert load_config(None).redaction.tone_hz == 1000.0  # default
    assert load_config(path).redaction.tone_hz == 800.0  # file beats default
    cfg = load_config(path, {"redaction": {"tone_hz": 600}})
    assert cfg.redaction.tone_hz == 600.0  # flag beats file
    assert cfg.transcription.language == "de"  # untouched keys of the file stay


def test_unknown_key_is_an_error(tmp_path):
    path = tmp_path / "typo.yaml"
    path.write_text("redaction:\n  metod: silence\n")
    with pytest.raises(ConfigError, match=r"typo.yaml: invalid config: redaction.metod: extra inputs"):
        load_config(path)


def test_unknown_section_is_an_error(tmp_path):
    path = tmp_path / "typo.yaml"
    path.write_text("voices: {}\n")
    with pytest.raises(ConfigError, match="voices"):
        load_config(path)


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("redaction: {method: beep}", "redaction.method"),
        ("voice: {chain: [{transform: pitch, range: [-40, 2]}]}", "pitch range must satisfy"),
        ("voice: {chain: [{transform: robot, range: [1, 2]}]}", "voice.chain.0.transform"),
        ("transcription: {language: German}", "transcription.language"),
        ("- a list", "must be a mapping"),
        ("a: [unclosed", "not valid YAML"),
    ],
)
def test_invalid_values(tmp_path, yaml_text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml_text)
    with pytest.raises(ConfigError, match=message):
        load_config(path)


def test_unknown_preset_lists_choices():
    with pytest.raises(ConfigError, match="unknown preset 'fr'; choose one of de, default, en, max-privacy"):
        load_config("fr")


def test_missing_file():
    with pytest.raises(ConfigError, match="nope.yaml: config file not found"):
        load_config("nope.yaml")


def test_empty_file_means_defaults(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_text("")
    assert load_config(path) == Config()


def test_hash_changes_with_config_and_is_stable():
    assert load_config(None).hash() == load_config(None).hash()
    assert load_config(None).hash() != load_config(None, {"voice": {"chain": []}}).hash()
