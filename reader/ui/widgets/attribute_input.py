"""One line for a document's attributes, `outlet=ECFR; wave=2`, completing names and values
from those other documents carry (→ or End takes the suggestion, as in a shell)."""

from __future__ import annotations

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


def parse_attributes_text(text: str) -> dict[str, str]:
    """The `name=value` pairs of the line, by name (later ones win); a piece without `=` is a
    name with an empty value, which the store refuses with a reason."""
    values: dict[str, str] = {}
    for piece in text.split(";"):
        if piece.strip():
            name, _, value = piece.partition("=")
            values[name.strip()] = value.strip()
    return values


class AttributeSuggester(Suggester):
    """Completes the piece being typed: a name (`out` → `outlet=`), or a value of that name
    (`outlet=EC` → `outlet=ECFR`), from the attributes of every document."""

    def __init__(self, attributes: Mapping[int, Mapping[str, str]]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.values: dict[str, list[str]] = {}
        for document_values in attributes.values():
            for name, value in document_values.items():
                if name not in DERIVED_ATTRIBUTES and value not in self.values.get(name, []):
                    self.values.setdefault(name, []).append(value)

    async def get_suggestion(self, value: str) -> str | None:
        head, _, piece = value.rpartition(";")
        lead = f"{head};" if head or value.startswith(";") else ""
        spaces = piece[: len(piece) - len(piece.lstrip())]
        typed = piece.lstrip()
        name, equals, partial = typed.partition("=")
        if not equals:
            matches = [n for n in sorted(self.values) if n.startswith(name.casefold())]
            return f"{lead}{spaces}{matches[0]}=" if name and matches else None
        options = sorted(self.values.get(name.strip().casefold(), []), key=str.casefold)
        for option in options:
            if partial and option.casefold().startswith(partial.casefold()) and option != partial:
                return f"{lead}{spaces}{name}={option}"
        return None


def attribute_input(attributes: Mapping[int, Mapping[str, str]], current: str) -> Input:
    return Input(
        current,
        placeholder="outlet=ECFR; country=DE",
        suggester=AttributeSuggester(attributes),
        id="meta-attributes",
    )
