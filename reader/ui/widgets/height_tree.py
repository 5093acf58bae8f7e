"""Running totals of paragraph heights (a Fenwick tree): the first line of a paragraph, the
paragraph holding a line, and a height corrected, each in O(log n) however long the text."""

from __future__ import annotations

from itertools import accumulate


class HeightTree:
    """Heights of n paragraphs in visual lines, summed by prefix."""

    def __init__(self, heights: list[int]) -> None:
        self.heights = list(heights)
        sums = list(accumulate(heights, initial=0))  # node i sums the (i & -i) heights up to i
        self._tree = [sums[i] - sums[i - (i & -i)] for i in range(len(sums))]
        self.total = sums[-1]
        self._top_bit = 1 << (len(heights).bit_length() - 1) if heights else 0

    def __len__(self) -> int:
        return len(self.heights)

    def set(self, index: int, height: int) -> None:
        """Make paragraph `index` `height` lines high."""
        delta = height - self.heights[index]
        if not delta:
            return
        self.heights[index] = height
        self.total += delta
        node, tree = index + 1, self._tree
        while node < len(tree):
            tree[node] += delta
            node += node & -node

    def prefix(self, index: int) -> int:
        """Lines in the paragraphs before `index`: the first line of paragraph `index`."""
        total, node, tree = 0, index, self._tree
        while node > 0:
            total += tree[node]
            node -= node & -node
        return total

    def find(self, line: int) -> int:
        """The paragraph holding visual `line` (the last one for a line past the end)."""
        index, remaining, step, tree = 0, line, self._top_bit, self._tree
        while step:
            node = index + step
            if node < len(tree) and tree[node] <= remaining:
                index = node
                remaining -= tree[node]
            step >>= 1
        return min(index, len(self.heights) - 1)
