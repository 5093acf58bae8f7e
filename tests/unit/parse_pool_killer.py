"""A parse worker's batch function that dies like a worker killed mid-run (the OOM killer, a
kill -9) when it meets a file named `kill-me`: the parse pool tests point the workers here."""

from __future__ import annotations

import os
import pickle
import signal

from reader.corpus.file_parse import parse_batch as real_parse_batch


def parse_batch(payload: bytes) -> list:
    _corpus, _limit, files = pickle.loads(payload)
    if any("kill-me" in path for path, _via_link in files):
        os.kill(os.getpid(), signal.SIGKILL)
    return real_parse_batch(payload)
