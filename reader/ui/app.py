"""The reading app: a library of documents and a pane that shows the one chosen."""

from __future__ import annotations

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from reader.models import Document
from reader.sanitize import display_safe, display_safe_line
from reader.workspace import Workspace

STATUS_MARKS = {"ok": " ", "missing": "✗", "skipped": "⊘"}


def library_prompt(document: Document) -> Content:
    """One library row, built as literal Content: titles are data, never markup."""
    byline = document.date or document.author or ""
    title = display_safe_line(document.title)
    mark = STATUS_MARKS.get(document.status, "?")
    detail = f"{document.status}: {document.warning}" if document.status != "ok" else byline
    count = f"  ✎{document.annotations}" if document.annotations else ""
    return Content.assemble(
        (f"{mark} ", "bold $error" if document.status != "ok" else ""),
        (title, "bold"),
        (count, "$accent"),
        "\n  ",
        (display_safe_line(detail or document.path), "$text-muted"),
    )


class ReaderApp(App[None]):
    """Library on the left, the open document on the right."""

    TITLE = "reader"
    CSS = """
    #library { width: 48; border-right: solid $panel; }
    #document-scroll { padding: 0 2; }
    #document { max-width: 80; }
    """
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("tab", "focus_next", "Next pane", show=False, id="focus_next"),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.documents: list[Document] = []

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield OptionList(id="library")
            with VerticalScroll(id="document-scroll"):
                yield Static(Content("Choose a document and press Enter."), id="document")
        yield Footer()

    def on_mount(self) -> None:
        self.documents = self.workspace.documents()
        library = self.query_one("#library", OptionList)
        library.add_options(
            Option(library_prompt(d), id=str(d.id), disabled=d.status == "skipped")
            for d in self.documents
        )
        library.border_title = Content(f"Library ({len(self.documents)})")
        if self.documents:
            library.highlighted = 0
        library.focus()

    @on(OptionList.OptionSelected, "#library")
    def open_document(self, event: OptionList.OptionSelected) -> None:
        document = self.workspace.document(event.option.id or "")
        text = self.workspace.text(document)
        header = Content.assemble(
            (display_safe_line(document.title), "bold"),
            "\n",
            (
                display_safe_line(
                    " · ".join(
                        part
                        for part in (
                            document.author,
                            document.date,
                            f"{document.words} words",
                            f"{document.reading_minutes} min",
                        )
                        if part
                    )
                ),
                "$text-muted",
            ),
            "\n\n",
        )
        self.query_one("#document", Static).update(header + Content(display_safe(text)))
        self.query_one("#document-scroll", VerticalScroll).scroll_home(animate=False)


def make_app(workspace: Workspace) -> ReaderApp:
    """Build the app for the CLI and for tests alike."""
    return ReaderApp(workspace)


def run_app(workspace: Workspace) -> None:
    make_app(workspace).run()
