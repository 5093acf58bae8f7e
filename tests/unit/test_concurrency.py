"""Two processes writing at once both succeed: nothing is lost, nothing fails with "locked"."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from reader.workspace import Workspace

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from reader.workspace import Workspace

    root, label = Path(sys.argv[1]), sys.argv[2]
    for i in range(50):
        with Workspace.open(root) as ws:  # each action opens, syncs and writes, like a CLI call
            doc = ws.document("001_4310720f2bcf0b55")
            ws.annotate_quote(doc, "practically impossible", tags=[label], note=f"{label} {i}")
    """
)


def test_two_processes_each_adding_50_annotations_keep_all_100(workspace_root: Path) -> None:
    # The workspace has no database yet: both processes race to create, migrate and sync it too.
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(workspace_root), label],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for label in ("alice", "bob")
    ]
    results = [p.communicate(timeout=120) for p in procs]
    for proc, (_, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
    with Workspace.open(workspace_root) as ws:
        notes = sorted(a.note for a in ws.annotations())
        assert len(ws.documents()) == 5
    assert len(notes) == 100
    assert notes == sorted([f"alice {i}" for i in range(50)] + [f"bob {i}" for i in range(50)])


KILLED_WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from reader.workspace import Workspace

    with Workspace.open(Path(sys.argv[1])) as ws:
        doc = ws.document("001_4310720f2bcf0b55")
        print("ready", flush=True)
        i = 0
        while True:
            ws.annotate_quote(doc, "practically impossible", tags=["a", "b", f"t{i}"], note=str(i))
            print("saved", flush=True)
            i += 1
    """
)


def test_killing_a_writer_mid_action_leaves_only_whole_actions(workspace_root: Path) -> None:
    Workspace.open(workspace_root).close()
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(workspace_root)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    for _ in range(20):  # the writer says when each action has committed
        assert proc.stdout.readline().strip() == "saved"
    proc.kill()  # SIGKILL: no cleanup, possibly mid-transaction
    proc.wait()
    with Workspace.open(workspace_root) as ws:
        assert ws.store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        annotations = ws.annotations()
        assert len(annotations) >= 20
        for annotation in annotations:  # each action landed whole: its three tags with it
            assert annotation.tags == sorted(["a", "b", f"t{annotation.note}"], key=str.casefold)
