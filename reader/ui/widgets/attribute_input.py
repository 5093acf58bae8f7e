"""One line for a document's attributes, `outlet=ECFR; wave=2`, completing names and values
from those other documents carry (→ or End takes the suggestion, as in a shell)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from textual.suggester import Suggester
from textual.widgets import Input

from reader.models import DERIVED_ATTRIBUTES

SEPARATOR = "; "


def attributes_text(values: Mapping[str, str]) -> str:
    """`outlet=ECFR; wave=2`: the attributes set on a document (not those from metadata)."""
    return SEPARATOR.join(
        f"{name}={value}" for name, value in values.items() if name not in DERIVED_ATTRIBUTES
    )


# Pairs are apart by `;`, or by a space before the next `name=` once the pair has its `=`
# (`outlet=ECFR wave=2`), so a value may hold spaces (`outlet=Foreign Policy`) but not ` word=`.
_NEXT_NAME = re.compile(r"\s+(?=[^\W\d_][\w.\-]*\s*=)")
_LAST_WORD = re.compile(r"([^\s;]*)$")
_LAST_PAIR = re.compile(r"([^\W\d_][\w.\-]*)\s*=([^;=]*)$")


def parse_attributes_text(text: str) -> dict[str, str]:
    """The `name=value` pairs of the line, by name (later ones win); a piece without `=` is a
    name with an empty value, which the store refuses with a reason."""
    values: dict[str, str] = {}
    for piece in _pieces(text):
        if piece.strip():
            name, _, value = piece.partition("=")
            values[name.strip().casefold()] = value.strip()  # names are stored lower case
    return values


def _pieces(text: str) -> list[str]:
    pieces = []
    for segment in text.split(";"):
        start = 0
        for match in _NEXT_NAME.finditer(segment):
            if "=" in segment[start : match.start()]:  # `Bad Name=1` stays one (bad) name
                pieces.append(segment[start : match.start()])
                start = match.end()
        pieces.append(segment[start:])
    return pieces


class AttributeSuggester(Suggester):
    """Completes what is being typed: a name (`out` → `outlet=`), or a value of that name
    (`outlet=EC` → `outlet=ECFR`), from the attributes of every document."""

    def __init__(self, attributes: Mapping[int, Mapping[str, str]]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.values: dict[str, list[str]] = {}
        for document_values in attributes.values():
            for name, value in document_values.items():
                if name not in DERIVED_ATTRIBUTES and value not in self.values.get(name, []):
                    self.values.setdefault(name, []).append(value)

    async def get_suggestion(self, value: str) -> str | None:
        word = _LAST_WORD.search(value).group(1)  # type: ignore[union-attr]
        if word and "=" not in word:  # a name being typed
            names = [n for n in sorted(self.values) if n.startswith(word.casefold())]
            if names:
                return value[: len(value) - len(word)] + names[0] + "="
        pair = _LAST_PAIR.search(value)  # a value being typed
        if pair is None:
            return None
        name, typed = pair.group(1).casefold(), pair.group(2)
        partial = typed.lstrip()
        if not partial:
            return None
        for option in sorted(self.values.get(name, []), key=str.casefold):
            if option.casefold().startswith(partial.casefold()) and option != partial:
                return value[: len(value) - len(partial)] + option
        return None


def attribute_input(attributes: Mapping[int, Mapping[str, str]], current: str) -> Input:
    return Input(
        current,
        placeholder="outlet=ECFR; country=DE",
        suggester=AttributeSuggester(attributes),
        id="meta-attributes",
    )
