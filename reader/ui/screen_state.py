"""What the main screen's action mixins may rely on: its panes, its state and its helpers.

The mixins (`search_actions`, `orphan_actions`, `export_actions`, `find_actions`,
`tagging_actions`) are plain
classes that `MainScreen` inherits. For a type checker this base stands in for `MainScreen`: it is
a `Screen` and declares what `MainScreen` provides, so the mixins are checked against the real
API. At run time it is an empty class, so it shadows nothing in `MainScreen`'s MRO.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from textual.screen import Screen
    from textual.worker import Worker

    from reader.models import Annotation, Document
    from reader.ui.find_actions import FindBar
    from reader.ui.screens.search_screen import SearchTagging
    from reader.ui.widgets.annotations_pane import AnnotationsPane
    from reader.ui.widgets.document_view import DocumentView
    from reader.ui.widgets.library_pane import LibraryPane
    from reader.workspace import Workspace

    _ScreenBase = Screen[None]
else:
    _ScreenBase = object

T = TypeVar("T")


class ScreenState(_ScreenBase):
    """The attributes and helpers of `MainScreen` that its action mixins use."""

    workspace: Workspace
    document: Document | None
    library: LibraryPane
    view: DocumentView
    pane: AnnotationsPane
    find_bar: FindBar
    _folded_text: str | None
    last_tags: list[str]

    if TYPE_CHECKING:

        def _safely(self, action: Callable[[], T]) -> T | None: ...

        def _push_undo(self, description: str, revert: Callable[[], Any]) -> None: ...

        @staticmethod
        def _short(text: str) -> str: ...

        def _selection_or_sentence(self, view: DocumentView) -> tuple[int, int] | None: ...

        def open_document(self, document: Document, at: int | None = None) -> None: ...

        def refresh_annotations(self, focus_id: int | None = None) -> None: ...

        def highlight_here(self, tags: list[str] | None = None) -> Annotation | None: ...

        def _refresh_library(self) -> None: ...

        def _copy(self, text: str, what: str) -> Worker[None]: ...

        def bulk_tag_search(self, request: SearchTagging) -> None: ...
