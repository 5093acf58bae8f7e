"""Tags as a codebook: the tag tree with its counts, and renaming, merging, moving, describing,
recolouring, deleting and pinning tags to number keys. Every change is one transaction, and no
change ever deletes a highlight: at most a highlight loses the one tag being deleted.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

import sqlite_utils

from reader.clock import utc_now
from reader.codebook.tag_names import MAX_TAG_CHARS, clean_tag_name, tag_key
from reader.codebook.tag_names import NAMED_COLORS as NAMED_COLORS
from reader.codebook.tag_names import parse_color as parse_color
from reader.codebook.tags import ensure_tag, find_tag
from reader.errors import TagConflict as TagConflict  # re-exported: first defined here
from reader.errors import UsageError
from reader.models import TagDeletion as TagDeletion
from reader.models import TagNode as TagNode
from reader.store import Store

MAX_DESCRIPTION_CHARS = 20_000
FAVOURITE_SLOTS = range(1, 10)
_DESCRIPTION_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _segments(key: str) -> tuple[str, ...]:
    return tuple(key.split("/"))


def _within(key: str, root: str) -> bool:
    return key == root or key.startswith(root + "/")


def codebook(db: sqlite_utils.Database) -> list[TagNode]:
    """Every tag and every parent path, depth first, siblings in alphabetical order."""
    rows = db.execute("SELECT key, name, color, description, favourite FROM tags").fetchall()
    own = {key: (name, color, description, favourite) for key, name, color, description, favourite
           in rows}  # fmt: skip
    names: dict[str, str] = {}  # key → display path; implied parents take a child's spelling
    for name, *_rest in own.values():
        parts = name.split("/")  # casefolding never adds a "/": segments line up with the key
        for depth in range(1, len(parts) + 1):
            prefix = "/".join(parts[:depth])
            if depth == len(parts) or prefix.casefold() not in names:
                names[prefix.casefold()] = prefix
    # Each tag's own highlights and documents first (one pass, no string work per row), then a
    # path's counts are the unions over the tags at or under it.
    tag_highlights: dict[int, set[int]] = defaultdict(set)
    tag_documents: dict[int, set[int]] = defaultdict(set)
    tag_whole_documents: dict[int, set[int]] = defaultdict(set)
    keys = dict(db.execute("SELECT id, key FROM tags").fetchall())
    for tag_id, ann_id, doc_id in db.execute(
        "SELECT x.tag_id, x.annotation_id, a.document_id FROM annotation_tags x "
        "JOIN annotations a ON a.id = x.annotation_id"
    ):
        tag_highlights[tag_id].add(ann_id)
        tag_documents[tag_id].add(doc_id)
    for tag_id, doc_id in db.execute("SELECT tag_id, document_id FROM document_tags"):
        tag_whole_documents[tag_id].add(doc_id)
    under: dict[str, list[int]] = defaultdict(list)  # path → the tags at or under it
    for tag_id, key in keys.items():
        for prefix in _prefixes(key):
            under[prefix].append(tag_id)
    highlights = {path: _union(tag_highlights, ids) for path, ids in under.items()}
    documents = {path: _union(tag_documents, ids) for path, ids in under.items()}
    whole = {path: _union(tag_whole_documents, ids) for path, ids in under.items()}
    own_counts = {key: len(tag_highlights.get(tag_id, ())) for tag_id, key in keys.items()}
    nodes = []
    for key in sorted(names, key=_segments):
        name, color, description, favourite = own.get(key, (names[key], None, "", None))
        nodes.append(
            TagNode(
                path=name,
                key=key,
                exists=key in own,
                color=color,
                description=description,
                favourite=favourite,
                highlights=len(highlights.get(key, ())),
                documents=len(documents.get(key, ())),
                own_highlights=own_counts.get(key, 0),
                tagged_documents=len(whole.get(key, ())),
            )
        )
    return nodes


def _union(sets: dict[int, set[int]], ids: list[int]) -> set[int] | frozenset[int]:
    if len(ids) == 1:
        return sets.get(ids[0], frozenset())
    return set().union(*(sets.get(i, ()) for i in ids))


def _prefixes(key: str) -> Iterable[str]:
    parts = key.split("/")
    return ("/".join(parts[:depth]) for depth in range(1, len(parts) + 1))


def _rows_within(db: sqlite_utils.Database, key: str) -> list[tuple[int, str, str]]:
    """(id, name, key) of the tag `key` and all its sub-tags."""
    pattern = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%"
    return db.execute(
        "SELECT id, name, key FROM tags WHERE key = ? OR key LIKE ? ESCAPE '\\' ORDER BY key",
        [key, pattern],
    ).fetchall()


def _require(db: sqlite_utils.Database, path: str) -> list[tuple[int, str, str]]:
    rows = _rows_within(db, tag_key(path))
    if not rows:
        raise UsageError(f"no tag '{clean_tag_name(path)}'")
    return rows


# Renaming, moving and merging are one operation: give a subtree a new path.


def rename_tag(store: Store, old: str, new: str, merge: bool = False) -> int:
    """Rename `old` and its sub-tags (`actor` → `actors` takes `actor/russia` along), everywhere
    at once. Landing on existing tags raises TagConflict unless `merge`, which combines them.
    Returns how many tags were renamed or merged."""
    with store.write() as db:
        return _repath(db, old, new, merge)


def move_tag(store: Store, tag: str, parent: str | None, merge: bool = False) -> str:
    """Put `tag` (with its sub-tags) under `parent`, or at the top when `parent` is None or
    empty. Returns the tag's new path."""
    label = clean_tag_name(tag).rsplit("/", 1)[-1]
    new = f"{clean_tag_name(parent)}/{label}" if parent and parent.strip("/ ") else label
    with store.write() as db:
        _repath(db, tag, new, merge)
    return new


def merge_tags(store: Store, sources: list[str], into: str) -> int:
    """Fold every source tag (with its sub-tags, which move under `into`) into `into`: each
    highlight and document keeps all its passages, now tagged `into`. One transaction."""
    if not sources:
        raise UsageError("name at least one tag to merge")
    target = tag_key(into)
    keys = {tag_key(s): clean_tag_name(s) for s in sources}
    if target in keys:
        raise UsageError(f"cannot merge '{clean_tag_name(into)}' into itself")
    merged = 0
    with store.write() as db:
        # deepest first, so that `a/b` is merged itself before `a` would carry it along
        for key in sorted(keys, key=lambda k: -k.count("/")):
            if _rows_within(db, key):
                merged += _repath(db, key, into, merge=True)
            elif not any(_within(key, other) for other in keys if other != key):
                raise UsageError(f"no tag '{keys[key]}'")
    return merged


def _repath(db: sqlite_utils.Database, old: str, new: str, merge: bool) -> int:
    old_key, new_name = tag_key(old), clean_tag_name(new)
    new_key = new_name.casefold()
    if new_key.startswith(old_key + "/"):
        raise UsageError(f"cannot put '{clean_tag_name(old)}' inside itself")
    rows = _require(db, old)
    old_depth = old_key.count("/") + 1
    targets = {
        tag_id: "/".join([new_name, *name.split("/")[old_depth:]]) for tag_id, name, _ in rows
    }
    too_long = [t for t in targets.values() if len(t) > MAX_TAG_CHARS]
    if too_long:
        raise UsageError(
            f"'{too_long[0][:40]}…' would be longer than {MAX_TAG_CHARS} characters; "
            "choose a shorter name"
        )
    moving = {tag_id for tag_id, _, _ in rows}
    taken = [
        existing
        for tag_id, target in targets.items()
        for existing_id, existing in db.execute(
            "SELECT id, name FROM tags WHERE key = ?", [target.casefold()]
        )
        if existing_id not in moving
    ]
    if taken and not merge:
        raise TagConflict(sorted(taken, key=str.casefold))
    for tag_id in moving:  # out of the way first: a sub-tag may move onto a moving tag's key
        db.execute("UPDATE tags SET key = ? WHERE id = ?", [f"\x00{tag_id}", tag_id])
    for tag_id, target in targets.items():
        survivor = db.execute("SELECT id FROM tags WHERE key = ?", [target.casefold()]).fetchone()
        if survivor is None:
            db.execute(
                "UPDATE tags SET name = ?, key = ? WHERE id = ?",
                [target, target.casefold(), tag_id],
            )
        else:
            _fold_into(db, tag_id, int(survivor[0]))
    return len(targets)


def _fold_into(db: sqlite_utils.Database, source: int, survivor: int) -> None:
    """Give `survivor` every link of `source`, its key if it has none, and its description:
    both descriptions are kept when they differ (a merge never throws away what was written)."""
    for table, owner in (("annotation_tags", "annotation_id"), ("document_tags", "document_id")):
        db.execute(
            f"INSERT OR IGNORE INTO {table} ({owner}, tag_id) "
            f"SELECT {owner}, ? FROM {table} WHERE tag_id = ?",
            [survivor, source],
        )
    name, description, favourite = db.execute(
        "SELECT name, description, favourite FROM tags WHERE id = ?", [source]
    ).fetchone()
    (kept,) = db.execute("SELECT description FROM tags WHERE id = ?", [survivor]).fetchone()
    if description and description != kept:
        kept = f"{kept}\n\n{name}: {description}" if kept else description
    db.execute("DELETE FROM tags WHERE id = ?", [source])  # its links go with it (cascade)
    db.execute(
        "UPDATE tags SET description = ?, favourite = coalesce(favourite, ?) WHERE id = ?",
        [kept, favourite, survivor],
    )


# Deleting


def deletion_preview(db: sqlite_utils.Database, path: str, with_subtags: bool) -> TagDeletion:
    """What `delete_tag` would take: the tags, and how many highlights and documents lose one."""
    rows = _require(db, path)
    key = tag_key(path)
    if not with_subtags:
        rows = [row for row in rows if row[2] == key]
        if not rows:
            raise UsageError(
                f"'{clean_tag_name(path)}' only groups sub-tags; "
                "delete them with it (--with-subtags)"
            )
    ids = [row[0] for row in rows]
    marks = ",".join("?" * len(ids))
    (highlights,) = db.execute(
        f"SELECT count(DISTINCT annotation_id) FROM annotation_tags WHERE tag_id IN ({marks})",
        ids,
    ).fetchone()
    (documents,) = db.execute(
        f"SELECT count(*) FROM (SELECT document_id FROM document_tags WHERE tag_id IN ({marks}) "
        f"UNION SELECT a.document_id FROM annotation_tags x JOIN annotations a "
        f"ON a.id = x.annotation_id WHERE x.tag_id IN ({marks}))",
        ids + ids,
    ).fetchone()
    return TagDeletion([row[1] for row in rows], int(highlights), int(documents))


def delete_tag(store: Store, path: str, with_subtags: bool = False) -> TagDeletion:
    """Delete a tag (and its sub-tags when asked). Its highlights stay, minus this tag."""
    with store.write() as db:
        deletion = deletion_preview(db, path, with_subtags)
        keys = [[name.casefold()] for name in deletion.tags]  # names are stored clean
        db.conn.executemany("DELETE FROM tags WHERE key = ?", keys)  # links go (cascade)
        return deletion


# Creating, describing, colouring, number keys


def create_tag(store: Store, path: str, description: str = "", color: str | None = None) -> str:
    """Add a code to the codebook before anything is tagged with it; returns its path."""
    name = clean_tag_name(path)
    text = clean_description(description)
    hex_color = parse_color(color) if color else None
    with store.write() as db:
        if find_tag(db, name) is not None:
            raise UsageError(f"'{name}' is already in the codebook")
        tag_id = ensure_tag(db, name)
        db.execute("UPDATE tags SET description = ? WHERE id = ?", [text, tag_id])
        if hex_color:
            db.execute("UPDATE tags SET color = ? WHERE id = ?", [hex_color, tag_id])
    return name


def clean_description(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _DESCRIPTION_CONTROL.sub("", text).strip()
    if len(text) > MAX_DESCRIPTION_CHARS:
        raise UsageError(f"a description is at most {MAX_DESCRIPTION_CHARS} characters")
    return text


def _existing(db: sqlite_utils.Database, path: str) -> int:
    """The id of a tag in the codebook; a parent implied by sub-tags becomes a tag of its own.
    A name in neither is refused: a typo must not add a code."""
    _require(db, path)
    return ensure_tag(db, path)


def describe_tag(store: Store, path: str, description: str) -> None:
    """Set the codebook entry of a tag (a parent path becomes a tag of its own)."""
    text = clean_description(description)
    with store.write() as db:
        db.execute("UPDATE tags SET description = ? WHERE id = ?", [text, _existing(db, path)])


def color_tag(store: Store, path: str, color: str) -> str:
    """Recolour a tag (its highlights follow); returns the colour as stored."""
    hex_color = parse_color(color)
    with store.write() as db:
        db.execute("UPDATE tags SET color = ? WHERE id = ?", [hex_color, _existing(db, path)])
    return hex_color


def set_favourite(store: Store, path: str, slot: int | None) -> None:
    """Put a tag on number key `slot` (1-9), taking the key from any other tag; None frees it."""
    if slot is not None and slot not in FAVOURITE_SLOTS:
        raise UsageError("favourite keys are 1 to 9")
    with store.write() as db:
        tag_id = _existing(db, path)
        if slot is not None:
            db.execute("UPDATE tags SET favourite = NULL WHERE favourite = ?", [slot])
        db.execute("UPDATE tags SET favourite = ? WHERE id = ?", [slot, tag_id])


def favourite_tags(db: sqlite_utils.Database) -> dict[int, str]:
    """Number key → tag name."""
    return {
        int(slot): name
        for slot, name in db.execute(
            "SELECT favourite, name FROM tags WHERE favourite IS NOT NULL ORDER BY favourite"
        )
    }


# Bulk tagging: every highlight of a document or of a search result


def tag_highlights(store: Store, annotation_ids: Iterable[int], tag: str) -> list[int]:
    """Add `tag` to each highlight; returns the ids that did not have it yet (for undo)."""
    name = clean_tag_name(tag)
    with store.write() as db:
        tag_id = ensure_tag(db, name)
        changed = [
            ann_id
            for ann_id in sorted(set(annotation_ids))
            if db.execute(
                "INSERT OR IGNORE INTO annotation_tags (annotation_id, tag_id) "
                "SELECT id, ? FROM annotations WHERE id = ?",
                [tag_id, ann_id],
            ).rowcount
        ]
        _touch(db, changed)
        return changed


def untag_highlights(store: Store, annotation_ids: Iterable[int], tag: str) -> list[int]:
    """Take `tag` (exactly that tag) off each highlight; returns the ids that had it."""
    with store.write() as db:
        tag_id = find_tag(db, tag)
        if tag_id is None:
            raise UsageError(f"no tag '{clean_tag_name(tag)}'")
        changed = [
            ann_id
            for ann_id in sorted(set(annotation_ids))
            if db.execute(
                "DELETE FROM annotation_tags WHERE annotation_id = ? AND tag_id = ?",
                [ann_id, tag_id],
            ).rowcount
        ]
        _touch(db, changed)
        return changed


def _touch(db: sqlite_utils.Database, ids: list[int]) -> None:
    now = utc_now()
    db.conn.executemany("UPDATE annotations SET updated = ? WHERE id = ?", [[now, i] for i in ids])
