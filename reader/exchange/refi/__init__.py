"""REFI-QDA, the exchange standard of QualCoder, Taguette, ATLAS.ti, MAXQDA and NVivo: the
codebook (QDC) and the project (QDPX) written and read. Positions are code points of the plain
text, from 0, the end exclusive (REFI-QDA 1.5 §10.2): exactly reader's canonical offsets."""
