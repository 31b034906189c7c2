"""The facts of one district's report for one year, as validated data.

Facts say what happened; the structure profile says what the report looks like and the
section templates say how each part reads. Every field carries a Chinese title and
description: they are the error messages' and the JSON Schema's vocabulary.

Prose fields may refer to metrics and computed figures with Jinja expressions, e.g.
"学前三年毛入园率达{{ m.学前三年毛入园率 }}", so that next year's numbers flow into last
year's sentences (see drafter/prose.py).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from drafter import model_cache
from drafter.facts.base import Paragraphs, Strict
from drafter.facts.metric_models import (
    DATE_TEXT,
    METRIC_TEXT,
    Assessment,
    Bonus,
    Deduction,
    Metric,
    Rule,
    Target,
)

__all__ = [
    "DATE_TEXT", "METRIC_TEXT", "Assessment", "Bonus", "Deduction", "Metric", "Rule",
    "Target",
]  # the figures' models live in metric_models.py; imported from here as before


def _false_as_empty(value: Any) -> Any:
    """`false` means "there is none" (e.g. no 文号, no 主送机关), not a missing fact."""
    return "" if value is False else value


OffText = Annotated[str | None, BeforeValidator(_false_as_empty)]


def _wenhao(value: str | None) -> str | None:
    """A 发文字号 as the lint checks one (its rule, not a copy): a 文号 whose year brackets
    are broken or lost is refused; other brackets around the year (（2023）) are accepted and
    drafted as 〔2023〕, like every 文号 in a draft."""
    if value is None:
        return None
    from drafter.lint_checks import extra_findings
    from drafter.typography import check, normalise

    text = value.strip()
    for finding in (*check(text), *extra_findings(text)):
        if finding.kind == "broken_wenhao":
            raise ValueError(finding.message)
    if "〔" not in normalise(text):
        raise ValueError(f"“{text}”不是发文字号：应写作“机关代字〔年份〕序号号”，"
                         "如“X政办函〔2023〕12号”")
    return text


LetterNumber = Annotated[str | None, AfterValidator(_wenhao)]


# --------------------------------------------------------------------------- items


class Score(Strict):
    """An indicator's full marks and the self-assessed score."""

    max: Decimal = Field(title="分值", description="该指标的满分")
    self_score: Decimal | None = Field(
        None, alias="self", title="自评分", description="自评得分；有下级指标时可不填，由下级相加"
    )
    bonus: bool = Field(
        False, title="加分项",
        description="加分指标：分值不计入满分（scores.max），自评分计入总分（scores.total）",
    )  # fmt: skip

    @model_validator(mode="after")
    def _not_above_max(self) -> Score:
        if self.max < 0 or (self.self_score is not None and self.self_score < 0):
            raise ValueError("分值和自评分不能为负数")
        if self.self_score is not None and self.self_score > self.max:
            raise ValueError(f"自评分 {self.self_score} 高于分值 {self.max}")
        return self


class Enumeration(Strict):
    """Points written one after another in one paragraph: 一是……；二是……。"""

    lead: str = Field("", title="引语", description="列举之前的话，如“产生问题的原因是多方面的，”")
    points: list[str] = Field(
        title="要点", description="逐条要点；“一是”“二是”由模板生成，不要手写"
    )

    @model_validator(mode="before")
    @classmethod
    def _from_list(cls, data: Any) -> Any:
        return {"points": data} if isinstance(data, list) else data


class Item(Strict):
    """One piece of work or result: a heading, its prose, an optional score, and sub-items."""

    title: str | None = Field(
        None, title="标题", description="小标题，不含序号（序号自动生成），句末不必加句号"
    )
    score: Score | None = Field(None, title="指标分值", description="按指标组织时的分值和自评分")
    text: Paragraphs = Field(default_factory=list, title="正文", description="一段或多段正文")
    points: Enumeration | None = Field(
        None, title="列举", description="在同一段中以“一是……二是……”列举的要点"
    )
    children: list[Item] = Field(default_factory=list, title="下级条目", description="下一级条目")


class Problem(Item):
    """A problem found in the self-evaluation, with its causes and the measure that answers it."""

    causes: Enumeration | None = Field(
        None, title="原因", description="问题产生的原因，逐条列举"
    )
    measure: Item | None = Field(
        None, title="改进措施", description="针对这个问题的改进措施（与问题一一对应）"
    )


class Part(Strict):
    """The facts of one section: paragraphs directly under its heading, then items."""

    text: Paragraphs = Field(default_factory=list, title="导语", description="本部分开头的段落")
    items: list[Item] = Field(default_factory=list, title="条目", description="本部分的条目")

    @model_validator(mode="before")
    @classmethod
    def _short_forms(cls, data: Any) -> Any:
        if isinstance(data, list):
            if data and all(isinstance(d, str) for d in data):
                return {"text": data}  # paragraphs directly under the part
            if any(isinstance(d, str) for d in data):
                raise ValueError(
                    "列表中既有段落又有条目：本部分开头的段落请写在 text: 下，条目写在 items: 下"
                )
            return {"items": data}
        if isinstance(data, str):
            return {"text": data}
        return data

    def __bool__(self) -> bool:
        return bool(self.text or self.items)


class ProblemPart(Part):
    """The problems section: each problem may carry its causes and its measure."""

    items: list[Problem] = Field(default_factory=list, title="问题", description="逐条问题")


class ImportNote(Strict):
    """Something `drafter import` could not decide on its own, for a person to review."""

    field: str = Field(
        title="字段", description="所涉及的字段，如 achievements.items.0.text；空为整份报告"
    )
    note: str = Field(title="说明", description="导入时未能确定或需要核对的内容")
    source: str | None = Field(None, title="原文位置", description="原文件中的位置，如“第12段”")


class Notice(Strict):
    """The evaluation notice the report answers to."""

    issuer: str | None = Field(
        None,
        title="发文机关",
        description="书名号之外写出的发文机关，如“重庆市人民政府教育督导委员会”",
    )
    title: str | None = Field(None, title="通知标题", description="书名号内的通知全称")
    number: OffText = Field(
        None, title="文号", description="如 津教督导室〔2021〕40号；写 false 表示通知没有文号"
    )
    quoted: bool = Field(
        True, title="书名号", description="标题是否加书名号；false：如“市政府教育督导室工作安排”"
    )


# --------------------------------------------------------------------------- the report


def _date(value: Any) -> Any:
    """Accept 2021-07-23 (a YAML date) or 2021年7月23日."""
    if isinstance(value, str):
        match = DATE_TEXT.match(value)
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                raise ValueError(f"“{value}”不是有效的日期（月 1–12，日不超过当月天数）") from None
    return value


class Facts(Strict):
    """一个区（县）一个年度自评报告的全部事实。"""

    profile: str = Field(
        "default", title="结构方案", description="sections/ 中的结构方案名，决定报告有哪些部分"
    )
    district: str = Field(title="区县", description="区县名称，如“江北区”")
    government: str = Field(title="区县政府", description="如“重庆市江北区人民政府”")
    issuer: str | None = Field(
        None, title="落款", description="落款的发文机关署名；不填则用区县政府名称"
    )
    city: str | None = Field(None, title="所属市", description="如“重庆市”")
    province: str | None = Field(None, title="所属省", description="如“辽宁省”")
    year: int = Field(title="年度", ge=1990, le=2100, description="报告所属年度，与文件名一致")
    period: str | None = Field(
        None,
        title="评价期间",
        description="标题中的期间，如“2020年”“2021年以来”；不填则为“<年度>年”",
    )
    title: str | None = Field(
        None, title="标题", description="报告标题；不填则按结构方案由区县政府和期间生成"
    )
    title_lines: list[str] | None = Field(
        None, title="标题分行", description="手工指定标题的分行；不填则按词意自动分行"
    )
    letter_number: LetterNumber = Field(
        None, title="发文字号",
        description="以函报送时本函自己的发文字号，如“X政办函〔2023〕12号”（年份用六角括号"
        "〔〕）；结构方案设置了 letter_number 时写在标题之上",
    )  # fmt: skip
    addressee: OffText = Field(
        None, title="主送机关", description="如“市政府教育督导室”；写 false 表示不写主送机关"
    )
    notice: Notice = Field(default_factory=Notice, title="评价通知", description="上级的评价通知")
    notices: list[Notice] = Field(
        default_factory=list, title="评价通知（多个）",
        description="开头段落引用几个文件时逐个列出（代替 notice）",
    )  # fmt: skip
    date: Annotated[dt.date | None, BeforeValidator(_date)] = Field(
        None, title="成文日期", description="如 2021-07-23 或 2021年7月23日"
    )
    targets: list[Target] = Field(
        default_factory=list,
        title="年度目标",
        description="年度工作计划中可度量的目标；drafter check 逐条判断达成、未达成或无法判断",
    )
    assessment: Assessment | None = Field(
        None, title="测评点自评", description="按测评点扣分、加分的自评（如浙江方案）"
    )
    metrics: dict[str, Metric] = Field(
        default_factory=dict, title="指标数据", description="正文引用的数字，写作 {{ m.指标名 }}"
    )
    headings: dict[str, str] = Field(
        default_factory=dict,
        title="部分标题",
        description="按部分编号覆盖结构方案中的标题，如 basic_info: 吴兴经济社会及教育基本概况",
    )
    preamble: Paragraphs = Field(
        default_factory=list,
        title="开头",
        description="开头段落；可用 {{ notice_cite }} 引用通知名称和文号；不填则用模板默认写法",
    )
    overview: Part = Field(default_factory=Part, title="总体情况", description="总体自查情况")
    basic_info: Part = Field(
        default_factory=Part, title="基本情况", description="基本情况、统计数据"
    )
    achievements: Part = Field(
        default_factory=Part, title="主要做法及成效", description="按组、条、小条组织的做法和成效"
    )
    experience: Part = Field(default_factory=Part, title="经验做法", description="主要经验做法")
    problems: ProblemPart = Field(
        default_factory=ProblemPart,
        title="存在问题",
        description="存在的问题，每条可带原因和改进措施",
    )
    plans: Part = Field(default_factory=Part, title="下一步工作打算", description="下一步工作打算")
    closing: Paragraphs = Field(
        default_factory=list, title="结束语", description="落款前的结束段落"
    )
    parts: dict[str, Part] = Field(
        default_factory=dict, title="其他部分",
        description="结构方案新增的部分的事实，按部分编号，如 lessons: {text: …, items: […]}",
    )  # fmt: skip
    import_notes: list[ImportNote] = Field(
        default_factory=list,
        title="导入待核对",
        description="drafter import 未能确定、需要人工核对的地方；drafter check 逐条列出，"
        "核对后删去该条",
    )

    @model_validator(mode="after")
    def _one_notice_field(self) -> Facts:
        if self.notices and self.notice.model_fields_set:
            raise ValueError("notice 和 notices 只能写一个：引用几个文件时都写在 notices 中")
        return self

    @property
    def signer(self) -> str:
        return self.issuer or self.government

    @property
    def period_text(self) -> str:
        return self.period or f"{self.year}年"


# The models validated on their own: Facts, and those built as defaults or by the web editor.
model_cache.install(__name__, Facts, Notice, Part, ProblemPart, Metric, Score)
