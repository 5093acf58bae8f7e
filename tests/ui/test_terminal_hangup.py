"""A closed terminal ends the app, even where no SIGHUP reaches it (as under `make run`)."""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import sys
import time
from pathlib import Path


def test_app_exits_when_its_terminal_hangs_up(workspace_root: Path) -> None:
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "reader", "-w", str(workspace_root)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,
        # SIGHUP ignored, as when a parent like make is the terminal's controlling process
        preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN),
        env={**os.environ, "TERM": "xterm-256color"},
    )
    os.close(slave)
    try:
        deadline = time.monotonic() + 20
        seen = b""
        while b"Library" not in seen and time.monotonic() < deadline:
            try:
                seen += os.read(master, 65536)
            except OSError:
                break
        assert b"Library" in seen, "the app never drew its first screen"
        os.close(master)  # the terminal window closes
        proc.wait(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode is not None
