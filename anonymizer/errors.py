"""Errors. Every message names the file or setting and says what to do next."""

from __future__ import annotations


class AnonymizerError(Exception):
    """Root of all errors this package raises on purpose."""


class AudioDecodeError(AnonymizerError):
    """The input could not be read as audio (missing, empty, truncated, not audio, …)."""


class AudioEncodeError(AnonymizerError):
    """The output could not be encoded in the requested format."""


class ConfigError(AnonymizerError):
    """A configuration file or option is invalid."""


class ModelUnavailableError(AnonymizerError):
    """A model could not be found offline (and downloading was not allowed)."""


class LanguageMismatchError(AnonymizerError):
    """The speech is not in the configured language (or not English, for an English-only model)."""


class OutputWriteError(AnonymizerError):
    """The outputs cannot be written: the folder is not writable, the disk is full, …"""


class OutputExistsError(AnonymizerError):
    """The output exists and ``--overwrite`` was not given."""


class ReportError(AnonymizerError):
    """A report could not be read: missing keys, wrong types, another schema version."""
