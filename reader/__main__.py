"""`python -m reader` runs the same CLI as the `reader` console script."""

from reader.cli import main

main()
