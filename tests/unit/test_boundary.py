"""The domain layer stays headless: importing it and running the CLI never loads Textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DOMAIN_MODULES = [
    p.stem
    for p in (Path(__file__).resolve().parents[2] / "reader").glob("*.py")
    if p.stem != "__main__"
]


def test_domain_and_cli_never_import_textual(workspace_root: Path) -> None:
    code = (
        "import sys\n"
        + "".join(f"import reader.{name}\n" for name in DOMAIN_MODULES)
        + "import reader.store\n"
        + "from click.testing import CliRunner\n"
        + f"CliRunner().invoke(reader.cli.cli, ['-w', {str(workspace_root)!r}, 'list'])\n"
        + "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        + "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "cli" in DOMAIN_MODULES and "workspace" in DOMAIN_MODULES
