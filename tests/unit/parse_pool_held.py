"""A parse worker's batch function that waits until the test lets it go (it opens the FIFO
named by READER_TEST_HOLD, which returns once the test opens it too): workers that are
running but never free, so the parse pool tests can see what is parsed while they are held."""

from __future__ import annotations

import os

from reader.corpus.file_parse import parse_batch as real_parse_batch


def parse_batch(payload: bytes) -> list:
    os.close(os.open(os.environ["READER_TEST_HOLD"], os.O_RDONLY))
    return real_parse_batch(payload)
