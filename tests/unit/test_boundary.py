"""The domain layer stays headless: importing it and running the CLI never loads Textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "reader"
# every module and sub-package but the TUI (and __main__, which would run the app)
DOMAIN_MODULES = sorted(
    [p.stem for p in PACKAGE.glob("*.py") if p.stem not in ("__main__", "__init__")]
    + [p.parent.name for p in PACKAGE.glob("*/__init__.py") if p.parent.name != "ui"]
)


def test_domain_and_cli_never_import_textual(workspace_root: Path) -> None:
    code = (
        "import sys\n"
        + "".join(f"import reader.{name}\n" for name in DOMAIN_MODULES)
        + "from click.testing import CliRunner\n"
        + f"CliRunner().invoke(reader.cli.cli, ['-w', {str(workspace_root)!r}, 'list'])\n"
        + "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        + "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert {"cli", "workspace", "store", "search", "export"} <= set(DOMAIN_MODULES)
