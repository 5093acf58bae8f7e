"""Shell completion comes from click itself: `_READER_COMPLETE=SHELL_source reader`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

READER = Path(sys.executable).parent / "reader"


@pytest.mark.parametrize(
    ("shell", "marker"),
    [("bash", "complete -o nosort -F"), ("zsh", "compdef"), ("fish", "complete --no-files")],
)
def test_each_shell_gets_its_completion_script(shell: str, marker: str) -> None:
    env = os.environ | {"_READER_COMPLETE": f"{shell}_source"}
    script = subprocess.run(
        [str(READER)], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert marker in script and "reader" in script


def test_commands_complete(tmp_path: Path) -> None:
    env = os.environ | {
        "_READER_COMPLETE": "bash_complete", "COMP_WORDS": "reader at", "COMP_CWORD": "1"
    }  # fmt: skip
    out = subprocess.run(
        [str(READER)], env=env, capture_output=True, text=True, check=True, cwd=tmp_path
    ).stdout
    assert "plain,attr" in out
