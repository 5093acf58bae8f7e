"""Tags as a codebook: names and colours, the tree and its changes, suggestions while
typing, the CSV exchange."""
