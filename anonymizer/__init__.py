"""anonymizer: transcribe a recording, find personal data, bleep it, disguise the voices.

Python API (the CLI calls the same)::

    from anonymizer import Pipeline, load_config
    pipeline = Pipeline.from_config(load_config("de"))
    result = pipeline.run("call.wav", output_dir="out/")
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from anonymizer.config import Config, load_config
    from anonymizer.pipeline import Pipeline
    from anonymizer.types import FileResult

__all__ = ["Config", "FileResult", "Pipeline", "__version__", "anonymize", "load_config"]


def __getattr__(name: str) -> Any:  # lazy: `import anonymizer` stays instant
    if name in ("Config", "load_config"):
        from anonymizer import config

        return getattr(config, name)
    if name == "Pipeline":
        from anonymizer.pipeline import Pipeline

        return Pipeline
    if name == "FileResult":
        from anonymizer.types import FileResult

        return FileResult
    if name == "anonymize":
        from anonymizer.pipeline import anonymize

        return anonymize
    raise AttributeError(name)
