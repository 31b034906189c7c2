"""Round-trip edits of a facts file for `drafter import --into`, addressed by the field paths
of the Facts model (achievements.items.0.text.1), short forms included.

Edited as drafter/roll.py edits (ruamel.yaml round trip, the same indentation guess):
comments, key order, quoting, folded `>-` blocks and the `!stale` tags of untouched facts
stay; an edited fact loses its tag, since a person has now reviewed it. List insertions
and deletions are queued against the list objects and applied last, highest index first,
so that every path keeps meaning what it meant in the file as read.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from drafter.facts.load import FieldPath
from drafter.yaml_edit import number as yaml_number
from drafter.yaml_edit import round_trip

LONG = 40  # prose at least this long is written as a folded `>-` block, like the samples
_BY_STYLE = {
    ">": FoldedScalarString,
    "|": LiteralScalarString,
    "'": SingleQuotedScalarString,
    '"': DoubleQuotedScalarString,
}
_SHORT_FORM_KEYS = ("items", "points")  # a Part or an Enumeration written as a bare list


def _text_of(node: Any) -> str | None:
    if isinstance(node, TaggedScalar):
        return str(node.value)
    return node if isinstance(node, str) else None


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.splitlines() if p.strip()]


def styled(old: Any, text: str, flow: bool = False) -> Any:
    """`text` as a YAML string written like `old` was (quoted stays quoted, folded stays
    folded); new long prose folded. Never tagged."""
    style = old.style if isinstance(old, TaggedScalar) else None
    kind = _BY_STYLE.get(style or "") or next(
        (k for k in _BY_STYLE.values() if type(old) is k), None
    )
    if flow and kind in (FoldedScalarString, LiteralScalarString):
        kind = None  # a block scalar cannot stand inside [ … ]
    if kind is None and not flow and (len(text) >= LONG or text.startswith(("{", "[", "*"))):
        kind = FoldedScalarString
    return kind(text) if kind else str(text)


@dataclass
class _Slot:
    """What happens at one index of a list: replaced, deleted, paragraphs put around it."""

    before: list[Any] = field(default_factory=list)  # paragraphs, or new items' mappings
    after: list[Any] = field(default_factory=list)
    delete: bool = False


class FactsEditor:
    def __init__(self, text: str) -> None:
        self.original = text
        self.yaml = round_trip(text)
        self.data = self.yaml.load(text)
        self.changed = False
        self._queued: dict[int, tuple[CommentedSeq, dict[int, _Slot]]] = {}
        self._key_deletes: list[tuple[CommentedMap, str]] = []
        self._owners: dict[int, tuple[Any, Any]] = {}  # a list's mapping and key

    # ------------------------------------------------------------------ finding

    def locate(self, path: FieldPath) -> tuple[Any, Any] | None:
        """(container, key) holding the node of a model path, or None if the file does not
        spell it out. Short forms: a bare list for `items`/`points`, a string for a Part's
        `text`, one string for a one-paragraph list."""
        parent: Any = None
        key: Any = None
        node: Any = self.data
        for part in path:
            text = _text_of(node)
            if isinstance(part, str):
                if isinstance(node, CommentedMap) and part in node:
                    parent, key, node = node, part, node[part]
                elif (isinstance(node, CommentedSeq) and part in _SHORT_FORM_KEYS) or (
                    text is not None and part == "text"
                ):
                    continue
                else:
                    return None
            elif isinstance(node, CommentedSeq):
                if not 0 <= part < len(node):
                    return None
                parent, key, node = node, part, node[part]
            elif text is not None and part == 0 and len(_paragraphs(text)) == 1:
                continue
            else:
                return None
        return (parent, key) if parent is not None else None

    def get(self, path: FieldPath) -> Any:
        found = self.locate(path)
        return None if found is None else found[0][found[1]]

    def paragraph_list(self, path: FieldPath, create: bool = False) -> CommentedSeq | None:
        """The list of paragraphs at `path` (…text, preamble, closing), turned from its
        short form (one string) into a list; with `create`, added when missing."""
        found = self.locate(path)
        if found is None:
            if not create or not path or path[-1] != "text":
                return None
            owner = self.get(path[:-1]) if len(path) > 1 else None
            if not isinstance(owner, CommentedMap):
                return None
            seq = CommentedSeq()
            keys = list(owner)
            at = max((keys.index(k) + 1 for k in ("title", "score") if k in keys), default=0)
            owner.insert(at, "text", seq)
            return seq
        container, key = found
        node = container[key]
        if isinstance(node, CommentedSeq):
            return node
        text = _text_of(node)
        if text is None:
            return None
        seq = CommentedSeq(
            [node] if len(_paragraphs(text)) == 1 else [styled(node, p) for p in _paragraphs(text)]
        )
        if path[-1] == "text" and key != "text":  # a Part written as one string
            container[key] = CommentedMap([("text", seq)])
        else:
            container[key] = seq
        return seq

    # ------------------------------------------------------------------ editing

    def set_text(self, path: FieldPath, text: str) -> bool:
        found = self.locate(path)
        if isinstance(path[-1], int) and found is None:
            seq = self.paragraph_list(path[:-1])  # a list written as one string
            found = (seq, path[-1]) if seq is not None and path[-1] < len(seq) else None
        if found is None:
            return False
        container, key = found
        if not isinstance(container[key], (str, TaggedScalar)) and container[key] is not None:
            return False
        flow = bool(getattr(container, "fa", None) and container.fa.flow_style())
        container[key] = styled(container[key], text, flow)
        self.changed = True
        return True

    def set_value(self, path: FieldPath, value: Any) -> bool:
        """Any scalar (a date, a number) at an existing or new key of a mapping."""
        found = self.locate(path)
        if found is None:
            owner = self.get(path[:-1]) if len(path) > 1 else self.data
            if not isinstance(owner, CommentedMap):
                return False
            owner[path[-1]] = value
        else:
            found[0][found[1]] = value
        self.changed = True
        return True

    def set_number(self, path: FieldPath, number: str) -> bool:
        return self.set_value(path, yaml_number(number) if "," not in number else
                              SingleQuotedScalarString(number))

    def queue_insert(self, seq: CommentedSeq, index: int, text: Any, before: bool) -> None:
        """A paragraph (or a new item's mapping) before or after the element `index` of
        `seq` (as the file was read); `index` -1 with `before` False appends to an empty list."""
        slot = self._slot(seq, index)
        (slot.before if before else slot.after).append(text)

    def queue_delete(self, path: FieldPath) -> bool:
        found = self.locate(path)
        if found is None:
            return False
        container, key = found
        if isinstance(container, CommentedSeq):
            self._slot(container, key).delete = True
            owner = self.locate(path[:-1])
            if owner is not None and owner[0][owner[1]] is container:
                self._owners[id(container)] = owner
        elif isinstance(container, CommentedMap):
            self._key_deletes.append((container, key))
        return True

    def _slot(self, seq: CommentedSeq, index: int) -> _Slot:
        _, slots = self._queued.setdefault(id(seq), (seq, {}))
        return slots.setdefault(index, _Slot())

    def flush(self) -> None:
        for seq, slots in self._queued.values():
            flow = bool(seq.fa.flow_style())
            owner = self._owners.get(id(seq))
            emptied = all(slots.get(i, _Slot()).delete for i in range(len(seq))) and not any(
                slot.before or slot.after for slot in slots.values()
            )
            if emptied and owner is not None and isinstance(owner[0], CommentedMap):
                self._key_deletes.append(owner)  # no empty list left behind
                continue
            for index in sorted(slots, reverse=True):
                slot = slots[index]
                for k, text in enumerate(slot.after):
                    seq.insert(index + 1 + k, _element(text, flow))
                if slot.after:  # comment lines below the element stay below what follows it
                    _move_tail(seq, index, index + len(slot.after))
                if slot.delete and index >= 0:
                    if index > 0:
                        _move_tail(seq, index, index - 1)
                    del seq[index]
                for k, text in enumerate(slot.before):
                    seq.insert(max(index, 0) + k, _element(text, flow))
            self.changed = True
        for container, key in self._key_deletes:
            if key in container:
                keys = list(container)
                if keys.index(key) > 0:
                    _move_tail(container, key, keys[keys.index(key) - 1])
                del container[key]
                self.changed = True
        self._queued.clear()
        self._key_deletes.clear()

    def dump(self) -> str:
        self.flush()
        if not self.changed:
            return self.original
        out = io.StringIO()
        self.yaml.dump(self.data, out)
        return out.getvalue()


def _element(value: Any, flow: bool) -> Any:
    """What a queued insertion puts in the list: a paragraph styled, a mapping as it is."""
    return styled(None, value, flow) if isinstance(value, str) else value


def _tail(holder: Any, key: Any) -> tuple[Any, Any, int]:
    """Where ruamel keeps the comment lines below holder[key]: on its last scalar."""
    node = holder[key]
    if isinstance(node, CommentedMap) and node:
        return _tail(node, list(node)[-1])
    if isinstance(node, CommentedSeq) and node:
        return _tail(node, len(node) - 1)
    return holder, key, 2 if isinstance(holder, CommentedMap) else 0


def _move_tail(holder: Any, source: Any, target: Any) -> None:
    """Move the comment lines below holder[source] to below holder[target], so deleting or
    inserting an element keeps the comments that stood after it."""
    from_holder, from_key, from_pos = _tail(holder, source)
    slots = from_holder.ca.items.get(from_key)
    token = slots[from_pos] if slots and len(slots) > from_pos else None
    if token is None or "#" not in token.value:
        return
    to_holder, to_key, to_pos = _tail(holder, target)
    empty = [None, None, None, None] if isinstance(to_holder, CommentedMap) else [None, None]
    to_slots = to_holder.ca.items.setdefault(to_key, empty)
    slots[from_pos] = None
    if to_slots[to_pos] is None:
        to_slots[to_pos] = token
    else:
        kept = to_slots[to_pos]
        kept.value = kept.value.rstrip("\n") + "\n" + token.value.lstrip("\n")
