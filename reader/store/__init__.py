"""The SQLite annotation store: connection, migrations, transactions."""

from reader.store.connection import Store, open_store
from reader.store.migrations import LATEST_VERSION

__all__ = ["LATEST_VERSION", "Store", "open_store"]
