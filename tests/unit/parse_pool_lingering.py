"""A parse worker's batch function after which the worker, told to stop, lingers at its exit
until the test lets it go (it opens the FIFO named by READER_TEST_HOLD, which returns once the
test opens it too): the parse pool tests can see whether a sync waits for its workers to leave."""

from __future__ import annotations

import atexit
import os

from reader.corpus.file_parse import parse_batch as real_parse_batch

_lingering: list[bool] = []


def _wait_to_be_let_go() -> None:
    os.close(os.open(os.environ["READER_TEST_HOLD"], os.O_RDONLY))


def parse_batch(payload: bytes) -> list:
    if not _lingering:
        atexit.register(_wait_to_be_let_go)
        _lingering.append(True)
    return real_parse_batch(payload)
