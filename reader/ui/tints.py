"""Highlight tints for the terminal's colour depth (the console's `color_system`, as Textual
detects it: "truecolor", "256", "standard", "windows" or None).

Truecolor blends the tag colour into the background. A 256-colour terminal would round those
faint blends to one grey, so there each of twelve hue sectors (and one for greys) gets its own
colour of the 6×6×6 cube, chosen once per theme: near the sector's hue, a step lighter (darker on
a light theme) than the background, readable under the text, never the grey ramp. In 16 colours a
tint is the ANSI background of the nearest hue (normal on a dark theme, bright on a light one),
never the text's or the background's own. A tint leaves as the triplet of Rich's palette entry,
which the driver's downgrade (`rich.color.Color.downgrade`) turns back into exactly that entry;
an ANSI number would first pass Textual's ANSI-to-truecolor filter and come back as another.
"""

from __future__ import annotations

import math
from functools import lru_cache

from rich.color import EIGHT_BIT_PALETTE, STANDARD_PALETTE, WINDOWS_PALETTE, ColorSystem
from rich.color import Color as RichColor
from rich.style import Style
from textual.color import Color

RGB = tuple[int, int, int]
SECTOR_HUES = tuple(20 + 30 * k for k in range(12))  # OKLCh hues; the built-in palette's own
NEUTRAL = len(SECTOR_HUES)  # the slot of colours too grey to have a hue
GREY_CHROMA = 0.04  # below this OKLCh chroma a colour has no hue worth keeping
LIGHT_GROUND = 0.3  # relative luminance above which a background wants dark text
ANSI_HUES = {1: 29, 3: 110, 2: 142, 6: 195, 4: 264, 5: 328}  # OKLCh hues of red … magenta
DARK_GROUND: tuple[RGB, RGB] = ((229, 229, 229), (0, 0, 0))  # text, background when unknown


def marks(match: Style, selection: Style, depth: str | None) -> tuple[Style, Style]:
    """Find matches and the selection as drawn at `depth`. In truecolor their themed
    backgrounds differ from every blended tint; with 256 or 16 colours a background would fall
    on a tag's tint (or on each other), so the selection is drawn reversed and matches bold
    and underlined in the match colour, over whatever tint is under them."""
    if depth in (None, "truecolor"):
        return match, selection
    color = match.bgcolor or match.color
    return Style(bold=True, underline=True, color=color), Style(reverse=True)


def tint(color: str, base: Style, depth: str | None, strong: bool = False) -> RichColor:
    """The background of a highlight in `color` over `base` (the text's colours) at `depth`;
    `strong` (overlapping highlights) blends more of the colour in truecolor."""
    tag = Color.parse(color)
    text, background = _ground(base)
    if depth == "256":
        return RichColor.from_triplet(EIGHT_BIT_PALETTE[cube_index(tag.rgb, text, background)])
    if depth in ("standard", "windows"):
        palette = STANDARD_PALETTE if depth == "standard" else WINDOWS_PALETTE
        return RichColor.from_triplet(palette[ansi_index(tag.rgb, text, background, depth)])
    blended = tag.blend(Color(*background), 0.55 if strong else 0.65)
    return blended.rich_color


def _ground(base: Style) -> tuple[RGB, RGB]:
    """The text and background colours of `base`; a terminal's defaults count as dark."""
    text, background = _known(base.color), _known(base.bgcolor)
    if background is None:
        background = DARK_GROUND[1]
    if text is None:
        text = DARK_GROUND[0] if _luminance(background) < 0.2 else DARK_GROUND[1]
    return text, background


def _known(color: RichColor | None) -> RGB | None:
    if color is None or color.is_default:
        return None
    red, green, blue = color.get_truecolor()
    return red, green, blue


# 256 colours


def shown_256(rgb: RGB) -> int:
    """The xterm-256 index a 256-colour terminal shows `rgb` as (Rich's downgrade)."""
    number = RichColor.from_rgb(*rgb).downgrade(ColorSystem.EIGHT_BIT).number
    assert number is not None
    return number


def cube_index(tag: RGB, text: RGB, background: RGB) -> int:
    """The cube colour (16–231) a highlight in `tag` gets over `text` on `background`."""
    _, chroma, hue = _oklch(tag)
    if chroma < GREY_CHROMA:
        slot = NEUTRAL
    else:
        slot = min(range(len(SECTOR_HUES)), key=lambda k: _hue_gap(SECTOR_HUES[k], hue))
    return _cube_ring(shown_256(text), shown_256(background))[slot]


# The cube colours that survive Rich's downgrade unchanged (no grey ramp, nothing grey).
_CUBE = tuple(
    n for n in range(16, 232)
    if len(set(EIGHT_BIT_PALETTE[n])) > 1 and shown_256(tuple(EIGHT_BIT_PALETTE[n])) == n
)  # fmt: skip


@lru_cache(maxsize=64)
def _cube_ring(text_index: int, background_index: int) -> tuple[int, ...]:
    """One distinct cube colour per hue sector and one for greys, for text and background as
    the terminal shows them: the assignment with the least total cost (`_cost`)."""
    text, background = EIGHT_BIT_PALETTE[text_index], EIGHT_BIT_PALETTE[background_index]
    dark = _luminance(background) < _luminance(text)
    base_contrast = _contrast(text, background)
    floor = min(3.0, 0.8 * base_contrast)  # below it, text on the tint is hard to read
    ground = _oklab(background)
    candidates = [
        n for n in _CUBE
        if n not in (text_index, background_index)
        and _contrast(EIGHT_BIT_PALETTE[n], text) >= floor
        and math.dist(_oklab(EIGHT_BIT_PALETTE[n]), ground) >= 0.05
    ]  # fmt: skip
    if len(candidates) <= NEUTRAL:  # a theme with hardly any contrast: readability as a cost only
        candidates = [n for n in _CUBE if n not in (text_index, background_index)]
    target_lightness = ground[0] + (0.14 if dark else -0.08)
    goal = min(4.5, 0.9 * base_contrast)
    costs = [
        [_cost(slot, EIGHT_BIT_PALETTE[n], text, target_lightness, goal) for n in candidates]
        for slot in range(NEUTRAL + 1)
    ]
    return tuple(candidates[column] for column in _assign(costs))


def _cost(slot: int, rgb: RGB, text: RGB, target_lightness: float, goal: float) -> float:
    """How poor `rgb` is for `slot`: off its hue (20° counts as one), off the lightness a step
    from the background (0.1 as one), off a moderate chroma, short of `goal` contrast with
    the text (0.3 as one)."""
    lightness, chroma, hue = _oklch(rgb)
    if slot == NEUTRAL:
        hue_cost, chroma_cost = 0.0, ((chroma - GREY_CHROMA) / 0.05) ** 2
    else:
        if chroma < GREY_CHROMA:
            return math.inf
        hue_cost = (_hue_gap(SECTOR_HUES[slot], hue) / 20) ** 2
        chroma_cost = 0.5 * ((chroma - 0.10) / 0.05) ** 2
    shortfall = max(0.0, goal - _contrast(rgb, text)) / 0.3
    return hue_cost + ((lightness - target_lightness) / 0.1) ** 2 + chroma_cost + shortfall**2


def _assign(costs: list[list[float]]) -> list[int]:
    """For each row, a distinct column, with the least total cost (the Hungarian method, in
    its shortest-augmenting-path form); needs no more rows than columns."""
    rows, columns = len(costs), len(costs[0])
    finite = [[c if math.isfinite(c) else 1e9 for c in row] for row in costs]
    row_potential, column_potential = [0.0] * (rows + 1), [0.0] * (columns + 1)
    owner, previous = [0] * (columns + 1), [0] * (columns + 1)  # column 0 is a sentinel
    for row in range(1, rows + 1):
        owner[0], column = row, 0
        slack, done = [math.inf] * (columns + 1), [False] * (columns + 1)
        while owner[column]:
            done[column] = True
            current, delta, next_column = owner[column], math.inf, 0
            for j in range(1, columns + 1):
                if done[j]:
                    continue
                reduced = finite[current - 1][j - 1] - row_potential[current] - column_potential[j]
                if reduced < slack[j]:
                    slack[j], previous[j] = reduced, column
                if slack[j] < delta:
                    delta, next_column = slack[j], j
            for j in range(columns + 1):
                if done[j]:
                    row_potential[owner[j]] += delta
                    column_potential[j] -= delta
                else:
                    slack[j] -= delta
            column = next_column
        while column:
            owner[column] = owner[previous[column]]
            column = previous[column]
    chosen = [0] * rows
    for j in range(1, columns + 1):
        if owner[j]:
            chosen[owner[j] - 1] = j - 1
    return chosen


# 16 colours


def text_on(tint_color: RichColor, depth: str | None) -> RichColor | None:
    """With 16 colours, black text on the light ANSI backgrounds (green, yellow, cyan…), where
    the theme's light text would be hard to read; None: the text keeps its colour."""
    if depth not in ("standard", "windows"):
        return None
    red, green, blue = tint_color.get_truecolor()
    return RichColor.from_rgb(0, 0, 0) if _luminance((red, green, blue)) > LIGHT_GROUND else None


def ansi_index(tag: RGB, text: RGB, background: RGB, depth: str = "standard") -> int:
    """The ANSI background (1–6 on a dark theme, 9–14 on a light one) nearest `tag` in hue that
    is neither the text's colour nor the background's in that terminal."""
    palette = STANDARD_PALETTE if depth == "standard" else WINDOWS_PALETTE
    taken = {palette.match(text), palette.match(background)}  # what the downgrade makes them
    bright = 8 if _luminance(background) > _luminance(text) else 0
    hue = _oklch(tag)[2]
    for number in sorted(ANSI_HUES, key=lambda n: _hue_gap(ANSI_HUES[n], hue)):
        if number + bright not in taken:
            return number + bright
    raise AssertionError("two colours cannot take six")  # pragma: no cover


# Colour science: OKLab (Björn Ottosson) and WCAG contrast, over sRGB triplets


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _oklab(rgb: RGB) -> tuple[float, float, float]:
    r, g, b = (_linear(c) for c in rgb)
    cone = (
        0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b,
        0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b,
        0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b,
    )
    l_, m_, s_ = (math.copysign(abs(v) ** (1 / 3), v) for v in cone)
    return (
        0.2104542553 * l_ + 0.7936177850 * m_ - 0.0040720468 * s_,
        1.9779984951 * l_ - 2.4285922050 * m_ + 0.4505937099 * s_,
        0.0259040371 * l_ + 0.7827717662 * m_ - 0.8086757660 * s_,
    )


def _oklch(rgb: RGB) -> tuple[float, float, float]:
    """Lightness (0–1), chroma and hue in degrees."""
    lightness, a, b = _oklab(rgb)
    return lightness, math.hypot(a, b), math.degrees(math.atan2(b, a)) % 360


def _hue_gap(first: float, second: float) -> float:
    return abs((first - second + 180) % 360 - 180)


def _luminance(rgb: RGB) -> float:
    r, g, b = (_linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(first: RGB, second: RGB) -> float:
    """The WCAG contrast ratio, 1 to 21."""
    darker, lighter = sorted((_luminance(first), _luminance(second)))
    return (lighter + 0.05) / (darker + 0.05)
