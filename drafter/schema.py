"""The JSON Schema of a facts file, for editors that complete and check YAML as staff type.

Built from the pydantic model (`Facts.model_json_schema()`, whose fields carry Chinese
titles and descriptions), then widened where the loader accepts more than the model's
plain shape: metrics as `124.6%` or `15.67亿元`, a section as a bare list of items or one
paragraph, prose as one string or a list, 一是二是 points as a bare list, dates as
2021年7月23日, `addressee: false`. The model classes' English docstrings are replaced by
the Chinese texts below, since editors show them on hover.
"""

from __future__ import annotations

from typing import Any, get_args

from pydantic import BaseModel

from drafter.facts import models
from drafter.facts.models import Facts

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

# $defs name (the model class) → its Chinese title and description. A model added to
# drafter/facts/models.py needs a line here (tests/test_schema.py checks that it has one).
DEFINITIONS: dict[str, tuple[str, str]] = {
    "Metric": ("指标", "正文引用的一个数字：写作 91.5%、15.67亿元、9,245,154.23元，"
               "或写成 {value: 数值, unit: 单位, previous: 上年数值}"),
    "Target": ("年度目标", "年度工作计划中可度量的目标：原文、出处、指标和条件"),
    "Deduction": ("扣分测评点", "扣了分的测评点：名称、扣分和原因"),
    "Bonus": ("加分", "加分指标或加分事项及其得分"),
    "Assessment": ("测评点自评", "按测评点扣分、加分的自评（如浙江方案）"),
    "Score": ("指标分值", "指标的满分（max）和自评分（self）"),
    "Enumeration": ("列举", "在同一段中以“一是……二是……”列举的要点；可直接写成要点列表"),
    "Item": ("条目", "一个条目：小标题（不含序号）、正文、列举、分值和下级条目"),
    "Problem": ("问题", "一个问题：小标题、正文、原因（causes）和改进措施（measure）"),
    "Part": ("部分", "一个部分的事实：开头段落（text）和条目（items）；"
             "也可直接写成条目列表，或只写一段文字"),
    "ProblemPart": ("存在问题", "开头段落（text）和逐条问题（items）；也可直接写成问题列表"),
    "Notice": ("评价通知", "上级的评价通知：发文机关、标题和文号"),
    "ImportNote": ("导入待核对", "drafter import 未能确定的一处：所涉字段、说明和原文位置；"
                   "核对后删去"),
}  # fmt: skip

# What the loader accepts beyond the model's own shape: its own patterns (drafter/facts/
# models.py; their syntax is also ECMA-262's, the JSON Schema regex dialect).
METRIC_TEXT = models.METRIC_TEXT.pattern  # 124.6%  15.67 亿元  9,245,154.23元
NUMBER_TEXT = r"^\s*[+-]?\d[\d,]*(\.\d+)?\s*$"  # a value written as text, commas allowed
DATE_TEXT = models.DATE_TEXT.pattern  # 2021年7月23日
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
_PARAGRAPHS_VALIDATOR = get_args(models.Paragraphs)[1]


def facts_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a facts file."""
    schema = Facts.model_json_schema()
    defs: dict[str, Any] = schema["$defs"]
    for name, definition in [("Facts", schema), *defs.items()]:
        model = getattr(models, name, None)
        if isinstance(model, type) and issubclass(model, BaseModel):
            _widen_paragraphs(model, definition)
        if name in DEFINITIONS:
            definition["title"], definition["description"] = DEFINITIONS[name]

    _widen_metric(defs)
    for name, item in (("Part", "Item"), ("ProblemPart", "Problem")):
        defs[name] = _one_of_short_forms(
            defs[name],
            {"type": "array", "items": {"$ref": f"#/$defs/{item}"}},
            {"type": "string"},
        )
    defs["Enumeration"] = _one_of_short_forms(
        defs["Enumeration"], {"type": "array", "items": {"type": "string"}}
    )
    properties = schema["properties"]
    # Editors need not check "format": the patterns say what the loader reads.
    properties["date"]["anyOf"] = [
        {"type": "string", "format": "date", "pattern": ISO_DATE},
        {"type": "string", "pattern": DATE_TEXT},
        {"type": "null"},
    ]
    properties["addressee"]["anyOf"].append({"const": False})
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "履行教育职责情况自评报告·事实文件",
        "description": "一个区（县）一个年度自评报告的全部事实（drafter 事实文件）",
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }


def _widen_paragraphs(model: type[BaseModel], definition: dict[str, Any]) -> None:
    """Prose fields take one string (split at line breaks) or a list of paragraphs."""
    for name, info in model.model_fields.items():
        if _PARAGRAPHS_VALIDATOR not in info.metadata:
            continue
        key = info.alias or name
        prop = definition["properties"][key]
        as_list = {"type": "array", "items": {"type": "string"}}
        definition["properties"][key] = {
            **{k: v for k, v in prop.items() if k not in ("type", "items")},
            "anyOf": [{"type": "string"}, as_list, {"type": "null"}],
        }


def _widen_metric(defs: dict[str, Any]) -> None:
    metric = defs["Metric"]
    for key in ("value", "previous"):
        prop = metric["properties"][key]
        prop["anyOf"] = [{"type": "number"}, {"type": "string", "pattern": NUMBER_TEXT},
                         {"type": "null"}]  # fmt: skip
    defs["Metric"] = _one_of_short_forms(
        metric, {"type": "number"}, {"type": "string", "pattern": METRIC_TEXT}
    )


def _one_of_short_forms(definition: dict[str, Any], *short: dict[str, Any]) -> dict[str, Any]:
    """The full mapping or any of its short forms, with the mapping's title on top."""
    full = {k: v for k, v in definition.items() if k not in ("title", "description")}
    return {
        "title": definition.get("title"),
        "description": definition.get("description"),
        "anyOf": [*short, full],
    }
