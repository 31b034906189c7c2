"""Read a facts YAML file into `Facts`, keeping the file line of every field for errors."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from drafter import units
from drafter.errors import FactsError, Problem
from drafter.facts.derive import MetricError, ScoreMismatch, item_score, resolve_ratios
from drafter.facts.models import Facts, Part
from drafter.facts.yaml_read import STALE_TAG, FieldPath, Located, read_yaml

__all__ = ["STALE_TAG", "FieldPath", "Located", "load_facts", "read_yaml", "validate_facts"]

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
    _check_plausible(facts, located)
    try:
        facts.metrics = resolve_ratios(facts.metrics)
    except MetricError as exc:
        path = ("metrics", exc.name, exc.field)
        raise FactsError.one(
            f"指标“{exc.name}”：{exc}", located.file, located.line_of(path), ".".join(path)
        ) from None
    return facts, located


# A rate may be negative only when it is a change (增长率 −3%); a share or enrolment rate
# cannot be.
_CHANGE_WORDS = ("增", "降", "变", "幅", "差", "减", "涨", "升", "跌")


_LONGEST = {"district": 30, "government": 60, "issuer": 60, "city": 30, "province": 30,
            "period": 40, "title": 200, "addressee": 100}  # the document properties hold 255
_HEADING_LINE = re.compile(r"^\s*#+ ", re.MULTILINE)


def _heading_like(data: Any, here: FieldPath, located: Located) -> list[Problem]:
    """Prose whose line begins with `## ` would become a heading of the draft."""
    if isinstance(data, str):
        if not _HEADING_LINE.search(data):
            return []
        return [Problem("文字以“#”加空格开头，会被当作标题；标题请写在 title 中，"
                        "或去掉“#”后的空格", located.file, located.line_of(here),
                        ".".join(map(str, here)))]  # fmt: skip
    if isinstance(data, dict):
        items: Any = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    else:
        return []
    return [p for key, value in items for p in _heading_like(value, (*here, key), located)]


def _check_plausible(facts: Facts, located: Located) -> None:
    """Facts that validate but look wrong: the year differs from the file name or the date is
    far from it (warnings: a copied file may be mid-edit); a negative share (an error)."""
    problems = []
    stem = located.file.stem
    if stem.isdigit() and len(stem) == 4 and int(stem) != facts.year:
        located.warnings.append(Problem(
            f"年度是 {facts.year}，但文件名是 {located.file.name}；请改正其中之一",
            located.file, located.line_of(("year",)), "year",
        ))  # fmt: skip
    if facts.date is not None and not facts.year - 1 <= facts.date.year <= facts.year + 2:
        located.warnings.append(Problem(
            f"成文日期 {facts.date.isoformat()} 与年度 {facts.year} 相差太远；请核对",
            located.file, located.line_of(("date",)), "date",
        ))  # fmt: skip
    for key, most in _LONGEST.items():
        value = getattr(facts, key)
        if isinstance(value, str) and len(value) > most:
            problems.append(Problem(f"“{field_title(Facts, (key,))}”太长（{len(value)} 字，"
                                    f"最多 {most} 字）", located.file,
                                    located.line_of((key,)), key))  # fmt: skip
    problems.extend(_heading_like(located.data, (), located))
    for name, metric in facts.metrics.items():
        negative = [k for k in ("value", "previous") if (getattr(metric, k) or 0) < 0]
        if negative and units.is_rate(metric.unit) and not any(w in name for w in _CHANGE_WORDS):
            path = ("metrics", name, negative[0])
            problems.append(Problem(
                f"指标“{name}”是比率，不能为负数（{getattr(metric, negative[0])}{metric.unit}）；"
                "若是增减变化，请在名称中写明（如“增长率”）",
                located.file, located.line_of(path), ".".join(path),
            ))  # fmt: skip
    if problems:
        raise FactsError(problems)


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
    "greater_than": "数值太小",
    "less_than": "数值太大",
    "finite_number": "应为有限的数值（不能是 .inf 或 .nan）",
    "tuple_type": "应为列表，如 [分子指标, 分母指标]",
    "too_short": "的项数太少",
    "too_long": "的项数太多",
    "string_too_long": "太长",
    "date_from_datetime_inexact": "应为日期（不带时间），如 2021-07-23",
    "datetime_from_date_parsing": "应为日期，如 2021-07-23",
    "decimal_max_digits": "位数太多",
    "int_from_float_parsing": "应为整数",
    "literal_error": "不是可用的值",
    "enum": "不是可用的值",
}


def _message(error: Any, title: str | None, loc: FieldPath, model: type[BaseModel]) -> str:
    kind = error["type"]
    name = f"“{title}”" if title else "此项"
    if kind == "missing":
        return f"缺少必填项{name}"
    if kind == "invalid_key":
        return f"项名应为文字，“{_short(error.get('input'))}”不是（数字作项名请加引号）"
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
    return f"{name}不符合要求，现在是“{_short(error.get('input'))}”"


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
