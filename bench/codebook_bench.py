"""Codebook benchmark: the tag tree, the tags view and tag changes over 10,000 documents and
50,000 highlights (the synthetic store of bench/stats_bench.py, 18 tags in three levels).

Times, in one run, medians of 5 warm runs:
- `codebook()` (every path with distinct highlight and document counts) against the obvious
  design, one `list_annotations(tag=path)` query per path of the tree (same counts, checked);
- the tags view headless at 160x48: open to the first settled frame (baseline: the same view
  over a store with no tags), and a move in the tree onto the biggest tag (its first page of
  highlights listed under their documents) against a move onto a small one;
- rename of a parent with its sub-tags, merge of two tags, delete, and bulk tagging 1,000
  highlights, each one transaction on the big store (undone or not, the store stays this size).

Run `python bench/codebook_bench.py [DOCUMENTS [HIGHLIGHTS]]`; prints figures, asserts only that
both count methods agree.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from stats_bench import build_store, timed

from reader.annotate.annotations import list_annotations
from reader.codebook.tree import codebook
from reader.store import open_store
from reader.workspace import Workspace


def naive_counts(workspace: Workspace, paths: list[str]) -> dict[str, tuple[int, int]]:
    """One query a path: what the tree would cost built from the existing listing API."""
    counts = {}
    for path in paths:
        found = list_annotations(workspace.store.db, tag=path)
        counts[path] = (len(found), len({a.document_id for a in found}))
    return counts


async def open_tags_view(workspace: Workspace) -> float:
    """Seconds from pushing the tags view to its first settled frame, median of 3."""
    from reader.ui.app import make_app
    from reader.ui.screens.tags_screen import TagsScreen

    times = []
    for _ in range(3):
        app = make_app(workspace)
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause()
            began = time.perf_counter()
            await app.push_screen(TagsScreen(workspace))
            await pilot.pause()
            times.append(time.perf_counter() - began)
    return statistics.median(times)


async def tags_view(workspace: Workspace, biggest: int, small: int) -> tuple[float, float, float]:
    from reader.ui.app import make_app
    from reader.ui.screens.tags_screen import TagsScreen

    opened = await open_tags_view(workspace)
    app = make_app(workspace)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        screen = TagsScreen(workspace)
        await app.push_screen(screen)
        await pilot.pause()
        moves = {}
        for name, index in (("big", biggest), ("small", small)):
            times = []
            for _ in range(3):
                screen.tag_tree.highlighted = 0 if index else 1
                await pilot.pause()
                began = time.perf_counter()
                screen.tag_tree.highlighted = index
                await pilot.pause()
                times.append(time.perf_counter() - began)
            moves[name] = statistics.median(times)
        return opened, moves["big"], moves["small"]


def main() -> None:
    documents = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    highlights = int(sys.argv[2]) if len(sys.argv) > 2 else 50_000
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "corpus").mkdir()
        store = open_store(root / "annotations.db")
        with store.write() as db:
            build_store(db, documents, highlights)
        store.close()
        workspace = Workspace.open(root, sync=False)
        print(f"{documents:,} documents, {highlights:,} highlights")

        fast, nodes = timed(lambda: codebook(workspace.store.db))
        assert isinstance(nodes, list)
        paths = [n.path for n in nodes]
        slow, counts = timed(lambda: naive_counts(workspace, paths), runs=3)
        assert counts == {n.path: (n.highlights, n.documents) for n in nodes}
        print(
            f"codebook() for {len(nodes)} paths: {fast * 1000:.0f} ms; "
            f"one query a path (baseline) {slow * 1000:.0f} ms: {slow / fast:.1f}x"
        )

        biggest = max(range(len(nodes)), key=lambda i: nodes[i].highlights)
        small = min(range(len(nodes)), key=lambda i: nodes[i].highlights or 10**9)
        opened, big_move, small_move = asyncio.run(tags_view(workspace, biggest, small))
        (root / "empty" / "corpus").mkdir(parents=True)
        with Workspace.open(root / "empty", sync=False) as empty:
            bare = asyncio.run(open_tags_view(empty))
        print(
            f"tags view with no tags at all (baseline: Textual's own cost) {bare * 1000:.0f} ms"
        )
        big, little = nodes[biggest], nodes[small]
        print(
            f"tags view: open {opened * 1000:.0f} ms; move onto {big.path} "
            f"({big.highlights:,} highlights) {big_move * 1000:.0f} ms, onto "
            f"{little.path} ({little.highlights:,}) {small_move * 1000:.0f} ms"
        )

        def once(label: str, fn: Callable[[], object]) -> None:
            began = time.perf_counter()
            fn()
            print(f"{label}: {(time.perf_counter() - began) * 1000:.0f} ms")

        once("rename actor -> actors (7 tags)", lambda: workspace.rename_tag("actor", "actors"))
        tones = ["tone/critical", "tone/neutral"]
        once("merge tone/critical + tone/neutral -> tone/any",
             lambda: workspace.merge_tags(tones, "tone/any"))  # fmt: skip
        once("delete key-claim", lambda: workspace.delete_tag("key-claim"))
        ids = list(range(1, 1001))
        once("bulk-add a tag to 1,000 highlights", lambda: workspace.tag_highlights(ids, "x/y"))
        workspace.close()


if __name__ == "__main__":
    main()
