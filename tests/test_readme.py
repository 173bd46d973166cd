"""Every Python example in the README runs as it is written (from a folder holding the samples)."""

from __future__ import annotations

import os
import re

import pytest

from tests.helpers import ROOT, SAMPLES

pytestmark = pytest.mark.e2e
BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)


def test_the_readme_has_a_python_example():
    assert BLOCKS


@pytest.mark.parametrize("code", BLOCKS)
def test_readme_python_example_runs(code, tmp_path, capsys):
    (tmp_path / "samples").symlink_to(SAMPLES)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        exec(compile(code, "README.md", "exec"), {"__name__": "readme"})
    finally:
        os.chdir(cwd)
    printed = capsys.readouterr().out
    assert printed.startswith("ok ") and "failed" not in printed, printed
    assert list((tmp_path / "out").glob("*.anon.wav")) and list((tmp_path / "out").glob("*.anon.json"))
