"""Round-trip YAML for every command that edits a user's facts file in place (`roll`,
`import --into`, `sheet import`, the web page): one set of settings, so comments, key
order, quotes and the folded `>-` blocks survive whoever edits, and numbers keep the
digits the user typed."""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import TaggedScalar
from ruamel.yaml.error import YAMLError
from ruamel.yaml.util import load_yaml_guess_indent

from drafter.facts.models import METRIC_TEXT


def round_trip(text: str) -> YAML:
    """A ruamel.yaml round-trip loader/dumper set up for `text`'s own indentation."""
    yaml = YAML()  # round-trip: comments, key order, flow style and quotes survive
    yaml.width = 4096  # never re-wrap long Chinese lines
    yaml.preserve_quotes = True
    sequence, offset = _sequence_indent(text)
    yaml.indent(mapping=2, sequence=sequence or 4, offset=2 if offset is None else offset)
    return yaml


_KEY_THEN_ITEM = re.compile(r"^( *)[^\s#-][^\n]*:[ \t]*(?:#[^\n]*)?\n( *)- ", re.MULTILINE)


def _sequence_indent(text: str) -> tuple[int | None, int | None]:
    """How the file indents a block list under its key (`sequence`, `offset` as ruamel
    names them), read off the first one; a full parse (ruamel's own guess) only when the
    text shows none. Editing a file used to parse it twice for this alone."""
    match = _KEY_THEN_ITEM.search(text)
    if match is not None:
        parent, dash = len(match.group(1)), len(match.group(2))
        if dash >= parent:
            return dash - parent + 2, dash - parent
    try:
        _, sequence, offset = load_yaml_guess_indent(text)
    except YAMLError:
        return None, None
    return sequence, offset


def number(text: str) -> Any:
    """A plain YAML number written exactly as `text` (18.30 stays 18.30)."""
    loaded = YAML().load(text)
    return loaded if isinstance(loaded, (int, float)) else text


def number_and_unit(value: Any) -> tuple[Any, str]:
    """`91.5%` → (91.5, "%"); a bare number → (it, "")."""
    if isinstance(value, str):
        match = METRIC_TEXT.match(value)
        if match:
            figure, unit = match.groups()
            return (number(figure) if "," not in figure else figure), unit
    return value, ""


def untagged(node: TaggedScalar) -> Any:
    """The value of a tagged scalar as the round-trip loader would give it untagged."""
    if node.style in ("'", '"'):
        return str(node.value)
    return number(str(node.value)) if node.style is None else str(node.value)
