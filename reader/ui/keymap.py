"""The user's `[keys]`: which binding ids exist, what a keymap cannot do (unknown ids, two
bindings of one scope on one key), and the keys a remapped key takes from the other bindings it
would meet on the way (remap `annotate` to `h` and the reading view's `h` for left gives way).

Textual applies the keymap (`App.set_keymap`, binding ids as in Posting); this module decides
what to hand it and what to tell the user. The checks are pure over `KnownBinding` records, so
`reader config show` can print the same problems without a screen."""

from __future__ import annotations

import difflib
import importlib
import pkgutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import Keys, _character_to_key

REMAPPED_MARK = "*"  # after a key the user's config set, in the footer and the help screen


@dataclass(frozen=True)
class KnownBinding:
    """One binding of reader's UI: its id, the class whose BINDINGS hold it, its default keys."""

    id: str
    scope: str
    keys: tuple[str, ...]
    description: str = ""


MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
_NAMED_KEYS = frozenset(k.value for k in Keys if "+" not in k.value and "<" not in k.value)
_CHARACTER_NAMES = frozenset(_character_to_key(chr(c)) for c in range(33, 127))


def split_keys(keys: str) -> tuple[str, ...]:
    """`"ctrl+h, ?"` -> `("ctrl+h", "question_mark")`: Textual's long names, empty parts gone;
    modifiers and named keys in lower case (`Ctrl+H`, `F1` are `ctrl+h`, `f1`)."""
    parts = [_lowered(part.strip()) for part in keys.split(",") if part.strip()]
    if not parts:
        return ()
    return tuple(b.key for b in Binding.make_bindings([Binding(",".join(parts), "")]))


def _lowered(key: str) -> str:
    *modifiers, base = key.split("+") if key != "+" else [key]
    if len(base) > 1 or (modifiers and base.isalpha() and "shift" not in modifiers):
        base = base.lower()  # `ctrl+H` is what the terminal sends as ctrl+h
    return "+".join([*(m.lower() for m in modifiers), base])


def is_key(key: str) -> bool:
    """Whether Textual can ever report `key` (as `split_keys` spells it): modifiers from
    MODIFIERS, then one character or a key name (`escape`, `f5`, `pageup`, `question_mark`)."""
    *modifiers, base = key.split("+")
    if any(m not in MODIFIERS for m in modifiers) or not base:
        return False
    return len(base) == 1 or base in _NAMED_KEYS or base in _CHARACTER_NAMES


def normalized_keymap(keymap: Mapping[str, str]) -> dict[str, str]:
    """The keymap as Textual matches it; ids without keys dropped."""
    split = {binding_id: split_keys(keys) for binding_id, keys in keymap.items()}
    return {binding_id: ",".join(keys) for binding_id, keys in split.items() if keys}


def known_bindings(classes: Iterable[type]) -> dict[str, KnownBinding]:
    """Every binding with an id in the BINDINGS of `classes` (each class's own, not inherited)."""
    known: dict[str, KnownBinding] = {}
    for cls in classes:
        for binding in cls.__dict__.get("BINDINGS", ()):
            if isinstance(binding, Binding) and binding.id:
                known[binding.id] = KnownBinding(
                    binding.id, cls.__name__, split_keys(binding.key), binding.description
                )
    return known


def binding_catalogue() -> dict[str, KnownBinding]:
    """Every binding id of reader's UI (imports each module of reader.ui to find them)."""
    import reader.ui

    classes: list[type] = []
    for info in pkgutil.walk_packages(reader.ui.__path__, "reader.ui."):
        module = importlib.import_module(info.name)
        classes += [
            value for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, DOMNode)
            and value.__module__ == module.__name__
        ]  # fmt: skip
    return known_bindings(classes)


def keymap_problems(keymap: Mapping[str, str], known: Mapping[str, KnownBinding]) -> list[str]:
    """What in `keymap` (binding id -> keys) cannot be applied as written: ids no binding has
    (with the nearest id), ids given no key, and a key two bindings of one scope would share
    once remapped (Textual gives it to the remapped one; the other loses it)."""
    problems: list[str] = []
    for binding_id, keys in keymap.items():
        if binding_id not in known:
            near = difflib.get_close_matches(binding_id, list(known), n=1)
            hint = f" (did you mean {near[0]}?)" if near else ""
            problems.append(f"[keys] {binding_id}: no binding has this id{hint}")
        elif not split_keys(keys):
            problems.append(f"[keys] {binding_id}: no key given")
        elif bad := [key for key in split_keys(keys) if not is_key(key)]:
            problems.append(
                f"[keys] {binding_id}: {', '.join(repr(k) for k in bad)} is no key (write them as "
                "ctrl+h, shift+tab, escape, f5, pageup, a single character…)"
            )
    remapped = normalized_keymap({i: k for i, k in keymap.items() if i in known})
    holders: dict[tuple[str, str], list[str]] = {}
    for binding in known.values():
        keys = split_keys(remapped[binding.id]) if binding.id in remapped else binding.keys
        for key in keys:
            holders.setdefault((binding.scope, key), []).append(binding.id)
    for (scope, key), ids in holders.items():
        if len(ids) > 1 and any(i in remapped for i in ids):
            named = (f"{i} ({known[i].description or 'no description'})" for i in sorted(ids))
            problems.append(f"[keys] {key} clashes in {scope}: " + ", ".join(named))
    return problems


def keys_given_way(
    keymap: Mapping[str, str], chains: Iterable[Sequence[KnownBinding]]
) -> tuple[dict[str, str], list[str]]:
    """A key the user assigned wins over the defaults of the bindings it meets on one path of
    the screen (a focused widget and its ancestors): those bindings keep their other keys.
    Returns the keymap entries that take the keys away, and a note for each binding that
    would be left without a key (it keeps its key; the user should give it another)."""
    assigned = normalized_keymap(keymap)
    given_way: dict[str, set[str]] = {}
    for chain in chains:
        scopes = {b.id: b.scope for b in chain}
        taken = {key: scopes[i] for i in assigned if i in scopes for key in split_keys(assigned[i])}
        for binding in chain:
            if binding.id in assigned:
                continue  # the user chose its keys
            # in one scope Textual settles it (and `keymap_problems` reports the clash)
            lost = {key for key in binding.keys if taken.get(key, binding.scope) != binding.scope}
            if lost:
                given_way.setdefault(binding.id, set()).update(lost)
    defaults = {b.id: b.keys for chain in chains for b in chain}
    entries: dict[str, str] = {}
    notes: list[str] = []
    for binding_id, lost in sorted(given_way.items()):
        kept = [key for key in defaults[binding_id] if key not in lost]
        if kept:
            entries[binding_id] = ",".join(kept)
        else:
            notes.append(f"[keys] {binding_id} has no key left ({', '.join(sorted(lost))} "
                         "is remapped to another binding): give it one")  # fmt: skip
    return entries, notes


def binding_chains(root: DOMNode, known: Mapping[str, KnownBinding]) -> list[list[KnownBinding]]:
    """The bindings met on each path from a node of `root`'s screen up to the app (a modal
    screen stops there, as Textual's own binding chain does)."""
    by_scope: dict[str, list[KnownBinding]] = {}
    for binding in known.values():
        by_scope.setdefault(binding.scope, []).append(binding)
    chains: dict[tuple[str, ...], list[KnownBinding]] = {}
    for node in root.walk_children(with_self=True):
        path: list[str] = []
        for ancestor in node.ancestors_with_self:
            path += [cls.__name__ for cls in type(ancestor).__mro__ if cls.__name__ in by_scope]
            if ancestor.is_modal:
                break
        chains.setdefault(tuple(path), [b for scope in path for b in by_scope[scope]])
    return list(chains.values())
