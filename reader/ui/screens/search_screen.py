"""The `/` screen: search everything as you type, preview a result, Enter goes there.

Each keystroke starts a search in a thread worker with its own read-only connection (SQLite
connections belong to one thread); a newer keystroke supersedes it, so typing never waits.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from reader.errors import ReaderError
from reader.search.results import SearchResult
from reader.text.sanitize import display_safe_line
from reader.ui.clipboard_copy import copy_text
from reader.ui.refusals import run_safely
from reader.workspace import Workspace

RESULT_LIMIT = 60
PREVIEW_CHARS = 240
KIND_LABELS = {"title": "TITLE", "text": "TEXT ", "quote": "QUOTE", "note": "NOTE ", "tag": "TAG  "}


def _result_key(result: SearchResult) -> tuple[object, ...]:
    """What makes a result the same one when the search runs again."""
    return (result.kind, result.document_id, result.start, result.end, result.annotation)


def result_prompt(result: SearchResult) -> Content:
    """Kind, document title, then the snippet with the matched words picked out."""
    parts: list[Content | str | tuple[str, str]] = [
        (KIND_LABELS.get(result.kind, result.kind), "bold $accent"),
        " ",
        (display_safe_line(result.title), "bold"),
        "\n      ",
    ]
    for text, matched in result.snippet:
        parts.append((display_safe_line(text), "bold $warning underline" if matched else ""))
    return Content.assemble(*parts)


class SearchInput(Input):
    """The query; up/down move through the results without leaving the field."""

    HELP_TITLE = "Search field"

    BINDINGS = [
        Binding("down", "move(1)", "Next result", show=False, id="search.next"),
        Binding("up", "move(-1)", "Previous result", show=False, id="search.previous"),
    ]

    def action_move(self, step: int) -> None:
        results = self.screen.query_one("#search-results", OptionList)
        if results.option_count:
            current = results.highlighted if results.highlighted is not None else -step
            results.highlighted = max(0, min(results.option_count - 1, current + step))


@dataclass(frozen=True)
class SearchTagging:
    """Add or remove a tag on every highlight a search found (the main screen asks which)."""

    query: str
    annotation_ids: tuple[int, ...]


class SearchScreen(Screen["SearchResult | SearchTagging | None"]):
    """Query field, results labelled by kind, a preview of the highlighted one."""

    HELP_TITLE = "Search"

    DEFAULT_CSS = """
    SearchScreen #search-box {
        height: 1fr;
    }
    SearchScreen #search-results {
        height: 1fr;
        border: none;
    }
    SearchScreen #search-results > .option-list--option {
        padding: 0 0 1 0;
    }
    SearchScreen #search-preview {
        height: auto;
        max-height: 8;
        padding: 0 1;
        background: $boost;
        border-top: solid $panel;
    }
    SearchScreen #search-status {
        color: $text-muted;
        padding: 0 1;
    }
    """
    BINDINGS = [
        Binding("escape", "close", "Close", id="search.close"),
        Binding("enter", "go", "Go to result", show=True, id="search.go", priority=True),
        Binding("ctrl+y", "copy", "Copy result", id="search.copy"),
        Binding("ctrl+s", "export", "Export found highlights", id="search.export", priority=True),
        Binding("ctrl+t", "tag", "Tag found highlights", id="search.tag", priority=True),
    ]

    def __init__(self, workspace: Workspace, query: str = "") -> None:
        super().__init__()
        self.workspace = workspace
        self.initial_query = query
        self.results: list[SearchResult] = []
        self._texts: dict[int, str | None] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box"):
            yield SearchInput(
                self.initial_query,
                placeholder='Search text, highlights, notes, tags · tag:x doc:y kind:note "a b" -z',
                id="search-query",
            )
            yield Static(Content("Type to search"), id="search-status")
            yield OptionList(id="search-results")
            yield Static(Content(""), id="search-preview")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#search-query", SearchInput).focus()
        if self.initial_query:
            self.run_search(self.initial_query)

    @on(Input.Changed, "#search-query")
    def _query_changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    def documents_arrived(self) -> None:
        """A running sync stored more documents: search them too, staying on the result the
        user is on (the main screen calls this as the library takes them in)."""
        if not self.is_mounted:
            return  # pushed but not shown yet: its first search finds them anyway
        query = self.query_one("#search-query", SearchInput).value
        if query.strip():
            self.run_search(query, keep_place=True)

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, query: str, keep_place: bool = False) -> None:
        """Search in a worker thread; a result that a newer keystroke made stale is dropped."""
        worker = get_current_worker()
        if not query.strip():
            self.app.call_from_thread(self._show_results, query, [], None)
            return
        try:
            results = self.workspace.search_from_thread(query, RESULT_LIMIT)
        except ReaderError as exc:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._show_results, query, [], str(exc))
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_results, query, results, None, keep_place)

    def _show_results(
        self,
        query: str,
        results: list[SearchResult],
        error: str | None,
        keep_place: bool = False,
    ) -> None:
        if query != self.query_one("#search-query", SearchInput).value:
            return  # typed on since: a newer search is on its way
        options = self.query_one("#search-results", OptionList)
        place = None  # the result the user is on, kept when the same search runs again
        highlighted = options.highlighted
        if keep_place and highlighted is not None and highlighted < len(self.results):
            place = _result_key(self.results[highlighted])
        self.results = results
        options.clear_options()
        options.add_options(Option(result_prompt(r)) for r in results)
        status = self.query_one("#search-status", Static)
        if error:
            status.update(Content(f"Search failed: {error}"))
        elif not query.strip():
            status.update(Content("Type to search"))
        else:
            said = " · ".join(run_safely(self, lambda: self.workspace.search_problems(query)) or ())
            status.update(Content(f"{len(results)} result(s)"
                                  + (f" · {display_safe_line(said)}" if said
                                     else " · enter goes there · esc closes")))  # fmt: skip
        if results:
            keys = [_result_key(result) for result in results]
            options.highlighted = keys.index(place) if place in keys else 0
        else:
            self.query_one("#search-preview", Static).update(Content(""))

    @on(OptionList.OptionHighlighted, "#search-results")
    def _preview(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index >= len(self.results):
            return
        result = self.results[event.option_index]
        if result.document_id not in self._texts:
            self._texts[result.document_id] = self._text_of(result.document_id)
        text = self._texts[result.document_id]
        if not text or result.end <= result.start:
            preview = Content(display_safe_line(result.snippet_text))
        else:
            before = text[max(0, result.start - PREVIEW_CHARS) : result.start]
            after = text[result.end : result.end + PREVIEW_CHARS]
            preview = Content.assemble(
                display_safe_line(" ".join(before.split())[-PREVIEW_CHARS // 2 :]) + " ",
                (display_safe_line(text[result.start : result.end]), "bold reverse"),
                " " + display_safe_line(" ".join(after.split())[: PREVIEW_CHARS // 2]),
            )
        self.query_one("#search-preview", Static).update(preview)

    @on(OptionList.OptionSelected, "#search-results")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#search-results", OptionList).highlighted = event.option_index
        self.action_go()

    def action_go(self) -> None:
        options = self.query_one("#search-results", OptionList)
        if options.highlighted is None or options.highlighted >= len(self.results):
            return
        self.dismiss(self.results[options.highlighted])

    def _text_of(self, document_id: int) -> str | None:
        """A document's canonical text for the preview; None when it cannot be read."""
        try:
            return self.workspace.text(self.workspace.document(document_id))
        except ReaderError:
            return None

    def action_copy(self) -> None:
        """Copy the highlighted result as a cited Markdown quote."""
        options = self.query_one("#search-results", OptionList)
        if options.highlighted is None or options.highlighted >= len(self.results):
            return
        result = self.results[options.highlighted]
        ws = self.workspace
        if result.annotation is not None:
            ann_id = result.annotation
            cited = run_safely(self, lambda: ws.citation_for_annotation(ann_id))
            what = "the highlight"
        else:
            cited = run_safely(self, lambda: ws.citation_for_span(
                ws.document(result.document_id), result.start, result.end))  # fmt: skip
            what = "the result"
        if cited is not None:
            copy_text(self, cited, what)

    def _found_highlights(self, what: str) -> tuple[str, tuple[int, ...]] | None:
        found = sorted({r.annotation for r in self.results if r.annotation is not None})
        if not found:
            self.notify(f"No highlights among these results to {what}", markup=False)
            return None
        return self.query_one("#search-query", SearchInput).value, tuple(found)

    def action_export(self) -> None:
        """Write the highlights the search found to exports/search <query>.md."""
        found = self._found_highlights("export")
        if found is None:
            return
        written = run_safely(self, lambda: self.workspace.export_search_results(*found))
        if written is not None:
            self.notify(f"Wrote {display_safe_line(str(written.resolve()))}", title="Exported",
                        markup=False)  # fmt: skip

    def action_tag(self) -> None:
        """Leave with the highlights found, for the main screen to tag (undoably)."""
        found = self._found_highlights("tag")
        if found is not None:
            self.dismiss(SearchTagging(*found))

    def action_close(self) -> None:
        self.dismiss(None)
