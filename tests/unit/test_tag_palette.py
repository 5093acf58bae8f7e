"""New tags take the first palette colour no tag has; existing tags keep theirs."""

from __future__ import annotations

from reader.codebook.tag_names import TAG_PALETTE, is_palette_color, next_tag_color
from reader.workspace import Workspace

DOC = "001_4310720f2bcf0b55"


def test_the_first_free_colour_then_the_least_used() -> None:
    assert next_tag_color([]) == TAG_PALETTE[0]
    assert next_tag_color([TAG_PALETTE[0].upper(), None, "#123456"]) == TAG_PALETTE[1]
    assert next_tag_color(list(TAG_PALETTE)) == TAG_PALETTE[0]  # all taken: round again
    assert next_tag_color([*TAG_PALETTE, TAG_PALETTE[0]]) == TAG_PALETTE[1]


def test_a_user_palette_is_tidied_and_falls_back_to_the_built_in() -> None:
    assert next_tag_color(["#aabbcc"], ["#ABC", "red", "not a colour"]) == "#e06c75"
    assert next_tag_color([], ["nonsense"]) == TAG_PALETTE[0]
    assert next_tag_color([], None) == TAG_PALETTE[0]
    assert is_palette_color(TAG_PALETTE[3].upper()) and not is_palette_color("#123456")
    assert is_palette_color("#aabbcc", ["#abc"])


def test_new_tags_take_distinct_colours_and_old_ones_keep_theirs(workspace: Workspace) -> None:
    before = workspace.tag_colors()
    document = workspace.document(DOC)
    made = workspace.annotate(document, 0, 10, ["palette-a", "palette-b", "palette-c"])
    colors = workspace.tag_colors()
    assert {key: colors[key] for key in before} == before
    new = [colors[tag] for tag in made.tags]
    assert len(set(new)) == 3 and all(is_palette_color(c) for c in new)


def test_a_workspace_gives_new_tags_the_palette_of_its_config(workspace_root, monkeypatch) -> None:
    from reader.codebook.tag_names import configure_palette
    from reader.workspace import Workspace

    (workspace_root / "reader.toml").write_text('[tags]\npalette = ["#112233", "#445566"]\n')
    try:
        with Workspace.open(workspace_root) as ws:
            document = ws.document("001_4310720f2bcf0b55")
            ws.annotate(document, 0, 7, ["first", "second", "third"])
            colors = ws.tag_colors()
        assert (colors["first"], colors["second"]) == ("#112233", "#445566")
        assert colors["third"] in ("#112233", "#445566")  # all taken: the least used again
    finally:
        configure_palette(())
