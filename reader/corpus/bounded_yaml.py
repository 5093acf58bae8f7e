"""YAML read under the front matter's limits (reader/corpus/frontmatter.py): a loader that
weighs each node as it is composed. Its own module so that PyYAML loads only when a file has
front matter, not for every command."""

from __future__ import annotations

from typing import Any

import yaml
from yaml import YAMLError

from reader.corpus.frontmatter import MAX_DEPTH, MAX_EXPANDED

__all__ = ["YAMLError", "load_bounded"]


def load_bounded(text: str) -> Any:
    """The value of the YAML `text`, or YAMLError when it is not YAML or breaks a limit."""
    return yaml.load(text, Loader=_BoundedLoader)


class _OverLimit(yaml.YAMLError):
    """Front matter past a limit: read no further."""


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader that weighs every node as it is composed (its characters and values, an
    alias what it refers to), so that expansion, depth and self-reference are refused before
    anything is built."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0
        self.weights: dict[int, int] = {}  # id of a finished node -> its weight

    def compose_node(self, parent: Any, index: Any) -> Any:
        alias = self.check_event(yaml.AliasEvent)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _OverLimit(f"nested more than {MAX_DEPTH} deep")
        try:
            node = super().compose_node(parent, index)
        finally:
            self.depth -= 1
        if alias:
            if id(node) not in self.weights:  # a node still being composed: it holds itself
                raise _OverLimit("an alias refers to the value that holds it")
            return node
        weight = 1 + sum(self.weights[id(child)] for child in _children(node))
        if isinstance(node, yaml.ScalarNode):
            weight += len(node.value)
        if weight > MAX_EXPANDED:
            raise _OverLimit(f"aliases expand it past {MAX_EXPANDED // 1024} K characters")
        self.weights[id(node)] = weight
        return node


def _children(node: Any) -> list[Any]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []
