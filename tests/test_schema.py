"""`drafter schema`: the JSON Schema editors check facts files with. It accepts what the
loader accepts (every sample, the short forms) and rejects what the loader rejects."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import MINIMAL_FACTS, SAMPLES

from drafter.errors import FactsError
from drafter.facts.load import load_facts
from drafter.schema import facts_schema

CJK = re.compile(r"[\u4e00-\u9fff]")


class EditorLoader(yaml.SafeLoader):
    """YAML as an editor's language server reads it: YAML 1.2 has no timestamps, so dates
    stay strings; `!stale` (see README) is configured as a custom tag and reads as its value."""


EditorLoader.yaml_implicit_resolvers = {
    key: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _untagged(loader: EditorLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)


EditorLoader.add_constructor("!stale", _untagged)


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = facts_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def errors(validator, text: str) -> list[str]:
    data = yaml.load(text, EditorLoader)  # a SafeLoader: no Python objects
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in
            validator.iter_errors(data)]  # fmt: skip


SAMPLE_FILES = sorted(SAMPLES.glob("*/*.yaml"))


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.parent.name)
def test_every_sample_validates(validator, path):
    assert errors(validator, path.read_text(encoding="utf-8")) == []


SHORT_FORMS = """\
district: 江北区
government: 重庆市江北区人民政府
year: 2022
addressee: false
notice: {title: 关于开展评价的通知}
date: 2022年12月13日
metrics:
  毛入园率: 124.6%
  经费: 9,245,154.23元
  学校数: 132
  人数: {value: '1,234', unit: 人, previous: 1200}
  生均: {ratio: [经费, 人数], unit: 元}
basic_info: 我区位于……，学前三年毛入园率达{{ m.毛入园率 }}。
achievements:
  - title: 主要做法
    children:
      - title: 加强党的领导
        text: 毛入园率达{{ m.毛入园率 }}，同比{{ m.人数.change }}。
plans:
  - title: 深化改革
    text: [第一段。, 第二段。]
    points: [加强领导, 完善制度]
problems:
  - title: 问题一
    causes: {lead: 原因是，, points: [一, 二]}
    measure: {title: 措施一, text: 措施。}
closing: 特此报告。
"""


def test_short_forms_validate_as_the_loader_accepts_them(validator, tmp_path):
    assert errors(validator, SHORT_FORMS) == []
    path = tmp_path / "f.yaml"
    path.write_text(SHORT_FORMS, encoding="utf-8")
    load_facts(path)  # the loader agrees


@pytest.mark.parametrize(
    "change",
    [
        ("  毛入园率: 124.6%", "  毛入园率: 62.7 万人"),
        ("  毛入园率: 124.6%", "  毛入园率: 15.67 亿 元"),
        ("  毛入园率: 124.6%", "  毛入园率: ' +1,234 人 '"),
        ("date: 2022-12-13", "date: 2022 年 12 月 13 日"),
    ],
)
def test_loosely_spaced_short_forms_validate_as_the_loader_reads_them(validator, tmp_path, change):
    text = MINIMAL_FACTS.replace(*change)
    assert text != MINIMAL_FACTS
    assert errors(validator, text) == []
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    load_facts(path)  # the loader agrees


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (("year: 2022", "year: 二〇二二年"), "year: "),
        (("district: 江北区", "district: [江北区]"), "district: "),
        (("date: 2022-12-13", "date: 明年"), "date: "),
        (("  毛入园率: 124.6%", "  毛入园率: 很高"), "metrics.毛入园率: "),
        (("  毛入园率: 124.6%", "  毛入园率: {value: 1, unti: '%'}"), "metrics.毛入园率: "),
        (("notice:\n", "notise:\n"), ": Additional properties are not allowed ('notise' was"),
        (("      - title: 加强党的领导", "      - title: [加强党的领导]"), "achievements: "),
    ],
)
def test_wrong_types_are_rejected_as_the_loader_rejects_them(validator, tmp_path, change, error):
    text = MINIMAL_FACTS.replace(*change)
    assert text != MINIMAL_FACTS
    (found,) = errors(validator, text)  # "path: message", path "" for the top level
    assert found.startswith(error), found
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FactsError):
        load_facts(path)


def walk(schema: Any, path: str = ""):
    """Every (path, subschema) that has properties."""
    if isinstance(schema, dict):
        if "properties" in schema:
            yield path, schema
        for key, value in schema.items():
            yield from walk(value, f"{path}/{key}")
    elif isinstance(schema, list):
        for index, value in enumerate(schema):
            yield from walk(value, f"{path}/{index}")


def test_every_field_and_definition_has_a_chinese_title_and_description():
    schema = facts_schema()
    for name, definition in [("", schema), *schema["$defs"].items()]:
        assert CJK.search(definition["title"]) and CJK.search(definition["description"]), name
    for path, holder in walk(schema):
        for key, prop in holder["properties"].items():
            assert CJK.search(prop.get("title", "")), f"{path}/{key}"
            assert CJK.search(prop.get("description", "")), f"{path}/{key}"


def test_schema_command_writes_the_schema(cli, tmp_path):
    code, printed, _ = cli("schema")
    assert code == 0
    assert json.loads(printed) == facts_schema()
    out = tmp_path / "facts.schema.json"
    out.write_text("old", encoding="utf-8")  # not a schema drafter wrote: kept (issue 15)
    code, _, err = cli("schema", "-o", out)
    assert code == 1 and "不是 drafter 生成的 schema" in err
    assert out.read_text(encoding="utf-8") == "old"
    out.write_text(printed.replace("区县政府", "旧的"), encoding="utf-8")  # an older one: updated
    code, said, _ = cli("schema", "-o", out)
    assert code == 0 and f"已生成：{out}" in said
    assert out.read_text(encoding="utf-8") == printed
    assert "区县政府" in printed and "\\u" not in printed  # Chinese, unescaped
    assert not list(Path(tmp_path).glob(".*.tmp"))  # written atomically, nothing left behind
