"""A facts mapping → the YAML text of a facts file, written as a person would write it:
the usual key order, a short form for plain metrics, long prose as folded `>-` blocks, a
blank line between parts, and a comment saying where it came from.

Plain YAML (PyYAML's emitter, the same library that reads facts files): the file has no
comments of its own yet, and every later edit (`roll`, `import --into`, the web page) goes
through ruamel.yaml's round trip, which keeps whatever the user adds.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from drafter.errors import SourceError
from drafter.facts.yaml_read import MAX_YAML_BYTES

ORDER = (
    "profile", "district", "government", "issuer", "city", "province", "year", "period",
    "title", "title_lines", "letter_number", "addressee", "date", "notice", "targets",
    "assessment", "metrics", "headings", "preamble", "overview", "basic_info", "achievements",
    "experience", "problems", "plans", "closing", "import_notes",
)  # fmt: skip
_FOLD_AT = 40  # prose longer than this is written as a folded block
_BLANK_BEFORE = ("metrics", "preamble", "overview", "basic_info", "achievements",
                 "experience", "problems", "plans", "closing", "import_notes")


class _Folded(str):
    """Prose written as a folded block scalar (`>-`)."""


class _Flow(dict):  # type: ignore[type-arg]
    """A short mapping written on one line: {max: 5, self: 4.8}."""


class _FlowList(list):  # type: ignore[type-arg]
    """A short list written on one line: [甲, 乙]."""


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    pass


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    """5, 4.8 as YAML numbers (the facts loader reads them back as exact decimals)."""
    if value == value.to_integral_value():
        return dumper.represent_int(int(value))
    return dumper.represent_scalar("tag:yaml.org,2002:float", format(value, "f"))


_Dumper.add_representer(_Folded, lambda d, v: d.represent_scalar(
    "tag:yaml.org,2002:str", str(v), style=">"))
_Dumper.add_representer(_Flow, lambda d, v: d.represent_mapping(
    "tag:yaml.org,2002:map", dict(v), flow_style=True))
_Dumper.add_representer(_FlowList, lambda d, v: d.represent_sequence(
    "tag:yaml.org,2002:seq", list(v), flow_style=True))
_Dumper.add_representer(Decimal, _represent_decimal)


def _node(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        out = {k: _node(v, str(k)) for k, v in value.items()}
        return _Flow(out) if key == "score" else out
    if isinstance(value, list):
        items = [_node(v) for v in value]
        return _FlowList(items) if key == "title_lines" else items
    if isinstance(value, str) and (len(value) > _FOLD_AT or "{{" in value) and (
        "\n" not in value and value == value.strip()
    ):
        return _Folded(value)
    return value


def _metric(metric: dict[str, Any]) -> Any:
    """`91.5%` when a metric is just a value and unit; a flow mapping otherwise."""
    if set(metric) <= {"value", "unit"}:
        return f"{metric['value']}{metric.get('unit', '')}"
    return _Flow({k: v for k, v in metric.items() if v not in (None, "")})


def facts_yaml(facts: dict[str, Any], header: list[str]) -> str:
    """The YAML text of `facts`, keys in the usual order, with `header` comment lines."""
    data: dict[str, Any] = {}
    for key in (*ORDER, *(k for k in facts if k not in ORDER)):
        if key not in facts:
            continue
        value = facts[key]
        if key == "metrics":
            data[key] = {name: _metric(m) for name, m in value.items()}
        else:
            data[key] = _node(value, key)
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     width=1_000_000, indent=2)
    lines = []
    for line in text.splitlines():
        if lines and any(line.startswith(f"{key}:") for key in _BLANK_BEFORE):
            lines.append("")
        lines.append(line)
    comments = "".join(f"# {line}\n" for line in header)
    return comments + "\n".join(lines) + "\n"


def readable(text: str, source: Path) -> str:
    """The facts text, if drafter can read it back: a report long and dense with figures
    would make a facts file over the facts files' size limit (yaml_read.MAX_YAML_BYTES)."""
    size = len(text.encode("utf-8"))
    if size > MAX_YAML_BYTES:
        raise SourceError.one(
            f"导入后的事实文件会有 {size // 1024:,} KB，超过事实文件的上限 "
            f"{MAX_YAML_BYTES // 1024:,} KB（原文太长或数字太多），没有写出；请只导入报告本身",
            source,
        )  # fmt: skip
    return text
