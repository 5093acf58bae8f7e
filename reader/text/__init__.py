"""Text as reader shows and navigates it: canonical form, decoding, safe display,
shortening to cells, words and sentences."""
