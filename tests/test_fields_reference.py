"""docs/fields.md is the schema's field reference, regenerated: every field of every part
is described in Chinese, and the file is exactly what the generator writes now."""

from __future__ import annotations

from conftest import REPO

from drafter.fields_reference import DOC, fields_markdown
from drafter.schema import facts_schema


def test_the_reference_is_up_to_date():
    assert DOC == REPO / "docs" / "fields.md"
    assert DOC.read_text(encoding="utf-8") == fields_markdown(), (
        "docs/fields.md 已过时：请运行 python3 -m drafter.fields_reference"
    )


def test_every_field_is_listed_with_its_chinese_title():
    text = DOC.read_text(encoding="utf-8")
    schema = facts_schema()
    objects = [schema, *schema["$defs"].values()]
    objects += [o for d in schema["$defs"].values() for k in ("anyOf", "oneOf")
                for o in d.get(k, []) if o.get("properties")]  # fmt: skip
    checked = 0
    for obj in objects:
        for name, node in obj.get("properties", {}).items():
            assert f"| `{name}` | {node.get('title', '')} |" in text, name
            checked += 1
    assert checked >= 60
    assert "drafter/facts/models.py" not in text  # Chinese prose, not a pointer to code
