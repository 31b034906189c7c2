"""docs/fields.md: the Chinese reference of every facts-file field, written from the schema
(drafter.schema.facts_schema), so it never drifts from what the loader accepts.

Rebuild after changing a field (tests/test_fields_reference.py checks it):

    python3 -m drafter.fields_reference
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DOC = Path(__file__).resolve().parent.parent / "docs" / "fields.md"
_TYPES = {"string": "文字", "integer": "整数", "number": "数值", "boolean": "是/否",
          "array": "列表", "object": "若干项", "null": "可不填"}  # fmt: skip

HEADER = """# 事实文件字段说明

本文由 `python3 -m drafter.fields_reference` 根据程序中的字段定义（`drafter schema` 输出的同一份
JSON Schema）自动生成，请勿手工修改；字段有变化时测试会提示重新生成。

- **必填** 的字段不能省略；其余字段可以不写（报告中缺少的事实以【待补充：…】标出）。
- “类型”中的“或”表示几种写法都可以，如指标既可写成 `124.6%`，也可写成 `{value: …, unit: …}`。
- 在 VS Code 等编辑器中边写边检查：`drafter schema -o facts.schema.json`。
"""


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _kind(node: dict[str, Any], defs: dict[str, Any]) -> str:
    """A field's type in words: 文字, 整数, 列表（每项：条目）, 条目 或 文字 …"""
    if "$ref" in node:
        target = defs[_ref_name(node["$ref"])]
        return f"{target.get('title', _ref_name(node['$ref']))}（见下）"
    for key in ("anyOf", "oneOf"):
        if key in node:
            kinds = [_kind(option, defs) for option in node[key]]
            kinds = [k for k in dict.fromkeys(kinds) if k != "可不填"]
            return " 或 ".join(kinds) or "可不填"
    if "const" in node:
        return f"`{json.dumps(node['const'], ensure_ascii=False)}`"
    if "enum" in node:
        return "、".join(f"`{json.dumps(v, ensure_ascii=False)}`" for v in node["enum"]) + " 之一"
    kind = node.get("type")
    if kind == "array":
        items = node.get("items")
        return f"列表（每项：{_kind(items, defs)}）" if isinstance(items, dict) else "列表"
    if kind == "object" and "additionalProperties" in node and "properties" not in node:
        extra = node["additionalProperties"]
        if isinstance(extra, dict):
            return f"名称 → {_kind(extra, defs)}"
    if isinstance(kind, list):
        return " 或 ".join(_TYPES.get(k, k) for k in kind if k != "null")
    return _TYPES.get(kind, "") if kind else "见说明"


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _table(schema: dict[str, Any], defs: dict[str, Any]) -> list[str]:
    properties: dict[str, Any] = schema.get("properties", {})
    if not properties:
        return []
    required = set(schema.get("required", []))
    rows = ["| 字段 | 名称 | 类型 | 必填 | 说明 |", "|---|---|---|---|---|"]
    for name, node in properties.items():
        rows.append(
            f"| `{name}` | {_cell(node.get('title', ''))} | {_cell(_kind(node, defs))} | "
            f"{'是' if name in required else ''} | {_cell(node.get('description', ''))} |"
        )
    return rows


def _object_of(definition: dict[str, Any]) -> dict[str, Any]:
    """The object form of a definition that also has short forms (a list, a string)."""
    for key in ("anyOf", "oneOf"):
        for option in definition.get(key, []):
            if option.get("properties"):
                return option
    return definition


def fields_markdown() -> str:
    from drafter.schema import facts_schema

    schema = facts_schema()
    defs: dict[str, Any] = schema.get("$defs", {})
    out = [HEADER, f"## 事实文件（{schema.get('title', '')}）", "",
           _cell(schema.get("description", "")), "", *_table(schema, defs)]  # fmt: skip
    for name in sorted(defs, key=lambda n: defs[n].get("title", n)):
        definition = defs[name]
        out += ["", f"## {definition.get('title', name)}（`{name}`）", ""]
        if definition.get("description"):
            out += [_cell(definition["description"]), ""]
        obj = _object_of(definition)
        table = _table(obj, defs)
        if table:
            out += table
        else:
            out.append(f"类型：{_cell(_kind(definition, defs))}")
    return "\n".join(out).rstrip() + "\n"


def main() -> None:
    DOC.write_text(fields_markdown(), encoding="utf-8")
    print(f"wrote {DOC}")


if __name__ == "__main__":
    main()
