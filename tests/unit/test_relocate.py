from reader.text.relocate import relocate_offset

OLD = "First paragraph here.\n\nSecond paragraph about sanctions and gas.\n\nThird one.\n"


def test_same_text_keeps_offset() -> None:
    assert relocate_offset(OLD, OLD, 30) == 30


def test_text_inserted_before_moves_the_position_with_its_words() -> None:
    offset = OLD.index("Second")
    new = "A new lead paragraph was added on top.\n\n" + OLD
    assert relocate_offset(OLD, new, offset) == new.index("Second")


def test_repeated_words_land_on_the_nearest_copy() -> None:
    old = "gas deal. " * 20
    new = "intro. " + old
    moved = relocate_offset(old, new, 100)
    assert new[moved : moved + 10] == "gas deal. "
    assert abs(moved - 100) < 10


def test_words_gone_clamps_to_the_new_length() -> None:
    assert relocate_offset(OLD, "short", 40) == 5
    assert relocate_offset(OLD, "", 40) == 0
