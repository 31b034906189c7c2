"""Layout settings of a structure profile: how each heading level, score annotation and
一是……二是…… enumeration is written, and a 函's own 发文字号 line above the title. Every
setting defaults to the shipped behaviour; `resolve_levels` fills in what a profile leaves
open, so templates read final values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from drafter import model_cache

Ending = Literal["。", "none", "own"]
HeadingLevel = Annotated[int, Field(ge=2, le=4)]

# The shipped score annotations: （63分，自评得分61.6分） on a group, （5分，自评分5分） below.
GROUP_SCORE = "（{{ max }}分，自评得分{{ self }}分）"
ITEM_SCORE = "（{{ max }}分，自评分{{ self }}分）"
MAX_ONLY = "（{{ max }}分）"


class Level(BaseModel):
    """How the headings of one level (2 （一）, 3 1., 4 （1）) are written."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    run_in: bool | None = Field(
        None, title="接排",
        description="true：标题与第一段正文接排（“1.标题。正文……”）；false：标题单独成行。"
        "不填：二级单独成行，三、四级按部分的 run_in（带分值的标题单独成行）",
    )  # fmt: skip
    ending: Ending | None = Field(
        None, title="标题句末",
        description="“。”：标题末尾加句号（已有句末标点的不加）；none：去掉标题末尾的句号等；"
        "own：按事实文件中的写法。不填：二级 own，三、四级“。”",
    )  # fmt: skip
    untitled: Literal["text", "number"] = Field(
        "text", title="无标题条目",
        description="没有标题的条目：text 只写正文（不编号）；number 写序号后接正文（“1.正文……”）",
    )  # fmt: skip
    continuous: bool | None = Field(
        None, title="连续编号",
        description="true：序号跨上级标题连续编排；false：每个上级标题下从1重新编号",
    )  # fmt: skip
    score: str | Literal[False] | None = Field(
        None, title="分值写法",
        description="标题后的分值，可用 {{ max }}（分值）、{{ self }}（自评分）、"
        "{{ deducted }}（扣分）；false：这一级不写分值。"
        f"不填：一、二级“{GROUP_SCORE}”，三、四级“{ITEM_SCORE}”",
    )  # fmt: skip
    score_without_self: str | Literal[False] | None = Field(
        None, title="无自评分时的写法",
        description=f"还没有自评分时的分值写法；不填为“{MAX_ONLY}”；false：不写",
    )  # fmt: skip
    score_position: Literal["after", "before"] = Field(
        "after", title="分值位置",
        description="after：分值在标题句末标点之后（“标题。（5分）”）；before：之前（“标题（5分）。”）",
    )  # fmt: skip


class Enumerate(BaseModel):
    """How points are enumerated: 一是……；二是……。 in one paragraph, or one paragraph each."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    layout: Literal["inline", "paragraphs"] = Field(
        "inline", title="列举方式",
        description="inline：在同一段中接排（一是……；二是……。）；paragraphs：每点一段",
    )  # fmt: skip
    ordinal: str | list[str] = Field(
        "{n}是", title="序词",
        description="每点前的词：含 {n} 的写法（{n} 为一、二、三……），如“{n}是”“第{n}，”；"
        "或逐个列出，如 [首先，, 其次，, 最后，]",
    )  # fmt: skip

    @field_validator("ordinal")
    @classmethod
    def _has_number(cls, value: str | list[str]) -> str | list[str]:
        if isinstance(value, str) and "{n}" not in value:
            raise ValueError("序词应含 {n}（如“{n}是”），或逐个列出序词的列表")
        if isinstance(value, list) and not value:
            raise ValueError("序词列表不能为空")
        return value

    def word(self, index: int) -> str:
        """The ordinal of the index-th point (1-based)."""
        from drafter.numbering import chinese_number

        if isinstance(self.ordinal, list):  # more points than words: the last word again
            return self.ordinal[min(index, len(self.ordinal)) - 1]
        return self.ordinal.replace("{n}", chinese_number(index))


class LetterNumber(BaseModel):
    """A 函 from the government office: its own 发文字号 (the facts' `letter_number`) on a
    line above the title. Where that line stands is the province's 来文's (not stated here
    from GB/T 9704: its 信函格式 text was not found in an official source), so it is set."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    align: Literal["居中", "居右"] = Field(
        "居右", title="位置",
        description="发文字号行的位置：居右（靠版心右边缘）或居中；请按本省来文（上级的通知、"
        "函）中发文字号的位置设置",
    )  # fmt: skip

    @property
    def alignment(self) -> Literal["center", "right"]:
        """The Word paragraph alignment (document.py's `letter_number`)."""
        return "center" if self.align == "居中" else "right"


def _letter_number_setting(value: object) -> object:
    """`letter_number: true` is the setting with its defaults, `letter_number: 居中` short
    for `{align: 居中}`; `false` (read as None) turns off one that an extended profile sets."""
    if value is True:
        return {}
    if value is False:
        return None
    return {"align": value} if isinstance(value, str) else value


# The profile's `letter_number:` as written: a mapping, 居右/居中, true (the defaults) or false.
LetterNumberSetting = Annotated[LetterNumber | None, BeforeValidator(_letter_number_setting)]


def inherit_letter_number(base: LetterNumber | None, layer: BaseModel) -> LetterNumber | None:
    """The letter-number setting after a profile layer that may write `letter_number:`
    (a mapping replaces the inherited one, `false` removes it)."""
    if "letter_number" not in layer.model_fields_set:
        return base
    return getattr(layer, "letter_number", None)


def check_level_keys(value: object) -> object:
    """`levels` may only set levels 2–4 (level 1 is the section heading)."""
    if isinstance(value, dict):
        for key in value:
            if str(key) not in ("2", "3", "4"):
                raise ValueError(
                    f"标题层级“{key}”不可用：levels 只能设置 2（（一））、3（1.）、4（（1））级"
                )
    return value


@dataclass(frozen=True)
class LevelLayout:
    """A level's settings with every default filled in: what the templates follow."""

    run_in: bool
    run_in_scored: bool  # an explicit `run_in: true` runs in a scored heading too
    ending: Ending
    untitled: Literal["text", "number"]
    score: str | Literal[False]
    score_without_self: str | Literal[False]
    score_position: Literal["after", "before"]


def resolve_level(level: int, own: Level | None, run_in: bool = True) -> LevelLayout:
    """`own`: the profile's settings for this level; `run_in`: the section's legacy
    `run_in` (levels 3–4 run in unless it is false)."""
    given = own or Level()
    return LevelLayout(
        run_in=(level >= 3 and run_in) if given.run_in is None else given.run_in,
        run_in_scored=given.run_in is True,
        ending=given.ending or ("own" if level <= 2 else "。"),
        untitled=given.untitled,
        score=(GROUP_SCORE if level <= 2 else ITEM_SCORE) if given.score is None else given.score,
        score_without_self=MAX_ONLY if given.score_without_self is None
        else given.score_without_self,
        score_position=given.score_position,
    )


def merge_levels(*layers: dict[int, Level]) -> dict[int, Level]:
    """Per-level settings of several layers (profile-wide, then a section's); a field given
    in a later layer wins."""
    out: dict[int, Level] = {}
    for layer in layers:
        for level, style in layer.items():
            base = out.get(level)
            out[level] = (
                base.model_copy(update=style.model_dump(exclude_unset=True)) if base else style
            )
    return out


model_cache.install(__name__, Level, Enumerate, LetterNumber)
