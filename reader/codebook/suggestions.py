"""Fuzzy tag suggestions for the tag field: existing tags first, ranked by match then by use."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

SUGGESTION_LIMIT = 8
SCORE_CUTOFF = 60


@dataclass(frozen=True)
class Suggestion:
    """One entry of the suggestion list; `is_new` offers to create the typed tag."""

    name: str
    uses: int
    color: str | None
    is_new: bool = False


def split_tags(value: str) -> list[str]:
    """Comma-separated tags, trimmed, without empties or case-insensitive repeats."""
    seen: set[str] = set()
    tags = []
    for part in value.split(","):
        tag = " ".join(part.split())
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tags


def current_token(value: str) -> str:
    """The tag being typed: whatever follows the last comma."""
    return value.rsplit(",", 1)[-1].strip()


def replace_current_token(value: str, tag: str) -> str:
    """`value` with its last tag replaced by `tag`, ready for the next one."""
    head = value.rsplit(",", 1)[0] + ", " if "," in value else ""
    return f"{head}{tag}, "


def suggest_tags(
    token: str, known: list[tuple[str, int, str]], exclude: list[str]
) -> list[Suggestion]:
    """Existing tags matching `token` (typos forgiven), best first; a "new tag" entry when the
    token names no existing tag. An empty token lists the most used tags."""
    taken = {t.casefold() for t in exclude}
    candidates = [
        (name, uses, color) for name, uses, color in known if name.casefold() not in taken
    ]
    if not token:
        return [Suggestion(n, u, c) for n, u, c in candidates[:SUGGESTION_LIMIT]]
    names = [name for name, _, _ in candidates]
    scored = process.extract(
        token,
        names,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=None,
        score_cutoff=SCORE_CUTOFF,
    )
    prefix = token.casefold()

    def rank(item: tuple[str, float, int]) -> tuple[bool, bool, float, int]:
        name, score, index = item
        return (
            name.casefold() == prefix,
            name.casefold().startswith(prefix),
            score,
            candidates[index][1],
        )

    ordered = sorted(scored, key=rank, reverse=True)[:SUGGESTION_LIMIT]
    suggestions = [Suggestion(name, candidates[i][1], candidates[i][2]) for name, _, i in ordered]
    if all(s.name.casefold() != prefix for s in suggestions) and prefix not in taken:
        suggestions.append(Suggestion(token, 0, None, is_new=True))
    return suggestions
