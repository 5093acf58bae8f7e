"""Highlight tints stay distinct from each other, the text and the background in 256 and 16
colours, not only in truecolor: per theme as numbers, and on a real screen as SGR codes."""

from __future__ import annotations

import itertools
import math
import re

import pytest
from rich.color import EIGHT_BIT_PALETTE, STANDARD_PALETTE, WINDOWS_PALETTE, ColorSystem
from rich.style import Style
from textual.app import App
from textual.color import Color
from textual.theme import BUILTIN_THEMES

from reader.codebook.tag_names import TAG_PALETTE
from reader.ui import tints
from reader.ui.app import make_app
from reader.workspace import Workspace
from tests.ui.test_app import DOC, open_doc

# The built-in palette before the twelve hues: tags in existing workspaces keep these.
EARLIER_PALETTE = ("#e5c07b", "#98c379", "#56b6c2", "#c678dd", "#61afef", "#e06c75", "#d19a66")
THEMES = {
    name: (Color.parse(colors["foreground"]).rgb, Color.parse(colors["surface"]).rgb)
    for name, theme in BUILTIN_THEMES.items()
    if (colors := theme.to_color_system().generate())["surface"] != "transparent"
}


def ground(theme: str) -> Style:
    text, background = THEMES[theme]
    return Style(color=Color(*text).rich_color, bgcolor=Color(*background).rich_color)


def shown(color: str, theme: str, depth: str) -> int:
    """The palette number the terminal gets for a highlight in `color` at `depth`."""
    system = {"256": ColorSystem.EIGHT_BIT, "standard": ColorSystem.STANDARD}[depth]
    number = tints.tint(color, ground(theme), depth).downgrade(system).number
    assert number is not None
    return number


@pytest.mark.parametrize("theme", sorted(THEMES))
@pytest.mark.parametrize("palette", [TAG_PALETTE, EARLIER_PALETTE], ids=["palette", "earlier"])
def test_256_colour_tints_differ_from_each_other_the_text_and_the_background(
    theme: str, palette: tuple[str, ...]
) -> None:
    text, background = THEMES[theme]
    numbers = [shown(color, theme, "256") for color in palette]
    assert len(set(numbers)) == len(palette)
    assert all(16 <= n <= 231 for n in numbers)  # the cube, never the grey ramp
    assert not {tints.shown_256(text), tints.shown_256(background)} & set(numbers)
    labs = [tints._oklab(EIGHT_BIT_PALETTE[n]) for n in numbers]
    assert min(itertools.starmap(math.dist, itertools.combinations(labs, 2))) >= 0.03
    text_shown = EIGHT_BIT_PALETTE[tints.shown_256(text)]
    background_shown = EIGHT_BIT_PALETTE[tints.shown_256(background)]
    floor = min(3.0, 0.8 * tints._contrast(text_shown, background_shown))
    assert all(tints._contrast(EIGHT_BIT_PALETTE[n], text_shown) >= floor for n in numbers)


@pytest.mark.parametrize("theme", sorted(THEMES))
@pytest.mark.parametrize("depth", ["standard", "windows"])
def test_16_colour_tints_of_the_first_six_tags_differ(theme: str, depth: str) -> None:
    text, background = THEMES[theme]
    palette = STANDARD_PALETTE if depth == "standard" else WINDOWS_PALETTE
    numbers = [
        tints.ansi_index(Color.parse(color).rgb, text, background, depth)
        for color in TAG_PALETTE[:6]
    ]
    assert len(set(numbers)) == 6
    assert not {palette.match(text), palette.match(background)} & set(numbers)
    for color, number in zip(TAG_PALETTE[:6], numbers, strict=True):  # what the driver sends
        tinted = tints.tint(color, ground(theme), depth)
        assert palette.match(tinted.get_truecolor()) == number


def test_truecolor_tints_blend_as_before_and_a_grey_tag_still_gets_a_cube_colour() -> None:
    base = ground("textual-dark")
    surface = Color(*THEMES["textual-dark"][1])
    for strong, share in ((False, 0.65), (True, 0.55)):
        blended = Color.parse("#6397ee").blend(surface, share).rich_color
        assert tints.tint("#6397ee", base, "truecolor", strong) == blended
        assert tints.tint("#6397ee", base, None, strong) == blended  # no colour: no harm
    assert 16 <= shown("#9da5b4", "textual-dark", "256") <= 231


def screen_runs(app: App[object]) -> list[tuple[str, str]]:
    """(SGR parameters, text) of every run on screen, as the driver writes them for the app's
    colour system: Rich's own `Style.render`, on a fresh copy of each style, for Rich keeps a
    style's codes from the first depth it was ever drawn in (another test's truecolor)."""
    system = app.console._color_system
    runs = []
    for strip in app.screen._compositor.render_strips():  # after the app's line filters
        for text, style, _ in strip:
            if style is not None and text.strip():
                fresh = Style(
                    color=style.color, bgcolor=style.bgcolor, bold=style.bold,
                    underline=style.underline, reverse=style.reverse,
                )  # fmt: skip
                rendered = fresh.render(text, color_system=system)
                runs.append((rendered[2 : rendered.index("m")], text))
    return runs


def runs_with(runs: list[tuple[str, str]], words: str, inside: bool = True) -> list[str]:
    """The SGR parameters of every run inside `words` (or, not `inside`, holding them)."""
    return [params for params, text in runs if (text in words if inside else words in text)]


@pytest.mark.parametrize(
    "recoloured", [(), EARLIER_PALETTE[:2]], ids=["new-tags", "earlier-colours"]
)  # the earlier colours' faint blends all rounded to one grey (59) in 256 colours
@pytest.mark.parametrize(
    ("term", "depth", "background_code"),
    [
        ("xterm-256color", "256", r"48;5;(\d+)"),
        ("xterm", "standard", r"(?:^|;)((?:4|10)[0-7])(?:;|$)"),
    ],
)
async def test_two_tags_get_different_sgr_backgrounds_on_a_real_screen(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, term: str, depth: str,
    background_code: str, recoloured: tuple[str, ...],
) -> None:  # fmt: skip
    monkeypatch.delenv("COLORTERM", raising=False)
    monkeypatch.setenv("TERM", term)
    document = workspace.document(DOC)
    text = workspace.text(document)
    first, second = "close ties rooted in shared history", "practically impossible"
    for quote, tag in ((first, "a"), (second, "b")):
        start = text.index(quote)
        workspace.annotate(document, start, start + len(quote), [tag])
    for tag, color in zip("ab", recoloured, strict=False):
        workspace.color_tag(tag, color)
    colors = workspace.tag_colors()
    assert colors["a"] != colors["b"]
    app = make_app(workspace)
    assert app.console.color_system == depth
    async with app.run_test(size=(160, 48)) as pilot:
        await open_doc(pilot, workspace, at=0)
        runs = screen_runs(app)
    plain = text[text.index(first) + len(first) :][:8]  # just after the first highlight
    codes = {}
    for name, words in (("a", first), ("b", second), ("plain", plain)):
        params = runs_with(runs, words, inside=name != "plain")
        assert params, f"{name}: {words!r} not on screen"
        found = {m.group(1) for p in params if (m := re.search(background_code, p))}
        assert len(found) == 1, (name, params)
        codes[name] = found.pop()
        if name != "plain":
            assert all("4" in p.split(";") for p in params)  # underlined in every depth
    assert len(set(codes.values())) == 3, codes


def test_swatches_stay_apart_in_256_colours() -> None:
    """The tags view, legend and annotations pane draw tags in their colour as text, which
    Rich's downgrade takes to 256 colours: no two palette colours become one."""
    numbers = [
        Color.parse(c).rich_color.downgrade(ColorSystem.EIGHT_BIT).number for c in TAG_PALETTE
    ]
    assert len(set(numbers)) == len(TAG_PALETTE)


@pytest.mark.parametrize("depth", ["256", "standard", "windows"])
def test_matches_and_the_selection_never_take_a_tint_s_background(depth: str) -> None:
    """With 256 or 16 colours a themed background would land on some tag's tint (the reviewer
    found textual-dark's match on gold's 94, selection on teal's 23): they are drawn apart."""
    from reader.ui.widgets.document_lines import LineStyles

    match, selection = Style(bgcolor="#d08770"), Style(bgcolor="#3b5070")
    styles = LineStyles(Style(), Style(), match, selection, Style(reverse=True), depth=depth)
    assert styles.selection == Style(reverse=True)
    assert styles.match.bgcolor is None and styles.match.bold and styles.match.underline
    truecolor = LineStyles(Style(), Style(), match, selection, Style(), depth="truecolor")
    assert (truecolor.match, truecolor.selection) == (match, selection)


def test_text_on_a_light_ansi_background_is_dark_in_16_colours() -> None:
    from rich.color import Color as RichColor

    from reader.ui.tints import text_on

    yellow, blue = RichColor.from_rgb(205, 205, 0), RichColor.from_rgb(0, 0, 238)
    assert text_on(yellow, "standard") == RichColor.from_rgb(0, 0, 0)
    assert text_on(blue, "standard") is None
    assert text_on(yellow, "256") is None  # 256-colour tints are chosen for contrast already
