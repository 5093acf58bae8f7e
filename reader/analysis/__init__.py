"""Statistics over the coded corpus: tags by document, co-occurrence, totals."""
