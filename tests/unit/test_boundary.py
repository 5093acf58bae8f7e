"""The domain stays headless: importing any of its modules, and running the CLI, never loads
Textual or Rich. Each module is imported in a fresh interpreter of its own, so one module's
imports cannot hide another's (the import contracts in pyproject.toml say the same statically)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import reader

FACES = ("reader.ui", "reader.__main__")  # the TUI, and __main__, which would run the app
LOADED_UI = "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"


def walk(folder: Path, prefix: str) -> list[str]:
    """Every module under `folder`, recursively, but the faces: `pkgutil.walk_packages` without
    importing anything (it would import reader.ui to walk it)."""
    names = []
    for info in pkgutil.iter_modules([str(folder)], prefix):
        if info.name in FACES:
            continue
        names.append(info.name)
        if info.ispkg:
            names += walk(folder / info.name.rsplit(".", 1)[-1], info.name + ".")
    return names


def headless_modules() -> list[str]:
    (folder,) = reader.__path__
    return sorted(["reader", *walk(Path(folder), "reader.")])


HEADLESS = headless_modules()


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


def test_the_walk_reaches_every_layer_and_sub_package() -> None:
    expected = {
        "reader.cli",
        "reader.cli.tags",
        "reader.workspace",
        "reader.store.migrations",
        "reader.search.engine",
        "reader.search.results",
        "reader.exchange.writer",
        "reader.codebook.tree",
    }
    assert expected <= set(HEADLESS)
    assert not [name for name in HEADLESS if name.startswith("reader.ui")]


@pytest.mark.parametrize("module", HEADLESS)
def test_importing_a_domain_module_loads_no_textual_or_rich(module: str) -> None:
    result = run_python(f"import sys\nimport {module}\n{LOADED_UI}assert not loaded, loaded\n")
    assert result.returncode == 0, result.stderr


def test_running_the_cli_loads_no_textual_or_rich(workspace_root: Path) -> None:
    code = (
        "import sys\n"
        "import reader.cli\n"
        "from click.testing import CliRunner\n"
        f"result = CliRunner().invoke(reader.cli.cli, ['-w', {str(workspace_root)!r}, 'list'])\n"
        "assert result.exit_code == 0, result.output\n"
        f"{LOADED_UI}assert not loaded, loaded\n"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
