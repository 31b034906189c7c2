"""Read a facts YAML file into `Facts`, keeping the file line of every field for errors."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from drafter.errors import FactsError, Problem
from drafter.facts.derive import MetricError, ScoreMismatch, item_score, resolve_ratios
from drafter.facts.models import Facts, Part

FieldPath = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps decimals exactly as typed (18.30 stays 18.30, not 18.3)."""


def _decimal(loader: _Loader, node: yaml.ScalarNode) -> Decimal | float:
    text = loader.construct_scalar(node).replace("_", "")
    try:
        return Decimal(text)
    except ArithmeticError:  # .inf, .nan
        return float(loader.construct_yaml_float(node))


_Loader.add_constructor("tag:yaml.org,2002:float", _decimal)

STALE_TAG = "!stale"  # carried over from last year, not reviewed yet (see drafter/stale.py)


def _untagged(loader: _Loader, node: yaml.Node) -> Any:
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


_Loader.add_constructor(STALE_TAG, _untagged)


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
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

    def line_of(self, path: FieldPath) -> int | None:
        """The line of `path`, or of its nearest enclosing field that has one.

        Path parts that the file does not spell out are skipped: a section written as a
        bare list is validated as `{items: [...]}`, so pydantic's path has an extra "items".
        """
        found: FieldPath = ()
        for part in path:
            if (*found, part) in self.lines:
                found = (*found, part)
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


def read_yaml(path: Path, what: str = "事实文件") -> Located:
    """Parse YAML safely, recording lines; any failure becomes a located Chinese error."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise FactsError.one(f"找不到{what}", path) from None
    except UnicodeDecodeError as exc:
        raise FactsError.one(
            f"{what}不是 UTF-8 编码（第{exc.start}字节附近）；请用 UTF-8 保存后重试", path
        ) from None
    except OSError as exc:
        raise FactsError.one(f"无法读取{what}：{exc.strerror}", path) from None
    try:
        return _parse(text, path, _FastLoader)
    except yaml.YAMLError:
        pass  # parse again for the pure-Python loader's messages
    return _parse(text, path, _Loader)


def _parse(text: str, path: Path, loader_class: type) -> Located:
    try:
        loader = loader_class(text)
        try:
            node = loader.get_single_node()
            lines: dict[FieldPath, int] = {}
            stale: set[FieldPath] = set()
            duplicates: list[Problem] = []
            if node is not None:
                _walk(node, (), lines, duplicates, path, stale)
            if duplicates:
                raise FactsError(duplicates)
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        if loader_class is not _Loader:
            raise
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise FactsError.one(_yaml_message(exc), path, line) from None
    except yaml.YAMLError as exc:
        if loader_class is not _Loader:
            raise
        raise FactsError.one(f"YAML 格式错误：{exc}", path) from None
    return Located(data, path, lines, stale)


def _walk(
    node: yaml.Node,
    here: FieldPath,
    lines: dict[FieldPath, int],
    problems: list[Problem],
    path: Path,
    stale: set[FieldPath],
) -> None:
    lines.setdefault(here, node.start_mark.line + 1)
    if node.tag == STALE_TAG:
        stale.add(here)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            key_line = key_node.start_mark.line + 1
            if key in seen:
                problems.append(
                    Problem(f"“{key}”重复出现（第{seen[key]}行已有），后一个会覆盖前一个", path,
                            key_line, ".".join(map(str, (*here, key))))
                )
            seen[key] = key_line
            lines[(*here, key)] = key_line
            _walk(value_node, (*here, key), lines, problems, path, stale)
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            _walk(child, (*here, index), lines, problems, path, stale)


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or ""
    known = {
        "found character '\\t' that cannot start any token": (
            "使用了制表符（Tab）；YAML 只能用空格缩进"
        ),
        "mapping values are not allowed here": "这里不能出现冒号“:”；含冒号的文字请加引号",
        "could not find expected ':'": "缺少冒号“:”，或上一行的引号没有闭合",
        "found unexpected end of stream": "文件意外结束，可能有引号没有闭合",
        "expected <block end>, but found '-'": "列表缩进不一致",
    }
    for english, chinese in known.items():
        if english in problem:
            return f"YAML 格式错误：{chinese}"
    if "could not determine a constructor for the tag" in problem:
        tag = problem.rsplit("tag", 1)[-1].strip().strip("'")
        return (
            f"YAML 格式错误：不支持的标记“{tag}”（出于安全考虑，只接受普通的文字、数值、"
            "列表和映射；上年沿用的内容可用 !stale 标记）"
        )
    if "found undefined alias" in problem or "found unhashable key" in problem:
        return f"YAML 格式错误：{problem}"
    if "expected" in problem or "found" in problem:
        return f"YAML 格式错误：缩进或符号不对（{problem}）"
    return f"YAML 格式错误：{problem or exc}"


def load_facts(path: Path) -> tuple[Facts, Located]:
    """Read and validate a facts file; errors name the file, the line and the field."""
    return validate_facts(read_yaml(path))


def validate_facts(located: Located) -> tuple[Facts, Located]:
    """Validate parsed facts (`drafter import` validates the facts it builds this way)."""
    path = located.file
    if not isinstance(located.data, dict):
        raise FactsError.one("事实文件的顶层应是“字段: 值”的映射", path, 1)
    try:
        facts = Facts.model_validate(located.data)
    except ValidationError as exc:
        raise FactsError(located_problems(exc, located, Facts)) from None
    _check_scores(facts, located)
    try:
        facts.metrics = resolve_ratios(facts.metrics)
    except MetricError as exc:
        path = ("metrics", exc.name, exc.field)
        raise FactsError.one(
            f"指标“{exc.name}”：{exc}", located.file, located.line_of(path), ".".join(path)
        ) from None
    return facts, located


def _check_scores(facts: Facts, located: Located) -> None:
    """A typed group score that disagrees with the sum of its children is an error."""
    problems = []
    for name in type(facts).model_fields:
        part = getattr(facts, name)
        if not isinstance(part, Part):
            continue
        for index, item in enumerate(part.items):
            try:
                item_score(item, (name, "items", index))
            except ScoreMismatch as exc:
                problems.append(
                    Problem(f"分值不一致：{exc}", located.file, located.line_of(exc.path),
                            ".".join(map(str, exc.path)))
                )
    if problems:
        raise FactsError(problems)


def located_problems(
    exc: ValidationError, located: Located, model: type[BaseModel]
) -> list[Problem]:
    """Turn pydantic errors into Chinese problems with the file line of each field."""
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        # pydantic adds the tag of a tried type ("list[str]") to a loc; keep real keys only
        loc = tuple(p for p in loc if isinstance(p, int) or "[" not in str(p))
        where = ".".join(str(p) for p in loc) or None
        title = field_title(model, loc)
        message = _message(error, title, loc, model)
        problems.append(Problem(message, located.file, located.line_of(loc), where))
    return sorted(problems, key=lambda p: p.line or 0)


_TYPE_WORDS = {
    "string_type": "应为文字",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "decimal_type": "应为数值",
    "decimal_parsing": "应为数值",
    "float_parsing": "应为数值",
    "float_type": "应为数值",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表（每行以“- ”开头）",
    "dict_type": "应为“键: 值”的映射",
    "model_type": "应为“键: 值”的映射",
    "model_attributes_type": "应为“键: 值”的映射",
    "date_type": "应为日期，如 2021-07-23 或 2021年7月23日",
    "date_parsing": "应为日期，如 2021-07-23 或 2021年7月23日",
    "date_from_datetime_parsing": "应为日期，如 2021-07-23 或 2021年7月23日",
    "greater_than_equal": "数值太小",
    "less_than_equal": "数值太大",
}


def _message(error: Any, title: str | None, loc: FieldPath, model: type[BaseModel]) -> str:
    kind = error["type"]
    name = f"“{title}”" if title else "此项"
    if kind == "missing":
        return f"缺少必填项{name}"
    if kind == "extra_forbidden":
        key = str(loc[-1]) if loc else ""
        return f"未知的项“{key}”（可能拼写有误）{_suggest(key, _known_keys(model, loc[:-1]))}"
    if kind in _TYPE_WORDS:
        return f"{name}{_TYPE_WORDS[kind]}，现在是“{_short(error.get('input'))}”"
    if kind in ("value_error", "assertion_error"):
        message = str(error["msg"])
        for prefix in ("Value error, ", "Assertion failed, "):
            message = message.removeprefix(prefix)
        return f"{name}：{message}"
    return f"{name}不符合要求（{error['msg']}）"


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 30 else text[:30] + "…"


def _suggest(key: str, known: list[str]) -> str:
    """The nearest known key, or the whole (short) list when nothing is near."""
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.5)
    if close:
        return f"，是不是“{close[0]}”？"
    return f"；可用的项：{'、'.join(known)}" if 0 < len(known) <= 8 else ""


def _known_keys(model: type[BaseModel], loc: FieldPath) -> list[str]:
    """The keys allowed where `loc` points, in the model being validated."""
    inner = _model_at(model, loc)
    if inner is None:
        return []
    return [info.alias or name for name, info in inner.model_fields.items()]


def _model_at(model: type[BaseModel], loc: FieldPath) -> type[BaseModel] | None:
    current: Any = model
    in_dict = False  # the next part is a key of a dict field (a metric's name), not a field
    for part in loc:
        if isinstance(part, int):
            continue
        if in_dict:
            in_dict = False
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(str(part)) or next(
            (f for f in current.model_fields.values() if f.alias == part), None
        )
        if info is None:
            return None
        in_dict = get_origin(info.annotation) is dict
        current = _inner_model(info.annotation)
    if in_dict:
        return None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    """The BaseModel inside list[X], dict[str, X], X | None; else the annotation itself."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if isinstance(found, type) and issubclass(found, BaseModel):
            return found
    if get_origin(annotation) is None:
        return annotation
    return None


def field_title(model: type[BaseModel], loc: FieldPath) -> str | None:
    """The Chinese title of the field at `loc`, e.g. ('notice', 'number') → 文号."""
    names = [p for p in loc if isinstance(p, str)]
    if not names:
        return None
    parent = _model_at(model, tuple(loc[:-1]))
    if parent is None:
        return None
    info = parent.model_fields.get(names[-1]) or next(
        (f for f in parent.model_fields.values() if f.alias == names[-1]), None
    )
    return info.title if info else None
