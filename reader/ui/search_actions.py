"""Search everything: open the search screen, then copy, export or go to what it returns.

Split from `main_screen` so each group of cross-pane actions can be read and changed on its own.
"""

from __future__ import annotations

from reader.errors import ReaderError
from reader.export.citation import annotation_with_citation, quote_with_citation
from reader.export.collect import collect
from reader.export.filenames import safe_stem
from reader.export.markdown import markdown_by_document
from reader.export.writer import write_atomically
from reader.sanitize import display_safe_line
from reader.search import SearchResult
from reader.ui.screen_state import ScreenState
from reader.ui.screens.search_screen import SearchExport, SearchScreen, SearchTagging


class SearchActions(ScreenState):
    """The search action and what the main screen does with a chosen result."""

    def action_search(self) -> None:
        def text_of(document_id: int) -> str | None:
            try:
                return self.workspace.text(self.workspace.document(str(document_id)))
            except ReaderError:
                return None

        screen = SearchScreen(self.workspace.store.path, text_of, self._copy_result)
        self.app.push_screen(screen, self.go_to_result)

    def _copy_result(self, result: SearchResult) -> None:
        document = self._safely(lambda: self.workspace.document(str(result.document_id)))
        if document is None:
            return
        if result.annotation is not None:
            annotation = self._safely(lambda: self.workspace.annotation(result.annotation or 0))
            if annotation is not None:
                self._copy(annotation_with_citation(annotation, document), "the highlight")
            return
        text = self._safely(lambda: self.workspace.text(document)) or ""
        quote = text[result.start : result.end] if result.end > result.start else document.title
        self._copy(quote_with_citation(quote, document), "the result")

    def _export_search(self, request: SearchExport) -> None:
        exports = collect(self.workspace, annotation_ids=set(request.annotation_ids))
        target = (
            self.workspace.root / "exports" / f"search {safe_stem(request.query, 'results')}.md"
        )
        content = markdown_by_document(exports, f"Highlights found by “{request.query}”")
        if self._safely(lambda: write_atomically(target, content) or True):
            self.notify(
                f"Wrote {display_safe_line(str(target.resolve()))}", title="Exported", markup=False
            )

    def go_to_result(self, result: SearchResult | SearchExport | None) -> None:
        """Open the result's document with its span selected, or on its highlight."""
        if result is None:
            return
        if isinstance(result, SearchTagging):
            self.bulk_tag_search(result)
            return
        if isinstance(result, SearchExport):
            self._export_search(result)
            return
        document = self._safely(lambda: self.workspace.document(str(result.document_id)))
        if document is None:
            return
        self.open_document(document, result.start)
        if self.document is None or self.document.id != document.id:
            return
        if result.annotation is not None:
            self.view.set_cursor(result.start, center=True)
            self.pane.highlight_annotation(result.annotation)
        elif result.end > result.start:
            self.view.select(result.start, result.end)  # ready to highlight with a or m
            self.view.set_cursor(result.end, center=True)
