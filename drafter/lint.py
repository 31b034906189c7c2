"""Typography findings of a facts YAML file (per field, with its line) or of a .docx (per
paragraph), and the fixed text of a facts file. The checks themselves are typography.py's.

A facts file is fixed scalar by scalar on its source text, so comments, key order and
layout stay as the user wrote them; --to-simplified converts the whole file (keys such as
metric names included, so `{{ m.名称 }}` references keep matching).
"""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from drafter.errors import DrafterError
from drafter.facts.load import STALE_TAG, FieldPath, read_yaml
from drafter.lint_checks import extra_findings
from drafter.typography import Finding, check, normalise, to_simplified

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_STR = "tag:yaml.org,2002:str"
_PROPERTIES = re.compile(r"(?:[!&]\S*\s+)*")  # a tag or anchor before a value: !stale, &a


@dataclass(frozen=True)
class Placed:
    """A finding and where it is: a facts field and its line, or a .docx paragraph."""

    finding: Finding
    line: int | None = None
    field: str | None = None
    paragraph: int | None = None

    def place(self) -> str:
        if self.paragraph is not None:
            return f"第{self.paragraph}段"
        where = f"第{self.line}行" if self.line is not None else ""
        return f"{where} [{self.field}]" if self.field else where


def lint_facts(path: Path) -> list[Placed]:
    """Findings in every string value of a facts file, in file order."""
    located = read_yaml(path)
    out = []
    for field_path, text in _strings(located.data, ()):
        line = located.line_of(field_path)
        name = ".".join(map(str, field_path))
        found = check(text) + extra_findings(text, facts=True)
        out += [Placed(f, line, name) for f in found]
    return sorted(out, key=lambda p: (p.line or 0, p.finding.start))


def _strings(data: Any, here: FieldPath) -> Iterator[tuple[FieldPath, str]]:
    if isinstance(data, str):
        yield here, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*here, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*here, index))


WORD_SUFFIXES = (".docx", ".docm", ".dotx", ".doc", ".dot", ".wps", ".odt", ".rtf")
_WORD_MAGIC = (b"PK", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"{\\rtf")  # zip, OLE (.doc), RTF


def is_word_file(path: Path) -> bool:
    """A Word (or WPS, OpenDocument, RTF) file by its name or, whatever its name, by its
    first bytes; a facts file otherwise. Only a plain file is opened (a FIFO would block)."""
    if path.suffix.lower() in WORD_SUFFIXES:
        return True
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False
        with path.open("rb") as handle:
            return handle.read(8).startswith(_WORD_MAGIC)
    except (OSError, RuntimeError):  # reading it as a facts file says why, with the name
        return False


def docx_paragraphs(path: Path) -> list[str]:
    """The text of each non-empty paragraph of a .docx body (tables included), in order,
    read by the import side's reader (the project's one reader of Word files, which also
    refuses zip bombs, locked and foreign files before inflating anything)."""
    from drafter.reading.files import read_source

    document = read_source(path)
    if document.kind == "txt":
        raise DrafterError.one("不是有效的 Word 文档（.docx），无法读取", path)
    return [p.text for p in document.paragraphs if p.text.strip()]


def lint_docx(path: Path) -> list[Placed]:
    """Findings in every paragraph of a .docx, numbered as the reader counts them."""
    return [
        Placed(f, paragraph=n)
        for n, text in enumerate(docx_paragraphs(path), 1)
        for f in sorted(check(text) + extra_findings(text), key=lambda f: f.start)
    ]


def fixed_facts_text(path: Path, punctuation: bool, simplified: bool) -> str:
    """The facts file's text with fixable punctuation fixed and/or Traditional converted."""
    text = path.read_text(encoding="utf-8-sig")
    if punctuation:
        text = _normalise_scalars(text, path)
    if simplified:
        text = to_simplified(text)
    _check_parses(text, path)
    return text


def _check_parses(text: str, path: Path) -> None:
    """The fixed text must still read as a facts file (with the facts loader: `!stale` tags,
    no duplicate keys after a conversion); never write a broken one."""
    with tempfile.TemporaryDirectory(prefix="drafter-lint-") as folder:
        copy = Path(folder) / path.name
        copy.write_text(text, encoding="utf-8")
        try:
            read_yaml(copy)
        except DrafterError as exc:
            why = exc.problems[0]
            at = f"修正后第{why.line}行" if why.line else "修正后"
            raise DrafterError.one(
                f"自动修正后文件无法解析（{at}：{why.message}），已停止，没有写入任何文件；"
                "请手工修改",
                path,
            ) from None


def _normalise_scalars(text: str, path: Path) -> str:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        read_yaml(path)  # raises the located Chinese message
        raise
    edits = sorted(_scalar_edits(text, root), reverse=True)
    for start, end, new in edits:
        text = text[:start] + new + text[end:]
    return text


def _scalar_edits(text: str, node: yaml.Node | None) -> Iterator[tuple[int, int, str]]:
    if isinstance(node, yaml.MappingNode):
        for _, value in node.value:  # keys are names, not prose
            yield from _scalar_edits(text, value)
    elif isinstance(node, yaml.SequenceNode):
        for child in node.value:
            yield from _scalar_edits(text, child)
    elif isinstance(node, yaml.ScalarNode) and _is_text(node):
        start, end = node.start_mark.index, node.end_mark.index
        start = _PROPERTIES.match(text, start, end).end()  # the value, after `!stale `
        source = text[start:end]
        if node.style == '"':
            value = normalise(node.value)
            if value != node.value:
                yield start, end, json.dumps(value, ensure_ascii=False)
        elif node.style == "'":
            inner = normalise(source[1:-1])
            if inner != source[1:-1]:
                yield start, end, f"'{inner}'"
        elif node.style in ("|", ">"):
            header, newline, body = source.partition("\n")
            fixed = normalise(body)
            if fixed != body:
                yield start, end, header + newline + fixed
        else:
            fixed = normalise(source)
            if fixed != source:
                yield start, end, fixed


def _is_text(node: yaml.ScalarNode) -> bool:
    """A string scalar, or a `!stale` one that untagged would be a string (not 91.5)."""
    if node.tag == STALE_TAG:
        plain = (node.style is None, False)
        return yaml.resolver.Resolver().resolve(yaml.ScalarNode, node.value, plain) == _STR
    return node.tag == _STR
