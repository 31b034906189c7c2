"""Reading a YAML file (facts, profile, drafter.yaml) safely and within bounds, keeping the
file line of every field, with every failure a located Chinese FactsError.

Bounds (README, "输入的限制"): the file's size, nesting depth, the number of nodes after
aliases are expanded (an alias bomb), a string's length and a number's size. Only plain
files are read (a FIFO or /dev/zero would read forever). YAML 1.1's base-60 integers
(`33:42`) and constructor failures (`2022-13-45`, `!!int x`) are located errors.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from drafter.errors import FactsError, Problem, os_reason

FieldPath = tuple[str | int, ...]

STALE_TAG = "!stale"  # carried over from last year, not reviewed yet (see drafter/stale.py)

MAX_YAML_BYTES = 2 * 1024 * 1024  # a sample is ~20 kB
MAX_DEPTH = 40  # a facts file nests ~10 deep
MAX_NODES = 100_000  # after aliases are expanded; a sample has ~2,000
MAX_STRING = 50_000  # characters in one string; a long paragraph has ~1,000
MAX_DIGITS = 30  # significant digits of a number
MAX_EXPONENT = 30  # 1e30 is already beyond any figure in a report
# Characters an XML 1.0 document (a .docx part) cannot hold; tab and line breaks can.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class _Bounded(FactsError):
    """Raised inside the loader: a located problem found while constructing a value."""


def _mark_line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _refuse(node: yaml.Node, message: str) -> None:
    raise _Bounded([Problem(message, None, _mark_line(node))])


def _check_number_text(node: yaml.ScalarNode, text: str) -> None:
    if ":" in text:
        _refuse(node, f"“{node.value}”会被 YAML 当作六十进制数；数值不要带冒号，"
                      "若是文字（如时间）请加引号")  # fmt: skip
    digits = sum(ch.isdigit() for ch in text)
    if digits > MAX_DIGITS + MAX_EXPONENT:
        _refuse(node, f"数值“{_short(node.value)}”太长（超过 {MAX_DIGITS} 位有效数字）")


def _decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal | float:
    """Decimals exactly as typed (18.30 stays 18.30, not 18.3)."""
    text = loader.construct_scalar(node).replace("_", "")
    _check_number_text(node, text)
    try:
        value = Decimal(text)
    except ArithmeticError:  # .inf, .nan (pydantic says they are not finite)
        return float(loader.construct_yaml_float(node))
    if why := decimal_problem(value):
        _refuse(node, why)
    return value


def decimal_problem(value: Decimal) -> str | None:
    """Why a number is too large or too precise to print, or None (also for .inf, .nan)."""
    _sign, digits, exponent = value.as_tuple()
    if not value.is_finite() or not isinstance(exponent, int):
        return None
    if len(digits) > MAX_DIGITS or abs(exponent + len(digits)) > MAX_EXPONENT + 1:
        return (f"数值“{_short(str(value))}”过大或位数过多（最多 {MAX_DIGITS} 位有效数字，"
                f"绝对值小于 1e{MAX_EXPONENT}）")  # fmt: skip
    return None


def _int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    _check_number_text(node, str(node.value))
    return loader.construct_yaml_int(node)


class _Located:
    """Mixin: a value a constructor cannot build (2022-13-45, `!!int x`) is a located error."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)  # type: ignore[misc]
        except (_Bounded, yaml.YAMLError, RecursionError):
            raise
        except (ValueError, TypeError, OverflowError, ArithmeticError, AttributeError):
            _refuse(node, _unreadable(node))


def _unreadable(node: yaml.Node) -> str:
    value = _short(getattr(node, "value", ""))
    kind = str(node.tag).rsplit(":", 1)[-1]
    if kind == "timestamp":
        return f"“{value}”不是有效的日期（月份应为 1–12，日不超过当月天数，时间不超过 23:59）"
    words = {"int": "整数", "float": "数值", "bool": "true 或 false", "binary": "base64 数据"}
    if kind in words:
        return f"“{value}”不能按“!!{kind}”读作{words[kind]}"
    return f"“{value}”无法读取（标记 {node.tag}）"


class _Loader(_Located, yaml.SafeLoader):
    """SafeLoader with bounded, exactly-typed numbers and `!stale`."""


def _untagged(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """A `!stale` node's value is what it would be without the tag; `_walk` records where."""
    if isinstance(node, yaml.ScalarNode):
        tag = loader.resolve(yaml.ScalarNode, node.value, (node.style is None, False))
        plain: yaml.Node = yaml.ScalarNode(tag, node.value, node.start_mark, node.end_mark,
                                           node.style)
    elif isinstance(node, yaml.SequenceNode):
        plain = yaml.SequenceNode("tag:yaml.org,2002:seq", node.value, node.start_mark,
                                  node.end_mark, node.flow_style)
    else:
        plain = yaml.MappingNode("tag:yaml.org,2002:map", node.value, node.start_mark,
                                 node.end_mark, node.flow_style)
    return loader.construct_object(plain, deep=True)


_Loader.add_constructor("tag:yaml.org,2002:float", _decimal)
_Loader.add_constructor("tag:yaml.org,2002:int", _int)
_Loader.add_constructor(STALE_TAG, _untagged)


class _FastLoader(_Located, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same loader on libyaml, about 8× faster. Its error messages are not the ones
    `_yaml_message` translates, so a file it rejects is parsed again by `_Loader`."""

    yaml_constructors = _Loader.yaml_constructors


@dataclass
class Located:
    """A parsed YAML document plus the line (1-based) where each field path starts."""

    data: Any
    file: Path
    lines: dict[FieldPath, int] = field(default_factory=dict)
    stale: set[FieldPath] = field(default_factory=set)  # the nodes tagged `!stale`
    warnings: list[Problem] = field(default_factory=list)  # plausible mistakes (load.py)

    def line_of(self, path: FieldPath) -> int | None:
        """The line of `path`, or of its nearest enclosing field that has one.

        Path parts that the file does not spell out are skipped: a section written as a
        bare list is validated as `{items: [...]}`, so pydantic's path has an extra "items".
        """
        found: FieldPath = ()
        for part in path:
            for key in (part, str(part)):  # a key typed as a number (`1:`) is recorded as text
                if (*found, key) in self.lines:
                    found = (*found, key)
                    break
        return self.lines.get(found)

    def stale_path(self, path: FieldPath) -> FieldPath | None:
        """The `!stale` node that covers `path` (itself or an enclosing field), if any.

        Like `line_of`, path parts the file does not spell out (short forms) are skipped.
        """
        if not self.stale:
            return None
        found: FieldPath = ()
        for part in path:
            if (*found, part) in self.lines:
                found = (*found, part)
                if found in self.stale:
                    return found
        return None


def read_text(path: Path, what: str, limit: int = MAX_YAML_BYTES) -> str:
    """A plain file's text (UTF-8, a BOM allowed), refusing FIFOs, devices and huge files."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; cleared before reading.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise FactsError.one(f"找不到{what}", path) from None
    except (OSError, RuntimeError) as exc:
        raise FactsError.one(f"无法读取{what}：{os_reason(exc)}", path) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise FactsError.one(f"{what}应是文件，这是一个文件夹", path)
        if not stat.S_ISREG(info.st_mode):
            raise FactsError.one(f"{what}应是普通文件（不是管道、设备等特殊文件）", path)
        if info.st_size > limit:
            raise FactsError.one(
                f"{what}太大（{info.st_size // 1024} KB，最多 {limit // 1024} KB）", path
            )
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise FactsError.one(f"无法读取{what}：{os_reason(exc)}", path) from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise FactsError.one(f"{what}太大（最多 {limit // 1024} KB）", path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FactsError.one(
            f"{what}不是 UTF-8 编码（第{exc.start}字节附近）；请用 UTF-8 保存后重试", path, line
        ) from None


def read_yaml(path: Path, what: str = "事实文件") -> Located:
    """Parse YAML safely, recording lines; any failure becomes a located Chinese error."""
    text = read_text(path, what)
    try:
        return _parse(text, path, _FastLoader)
    except yaml.YAMLError as exc:
        if "exceeded maximum nesting depth" in str(exc):
            mark = getattr(exc, "problem_mark", None)
            raise FactsError.one(_too_deep(), path, mark.line + 1 if mark else None) from None
    return _parse(text, path, _Loader)


def _too_deep() -> str:
    return f"YAML 格式错误：嵌套太深（最多 {MAX_DEPTH} 层）"


def _parse(text: str, path: Path, loader_class: type) -> Located:
    try:
        loader = loader_class(text)
        try:
            node = loader.get_single_node()
            lines: dict[FieldPath, int] = {}
            stale: set[FieldPath] = set()
            duplicates: list[Problem] = []
            if node is not None:
                _Walk(lines, duplicates, path, stale).walk(node, ())
            if duplicates:
                raise FactsError(duplicates)
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except _Bounded as exc:
        for problem in exc.problems:
            problem.file = path
        raise FactsError(exc.problems) from None
    except yaml.YAMLError as exc:
        if loader_class is not _Loader:
            raise  # libyaml's words: parsed again by the pure-Python loader
        if isinstance(exc, yaml.MarkedYAMLError):
            raise FactsError.one(_yaml_message(exc), path, _error_line(exc, text)) from None
        if isinstance(exc, yaml.reader.ReaderError):
            raise FactsError.one(f"YAML 格式错误：含有不允许的控制字符（U+{exc.character:04X}）",
                                 path, text[: exc.position].count("\n") + 1) from None
        raise FactsError.one("YAML 格式错误：无法解析", path) from None
    except RecursionError:
        raise FactsError.one(_too_deep(), path) from None
    except (ValueError, TypeError, OverflowError, ArithmeticError):
        # A constructor that failed outside construct_object (should not happen).
        raise FactsError.one("YAML 格式错误：有无法识别的值", path) from None
    return Located(data, path, lines, stale)


def _error_line(exc: yaml.MarkedYAMLError, text: str) -> int | None:
    """Where the user should look: an unclosed quote or bracket is where it opened."""
    context, problem = exc.context or "", exc.problem or ""
    if "flow node" in context and "stream end" in problem and exc.problem_mark is not None:
        end = exc.problem_mark.index  # `key: [` and nothing after: the last bracket opened
        opened = max(text.rfind("[", 0, end), text.rfind("{", 0, end))
        if opened >= 0:
            return text.count("\n", 0, opened) + 1
    opened = ("quoted scalar" in context or "flow" in context) and exc.context_mark is not None
    if opened and ("end of stream" in problem or "expected ','" in problem):
        return exc.context_mark.line + 1  # type: ignore[union-attr]
    mark = exc.problem_mark or exc.context_mark
    return mark.line + 1 if mark else None


class _Walk:
    """Records each field's line, duplicate keys and `!stale` nodes; bounds the document."""

    def __init__(self, lines: dict[FieldPath, int], problems: list[Problem], path: Path,
                 stale: set[FieldPath]) -> None:  # fmt: skip
        self.lines, self.problems, self.path, self.stale = lines, problems, path, stale
        self.nodes = 0

    def walk(self, node: yaml.Node, here: FieldPath) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise FactsError.one(
                f"YAML 内容太多：展开别名（*引用）后超过 {MAX_NODES} 项；请不要用别名层层引用",
                self.path, _mark_line(node),
            )  # fmt: skip
        if len(here) > MAX_DEPTH:
            raise FactsError.one(_too_deep(), self.path, _mark_line(node))
        self.lines.setdefault(here, _mark_line(node))
        if node.tag == STALE_TAG:
            self.stale.add(here)
        if isinstance(node, yaml.ScalarNode):
            bad = NOT_IN_XML.search(node.value)
            if bad:
                raise FactsError.one(
                    f"含有 Word 文档不能保存的字符（U+{ord(bad.group()):04X}）；请删去它",
                    self.path, _mark_line(node), ".".join(map(str, here)) or None,
                )  # fmt: skip
            if len(node.value) > MAX_STRING:
                raise FactsError.one(
                    f"文字太长（{len(node.value)} 字，一项最多 {MAX_STRING} 字）", self.path,
                    _mark_line(node), ".".join(map(str, here)) or None,
                )  # fmt: skip
        elif isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
                key_line = _mark_line(key_node)
                if key in seen:
                    self.problems.append(
                        Problem(f"“{key}”重复出现（第{seen[key]}行已有），后一个会覆盖前一个",
                                self.path, key_line, ".".join(map(str, (*here, key))))
                    )  # fmt: skip
                seen[key] = key_line
                self.lines[(*here, key)] = key_line
                self.walk(value_node, (*here, key))
        elif isinstance(node, yaml.SequenceNode):
            for index, child in enumerate(node.value):
                self.walk(child, (*here, index))


_KNOWN = {
    "found character '\\t' that cannot start any token": "使用了制表符（Tab）；YAML 只能用空格缩进",
    "mapping values are not allowed here": "这里不能出现冒号“:”；含冒号的文字请加引号",
    "could not find expected ':'": "缺少冒号“:”，或上一行的引号没有闭合",
    "expected ',' or ']'": "从这一行开始的方括号“[”没有配对的“]”，或列表的项之间缺少逗号",
    "expected ',' or '}'": "从这一行开始的花括号“{”没有配对的“}”，或映射的项之间缺少逗号",
    "expected <block end>, but found '-'": "列表缩进不一致",
    "found unhashable key": "映射的键不能是列表或映射",
    "found undefined alias": "引用（*名称）了没有定义的锚点（&名称）",
    "found duplicate anchor": "锚点（&名称）重复定义",
    "found unknown escape character": "双引号中有无法识别的转义（\\ 后的字符）；"
                                      "要写反斜杠请用单引号或写两个 \\\\",
    "expected escape sequence": "双引号中的 \\x、\\u 转义写法不对",
    "found a tab character where an indentation space is expected":
        "使用了制表符（Tab）；YAML 只能用空格缩进",
    "did not find expected key": "缩进不一致，或上一行的引号没有闭合",
    "did not find expected '-' indicator": "列表缩进不一致",
    "cannot start any token": "这里有不能出现在开头的符号（如 %、@、`）；请给这段文字加引号",
    "found unexpected end of stream": "文件意外结束，可能有引号没有闭合",
    "did not find expected alphabetic or numeric character": "锚点或引用（&、*）后缺少名称",
    "did not find expected node content": "缺少内容，或符号用错（如多了逗号）",
    "could not find expected": "缺少应有的符号",
}  # fmt: skip


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or ""
    context = exc.context or ""
    if "end of stream" in problem and "quoted scalar" in context:
        return "YAML 格式错误：引号没有闭合（从这一行开始）"
    if ("end of stream" in problem or "stream end" in problem) and "flow node" in context:
        return "YAML 格式错误：括号“[”或“{”没有闭合（从这一行开始）"
    if "end of stream" in problem and "flow" in context:
        return "YAML 格式错误：括号没有闭合（从这一行开始）"
    for english, chinese in _KNOWN.items():
        if english in problem:
            return f"YAML 格式错误：{chinese}"
    if "could not determine a constructor for the tag" in problem:
        tag = problem.rsplit("tag", 1)[-1].strip().strip("'")
        return (
            f"YAML 格式错误：不支持的标记“{tag}”（出于安全考虑，只接受普通的文字、数值、"
            "列表和映射；上年沿用的内容可用 !stale 标记）"
        )
    if "timestamp" in problem or "timestamp" in context:
        return "YAML 格式错误：日期写法不对"
    return "YAML 格式错误：缩进或符号不对（请检查这一行和上一行的缩进、冒号、引号和括号）"


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 30 else text[:30] + "…"


def parse_decimal(text: str) -> Decimal:
    """A number typed as text; raises ValueError with a Chinese message."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"“{_short(text)}”不是数值") from None
    if why := decimal_problem(value):
        raise ValueError(why)
    return value
