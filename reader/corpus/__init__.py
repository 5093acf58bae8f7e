"""The corpus folder and the store's view of it: reading files, metadata and dates,
syncing, documents and reading positions."""
