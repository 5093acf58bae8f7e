"""Keep a reading position when the text under it changes (the file was edited while open)."""

from __future__ import annotations

PROBE_CHARS = 48


def relocate_offset(old_text: str, new_text: str, offset: int) -> int:
    """Where `offset` of `old_text` lies in `new_text`: the words after it, looked up nearest
    to where they were; the same offset (clamped) when they are gone."""
    offset = max(0, min(offset, len(old_text)))
    if old_text == new_text:
        return offset
    for width in (PROBE_CHARS, PROBE_CHARS // 4):
        probe = old_text[offset : offset + width]
        if len(probe.strip()) < 4:
            break
        after = new_text.find(probe, offset)
        before = new_text.rfind(probe, 0, offset + len(probe))
        found = [at for at in (after, before) if at >= 0]
        if found:
            return min(found, key=lambda at: abs(at - offset))
    return min(offset, len(new_text))
