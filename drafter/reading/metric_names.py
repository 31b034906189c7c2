"""Names for figures lifted from prose (drafter/reading/metrics.py): the words around a
figure → a readable Chinese metric name that works as `m.名称`.

Rules, in order (best effort; a person reviews every name in the facts file):

1. The words before the figure in its clause (cut at ，。；：、（） quotes, a 书名号 and the
   previous figure) are the subject: "学前三年毛入园率达到91.5%" → 学前三年毛入园率.
2. Leading function words are dropped (截至目前 全区 我区 其中 含 共 累计 年 …), then trailing
   verbs and particles (达到 达 为 是 有 约 计 了 的 …), repeatedly.
3. "…占…": the words before 占 (or, when none, the subject of the previous figure in the
   sentence) + 占比: "交流教师168人，占…的13%" → 交流教师占比.
4. A short part after 其中/含 is joined to the previous figure's subject:
   "招生1354人，其中扶贫班79人" → 扶贫班招生人数; "幼儿园79所（含民办51所）" → 民办幼儿园数.
5. When the words before are only a verb (投入 召开 更换了 新增 …) or nothing, the noun after
   the unit is used: "为50所学校1264间教室" → 学校数, 教室数; a verb is kept in front
   (新增4所示范学校 → 新增示范学校数).
6. A suffix from the unit is added unless the name already ends with a measure word
   (率 比例 数 额 经费 学位 …): 人/名 → 人数 (学生/教师… → 数), 所/个/间… → 数,
   元/万元 → 金额, % → 比例, 平方公里 → 面积, 次 → 次数.
7. Names keep only Chinese characters, letters, digits and _, at most 16 characters (the
   tail is kept: the head noun is at the end of a Chinese noun phrase).
A name that is not a Python identifier is written `m["名称"]`.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterator
from functools import lru_cache

MAX_NAME = 16
_JINJA_WORDS = {"true", "false", "none", "and", "or", "not", "in", "is", "if", "else"}


def words(text: str) -> list[str]:
    return text.split()


# Dropped from the front of a subject, longest first.
LEADING = sorted(
    words("""截至目前 截止目前 截至 截止 目前 现已 现有 全区 我区 全县 我县 全市 我市 辖区内 区域内
    区内 其中 共计 共有 总计 合计 累计 共 年度 全年 今年 当年 本年 年底 年 已经 已达到 已达 已
    另有 另外 另 并 含 包括 分别 实现 计划 预计 力争 截至年底 达到 为 对 给 向 与 还 又 将 按照 依据
    根据 以及 和 落实 上半年 下半年"""),
    key=len,
    reverse=True,
)
# Dropped from the end of a subject, longest first.
TRAILING = sorted(
    words("""达到了 达到 已达 可达 高达 达 为 是 占 有 拥有 约 近 超过 超 逾 了 的 分别为 分别 至
    到 增至 降至 提高到 提高至 提升到 提升至 共计 共有 合计 累计 总计 共 现有 未达到 未达
    不低于 不少于
    不超过 低于 高于 控制在 保持在 稳定在 仅 只有 已 由 从 在 等 我区 全区 每周 每年 每月 每天
    每学期 為 達 達到 佔"""),
    key=len,
    reverse=True,
)
# Set lookups of a word's head or tail replace a loop of startswith/endswith per word:
# the longest word that fits is the first one of the lists above.
_LEADING_SET, _TRAILING_SET = set(LEADING), set(TRAILING)
_LEADING_MAX, _TRAILING_MAX = len(LEADING[0]), len(TRAILING[0])
# A subject that is only one of these is a verb phrase: the noun after the unit names it.
VERBS = set(
    words("""投入 投资 召开 开展 完成 更换 购置 新增 新建 扩建 建成 培育 打造 组建 选派 评选
    评比出 出动 下发 排查 整改 关停 资助 补助 设立 启动 推进 举办 承办 获 获得 入选 签订 覆盖
    带领 落实 开发
    汇聚 培训 组织 选拔 推荐 创成 创建 认定 转评认定 设置 配备 安装 接入 提拔 调整 调整充实 征求
    储备 实施 建设 改造 开设 增设 走进 讲授 讲 引进 招聘 聘用 发放 拨付 安排 支出 筹集 化解
    新设立 启用 搭建 拥有 有 达 上报 抽测 开齐 开办 增加 推进 重点打造 现有 设有 共有""")
)
_VERB_MAX = max(map(len, VERBS))
# Words that end the noun after a unit.
_AFTER_STOPS = re.compile(
    "的|被|在|获|参与|参加|与|和|及|等|对|为|向|给|将|把|从|由|进行|开展|实现|完成|安装|接入|"
    "讲授|签订|通过|顺利|成功|全部|已|均|共同|带领|入选|达|实行|开设|走进|设立|更换|进|"
    "实施|开通|食堂升|升|结对|改善|用于|资助|补助|参评|报名|获奖|交流|得|评为|被评"
)
_IN_NOUN = re.compile("在[建校园籍学读]")
_AFTER_MAX = 14

# A name ending with one of these already says what it counts.
_MEASURES = (
    "数", "率", "比", "比例", "额", "量", "学位", "面积", "人口", "经费", "资金", "投入", "投资",
    "标准", "人次", "规模", "费", "款", "支出", "收入", "预算", "补助", "时长", "幅", "增幅",
    "降幅", "课时", "学时", "值",
)  # fmt: skip
_PEOPLE_NOUNS = ("生", "师", "员", "童", "儿", "部", "工", "人", "者", "领导", "校长", "家长")
_MONEY = ("元", "万元", "亿元", "元/生", "元/人")
_RATES = ("%", "％", "‰")
_PEOPLE = ("人", "名", "位", "人次")
_TIMES = ("次", "场")
_AREAS = ("平方米", "平方公里", "亩")
_DURATIONS = ("小时", "天", "课时", "学时", "个月")

# 同比 较上年度 … before a change verb (a lone 比 not in 占比).
COMPARATOR = re.compile(
    r"(同比|较上一?年度?|比上一?年度?|较去年|比去年|与上年相比|较同期|较|(?<![占对之])比)$"
)
_NON_NAME = re.compile(r"[^\w]|[0-9０-９]")  # name characters: CJK, letters, _; no digits
_QUOTES = re.compile("[“”]")
_CLAUSE_END = re.compile(r"[，,、：:；;。（）()]")
_STANDARD = re.compile(r"^的?标准")
_PART_OF = re.compile(r"^\s*(其中|含|包括)")
_LIST_END = re.compile(r"(等|和|及|与|以及)$")
_TOTAL_END = re.compile("(共计|共有|总计|合计)$")


def base_unit(unit: str) -> str:
    """The unit without 余/多 and the 万/亿 in front of a count: 余万元 → 万元, 万余人 → 人."""
    core = unit.replace("余", "").replace("多", "")
    if core.startswith(("万", "亿")) and core[1:] and core not in _MONEY:
        core = core[1:]
    return core


def suffix_for(unit: str) -> str:
    core = base_unit(unit)
    if core in _RATES:
        return "比例"
    if core == "个百分点":
        return "幅度"
    if core in _MONEY or core.endswith("元"):
        return "金额"
    if core in _PEOPLE:
        return "人数" if core != "人次" else "人次"
    if core in _TIMES:
        return "次数"
    if core in _AREAS:
        return "面积"
    if core in _DURATIONS or core in ("万", "亿"):
        return ""
    return "数"


def with_suffix(name: str, unit: str) -> str:
    """Add what the unit counts unless the name already says it."""
    suffix = suffix_for(unit)
    if not suffix or name.endswith(_MEASURES) or name.endswith(suffix):
        return name
    if suffix == "人数" and name.endswith(_PEOPLE_NOUNS) and not name.endswith("招生"):
        return name + "数"
    return name + suffix


@lru_cache(maxsize=8192)
def clean(words: str) -> str:
    """Only name characters (no punctuation, no digits), function words stripped."""
    text = _NON_NAME.sub("", words)
    changed = True
    while changed and text:
        changed = False
        for size in range(min(_LEADING_MAX, len(text) - 1), 0, -1):
            if text[:size] in _LEADING_SET:
                text, changed = text[size:], True
                break
        for size in range(min(_TRAILING_MAX, len(text)), 0, -1):
            if text[-size:] in _TRAILING_SET:
                text, changed = text[:-size], True
                break
        if text in _LEADING_SET or text in _TRAILING_SET:
            return ""
    return text


@lru_cache(maxsize=8192)
def verb_of(words: str) -> str:
    """The verb a subject amounts to (投入, 更换了, 顺利推进 → 推进), or ""."""
    words = words.removesuffix("了")
    for size in range(min(_VERB_MAX, len(words)), 0, -1):  # the longest verb first
        if words[-size:] in VERBS:
            head = words[: len(words) - size]
            if len(head) <= 2 or not clean(head):
                return words[-size:]
    return ""


def is_verb(words: str) -> bool:
    """Is this subject just a verb (投入, 更换, 新增), naming nothing by itself?"""
    return bool(verb_of(words))


def noun_after(after: str) -> str:
    """The noun right after a unit: "学校1264间" → 学校; "中小学校讲授思政课" → 中小学校."""
    after = _QUOTES.sub("", after)  # 7所“公参民”学校 → 公参民学校
    end = _NON_NAME.search(after)
    text = (after[: end.start()] if end else after).removeprefix("的")
    if len(text) == 1 and text == after[:1]:
        return text  # 共139个班，: the whole noun
    first = _AFTER_STOPS.match(text)
    if first is not None and not _IN_NOUN.match(text):
        return ""  # 3人在…: a preposition, not a noun
    stop = _AFTER_STOPS.search(text, 2)
    if stop is not None:
        text = text[: stop.start()]
    return text[:_AFTER_MAX] if len(text) >= 2 else ""


def stem(name: str) -> str:
    """A metric name without what its unit added: 交流教师人数 → 交流教师, 幼儿园数 → 幼儿园."""
    for ending in ("总人数", "人数", "总数", "数量", "数", "金额"):
        if name.endswith(ending) and len(name) > len(ending):
            return name[: -len(ending)]
    return name


def shorten(name: str) -> str:
    return name[-MAX_NAME:]


def reference(name: str, attribute: str = "") -> str:
    """`{{ m.名称 }}`, or `{{ m["名称"] }}` for a name that is not an identifier."""
    plain = name.isidentifier() and not keyword.iskeyword(name) and name not in _JINJA_WORDS
    ref = f"m.{name}" if plain else f'm["{name}"]'
    return f"{{{{ {ref}{'.' + attribute if attribute else ''} }}}}"


def name_figure(
    before: str, after: str, unit: str, last_subject: str, previous: str, clause: str
) -> tuple[str, int]:
    """A figure's name from the words `before` it in its clause and `after` its unit,
    with the subject and the name of the previous figure in its sentence as fallbacks:
    (name, characters of the noun after the unit that the name used); "" for none."""
    end = _CLAUSE_END.search(after)
    after_clause = after[: end.start()] if end else after
    bare = clean(before.replace("占比", ""))
    if _STANDARD.match(after_clause) and previous and not bare:
        return shorten(previous + "标准"), 0
    if "占" in before:
        left = clean(before.rpartition("占")[0])
        subject = left or (stem(previous) if previous else last_subject)
        if subject:
            return shorten(stem(subject) + "占比"), 0
    name = clean(before)
    part_of = _PART_OF.match(clause)
    if part_of and name and previous and len(name) <= 3 and not is_verb(name):
        joined = name + stem(previous)
        if len(joined) <= 12:
            return shorten(with_suffix(joined, unit)), 0
    consumed = 0
    if _LIST_END.search(before):
        name = ""  # 华诚小学等5所小学, …示范区和3所示范校: the noun after names it
    if not name or is_verb(name):
        verb = verb_of(name)
        counted = unit or _TOTAL_END.search(before)
        noun = noun_after(after) if counted else ""
        if noun:
            consumed = len(noun)
            name = verb + noun
            if len(with_suffix(name, unit)) > MAX_NAME:
                name = noun
        elif not name and last_subject:
            return last_subject, 0
        elif not verb:
            return "", 0
        else:
            suffix = suffix_for(unit)
            return (verb + suffix if suffix and not verb.endswith(suffix) else verb), 0
    return shorten(with_suffix(name, unit)), consumed


def change_subject(words: str) -> str:
    """The subject of a change: 同比 / 较上年度 / 占 removed from the words before its verb."""
    words = clean(COMPARATOR.sub("", words))
    return clean(words.removeprefix("占")) if words.startswith("占") else words


def candidates(
    base: str, after_verb: str, clause_year: int | None, planned: bool, first_in_sentence: str
) -> Iterator[str]:
    """Names to try, in order, when `base` is taken by another figure: the verb after the
    noun (抽测学校数), the year of the clause (2022年开办公办幼儿园数), 目标 for a plan, the head
    of the sentence's first figure (中学公用经费下达金额), then base2, base3 … (made lazily:
    the first name is nearly always free)."""
    found = [base]
    if after_verb and after_verb not in base:
        found.append(after_verb + base)
    if clause_year is not None:
        found.append(f"{clause_year}年{base}")
    if planned:
        found.append(base + "目标")
    head = stem(first_in_sentence)
    if head and len(head) <= 4 and head not in base and first_in_sentence != base:
        found.append(head + base)
    yield from (c for c in found if len(c) <= MAX_NAME)
    yield from (f"{base[: MAX_NAME - len(str(n))]}{n}" for n in range(2, 100))
