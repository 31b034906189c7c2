"""Figures in prose → metrics (drafter/reading/metrics.py): exact round trip through
drafter's own rendering, coverage of the hand-made sample metrics, and the exclusions."""

from __future__ import annotations

import hashlib
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from conftest import SAMPLE, golden
from hypothesis import given, settings
from hypothesis import strategies as st

from drafter.compose import prepare
from drafter.context import Context
from drafter.facts.load import Located, load_facts
from drafter.facts.models import Facts
from drafter.profiles import load_profile
from drafter.reading.metrics import LiftedMetric, MetricLifter
from drafter.wording import number

YEARS = {"dongli": 2020, "shuangtaizi": 2023, "wuxing": 2019, "jiangbei": 2022}
_REF = re.compile(r"""m(?:\.(\w+)|\["([^"]+)"\])""")


@pytest.fixture(scope="module")
def drafting():
    return prepare(load_profile("default"))


def facts_data(lifter: MetricLifter) -> dict:
    metrics = {}
    for name, lifted in lifter.metrics.items():
        entry = {"value": lifted.value, "unit": lifted.unit}
        if lifted.previous is not None:
            entry["previous"] = lifted.previous
        metrics[name] = entry
    return {"district": "测试区", "government": "测试区人民政府", "year": lifter.year,
            "metrics": metrics}  # fmt: skip


def render(texts: list[str], lifter: MetricLifter, drafting, path: Path | None = None):
    """Each text rendered as drafter renders prose, from a facts file written to `path`
    (loaded with drafter's loader) or, without a path, from validated facts."""
    if path is not None:
        path.write_text(yaml.safe_dump(facts_data(lifter), allow_unicode=True), "utf-8")
        facts, located = load_facts(path)
    else:
        facts = Facts.model_validate(facts_data(lifter))
        located = Located(None, Path("x.yaml"))
    ctx = Context(facts, located, drafting.env)
    return [str(ctx.prose(text, ("text", i))) for i, text in enumerate(texts)]


def lift_sample(name: str, verify: bool = False) -> tuple[MetricLifter, list[str], list]:
    lifter = MetricLifter(YEARS[name])
    lifter.verify = verify  # test the construction itself, not the safety net
    lines = golden(name)
    return lifter, lines, [lifter.lift(line) for line in lines]


# --------------------------------------------------------------------------- round trip


@pytest.mark.parametrize("name", list(YEARS))
def test_golden_lines_round_trip(name, drafting, tmp_path):
    lifter, lines, lifted = lift_sample(name)
    rendered = render([r.text for r in lifted], lifter, drafting, tmp_path / "facts.yaml")
    for line, out in zip(lines, rendered, strict=True):
        assert out == line
    assert len(lifter.metrics) > 20
    assert any("{{ year" in r.text for r in lifted)


def _printed(metric) -> str:
    return number(metric.value, metric.digits, metric.grouped)


def _plain(unit: str) -> str:
    return unit.replace("余", "").replace("多", "")


def test_coverage_of_sample_metrics():
    """≥ 80% of the sample facts' own (typed, not ratio-computed) metrics come out."""
    found_all = total_all = 0
    report = []
    for name in YEARS:
        lifter, lines, lifted = lift_sample(name, verify=True)
        facts, _ = load_facts(SAMPLE[name])
        per_line = []
        for result in lifted:
            refs = {a or b for a, b in _REF.findall(result.text)}
            per_line.append([lifter.metrics[r] for r in refs if r in lifter.metrics])
        found = total = 0
        missing = []
        for key, metric in facts.metrics.items():
            if metric.ratio is not None:
                continue
            digits = _printed(metric)
            where = [i for i, line in enumerate(lines) if re.search(
                rf"(?<![\d.,]){re.escape(digits)}(?![\d.,]*\d)", line)]  # fmt: skip
            if not where:
                continue  # not printed as typed anywhere (e.g. used via a filter)
            total += 1
            unit = _plain(metric.unit)
            hit = any(  # a figure printed bare (via .value) counts too: 在园幼儿4443
                (m.value == digits or m.previous == digits) and _plain(m.unit) in ("", unit)
                for i in where for m in per_line[i]
            )  # fmt: skip
            found += hit
            if not hit:
                missing.append(f"{key}={digits}{metric.unit}")
        report.append(f"{name}: {found}/{total} = {found / total:.0%}; missing {missing}")
        found_all += found
        total_all += total
    print("\n" + "\n".join(report) + f"\noverall: {found_all}/{total_all}")
    assert found_all / total_all >= 0.8


def test_verified_lifting_keeps_every_golden_line(drafting):
    """The safety net (render and compare) never has to fall back on the samples."""
    for name in YEARS:
        plain = lift_sample(name, verify=False)[2]
        checked = lift_sample(name, verify=True)[2]
        assert [r.text for r in plain] == [r.text for r in checked]


def test_jiangbei_lifting_is_pinned():
    """The lifted texts, notes and metrics of one sample, pinned (a refactor or speed-up
    must not change them; if a rule changes on purpose, review the diff and re-pin)."""
    lifter, _, lifted = lift_sample("jiangbei", verify=True)
    blob = json.dumps([[[r.text, r.notes] for r in lifted],
                       {k: vars(v) for k, v in lifter.metrics.items()}],
                      ensure_ascii=False, sort_keys=True)  # fmt: skip
    digest = hashlib.sha256(blob.encode()).hexdigest()
    assert digest == "025755e9b8d4f655f086f739043d2ef6911a2780536b042ca382d653e4beabf6"
    assert len(lifter.metrics) == 63


# --------------------------------------------------------------------------- rules


def lift(text: str, year: int = 2020, lifter: MetricLifter | None = None):
    lifter = lifter or MetricLifter(year)
    return lifter.lift(text), lifter


@pytest.mark.parametrize(
    "text",
    [
        "按照《东丽区2020年工作要点》和《关于印发〈2020年方案〉的通知》执行。",
        "根据津教督导室〔2020〕40号文件要求。",
        "我区平均分排名全市第三名，第1批试点共5G基站。",
        "（5分，自评分5分）",
        "我区在24项测评点中，有22个测评点得满分，自评合计得分为98.5分。",
        "开展“5+2”课后服务和“1+X”证书试点，面向3-6岁儿童。",
        "文号为〔2020〕5号，于2020年7月23日印发，8:30开始。",
        "已有{{ m.x }}所学校，5所。",
        "提升工程2.0项目，12,34人参加。",
        "《方案》中有“共“5”所”学校；“另有8所。",  # nested quotes; an unclosed one: its sentence
    ],
)
def test_left_in_prose(text):
    result, lifter = lift(text)
    assert result.text == text
    assert lifter.metrics == {}


def test_an_unclosed_quote_protects_only_its_sentence():
    result, lifter = lift("他说“共有5所学校。我区有8所学校，“a“b”有3所。")
    assert result.text == "他说“共有5所学校。我区有{{ m.学校数 }}学校，“a“b”有3所。"
    assert list(lifter.metrics) == ["学校数"]


def test_years_marked_only_near_the_report_year(drafting):
    text = "2019年至2020年，预计2021年完成，2018年建成；2020年度考核。"
    result, lifter = lift(text)
    assert result.text == (
        "{{ year - 1 }}年至{{ year }}年，预计{{ year + 1 }}年完成，2018年建成；{{ year }}年度考核。"
    )
    assert render([result.text], lifter, drafting) == [text]


def test_previous_from_a_to_b(drafting):
    text = "体质健康优良率由28.67%提高到39.78%。"
    result, lifter = lift(text)
    assert result.text == (
        "体质健康优良率由{{ m.体质健康优良率.previous }}提高到{{ m.体质健康优良率 }}。"
    )
    assert lifter.metrics["体质健康优良率"] == LiftedMetric("体质健康优良率", "39.78", "%", "28.67")
    assert render([result.text], lifter, drafting) == [text]


def test_change_used_only_when_exact(drafting):
    exact = "2021年优良率为28.67%，2022年优良率为39.78%，同比上升11.11个百分点。"
    result, lifter = lift(exact, 2023)
    assert result.text.endswith("同比{{ m.优良率.change }}。")
    assert "{{ m.优良率.previous }}" in result.text and not result.notes
    # drafter says 上升, not 提高: the typed change stays, as its own metric
    worded = "2021年优良率为28.67%，2022年优良率为39.78%，同比提高11.11个百分点。"
    other, lifter2 = lift(worded, 2023)
    assert ".change" not in other.text and "优良率增幅" in lifter2.metrics
    # a growth that drafter would round differently is kept as typed
    rounded = "由100人增加到133人，同比增长33.0%。"
    kept, lifter3 = lift(rounded)
    assert ".change" not in kept.text
    for text, lifted, lf in ((exact, result, lifter), (worded, other, lifter2),
                             (rounded, kept, lifter3)):  # fmt: skip
        assert render([lifted.text], lf, drafting) == [text]


def test_rate_change_in_percent_gets_a_note():
    """The shuangtaizi source (seed 001) wrote a difference of two rates as %."""
    text = "2021年体质健康优良率为28.67%，2022年体质健康优良率为39.78%，同比上升11.11%。"
    result, lifter = lift(text, 2023)
    assert result.notes == ["“同比上升11.11%”是两个比率之差，应为“11.11个百分点”"]
    assert "11.11%" not in result.text and lifter.metrics["体质健康优良率增幅"].value == "11.11"
    single, _ = lift("小学生肥胖率为27.02%，同比2021年上升4.41%。", 2023)
    assert single.notes and "个百分点" in single.notes[0]


def test_names_stay_unique_and_the_same_figure_is_reused(drafting):
    lifter = MetricLifter(2020)
    first = lifter.lift("2020年招生1354人，其中扶贫班79人。")
    assert list(lifter.metrics) == ["招生人数", "扶贫班招生人数"]
    second = lifter.lift("全年招生1354人。")  # the same figure: the same metric
    assert second.text == "全年招生{{ m.招生人数 }}。"
    third = lifter.lift("招生1200人。")  # another figure: another name, never an overwrite
    assert lifter.metrics["招生人数"].value == "1354"
    assert len([m for m in lifter.metrics.values() if m.value == "1200"]) == 1
    texts = ["2020年招生1354人，其中扶贫班79人。", "全年招生1354人。", "招生1200人。"]
    assert render([first.text, second.text, third.text], lifter, drafting) == texts


def test_existing_metrics_are_kept_and_reused():
    existing = {"学前三年毛入园率": LiftedMetric("学前三年毛入园率", "91.5", "%")}
    lifter = MetricLifter(2020, existing)
    result = lifter.lift("学前三年毛入园率达到91.5%，义务教育巩固率为100%。")
    assert result.text == (
        "学前三年毛入园率达到{{ m.学前三年毛入园率 }}，义务教育巩固率为{{ m.义务教育巩固率 }}。"
    )
    assert existing["学前三年毛入园率"].previous is None  # not mutated
    assert list(lifter.metrics) == ["学前三年毛入园率", "义务教育巩固率"]


def test_units_names_and_labels_as_typed(drafting):
    text = ("在学学员320余人，投入近800万元，公用经费下达金额9,245,154.23元，中学生肥胖率为18.30%，"
            "为50所学校1264间教室更换了14100组护眼灯，普惠性幼儿园在园幼儿4443，普惠率85%。")
    result, lifter = lift(text)
    metrics = lifter.metrics
    assert metrics["在学学员数"].unit == "余人"
    assert metrics["投入金额"].label == "源文作“近800万元”"
    assert metrics["公用经费下达金额"].value == "9,245,154.23"
    assert metrics["中学生肥胖率"].value == "18.30"
    assert {"学校数", "教室数", "更换护眼灯数", "普惠性幼儿园在园幼儿数"} <= set(metrics)
    assert metrics["普惠性幼儿园在园幼儿数"].unit == ""
    assert render([result.text], lifter, drafting) == [text]


def test_name_that_is_not_an_identifier_is_subscripted(drafting):
    lifter = MetricLifter(2020)
    lifter.lift("2021年下半年计划开办8所公办幼儿园。")
    result = lifter.lift("2022年计划开办9所公办幼儿园。")
    assert '{{ m["2022年开办公办幼儿园数"] }}' in result.text
    assert render([result.text], lifter, drafting) == ["2022年计划开办9所公办幼儿园。"]


# --------------------------------------------------------------------------- property

_WORDS = ["学校", "幼儿园", "教师", "学生", "投入", "达到", "为", "新增", "共", "其中", "占",
          "同比增长", "较上年提高", "由", "提高到", "比上年", "约", "近", "全区", "率", "的"]
_UNITS = ["", "%", "％", "个百分点", "万元", "元", "所", "人", "名", "余人", "余万元", "个", "间",
          "平方公里", "万", "元/生", "节", "年", "年度", "月", "分", "岁", "项"]
_PUNCT = ["，", "。", "；", "、", "（", "）", "《", "》", "“", "”", "〔", "〕", "号", "第",
          "-", "+", "."]
_FIGURES = st.one_of(
    st.integers(0, 10**7).map(str),
    st.decimals(0, 10**5, places=2, allow_nan=False, allow_infinity=False).map(lambda d: f"{d:f}"),
    st.integers(1000, 10**9).map(lambda n: f"{n:,}"),
    st.sampled_from(["2019", "2020", "2021", "05", "1,2345", "18.30", "0.5"]),
)
_PIECES = st.one_of(
    st.sampled_from(_WORDS + _PUNCT), _FIGURES,
    st.tuples(_FIGURES, st.sampled_from(_UNITS)).map("".join),
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_PIECES, min_size=1, max_size=14).map("".join), min_size=1, max_size=3))
def test_random_text_round_trips(drafting, texts):
    lifter = MetricLifter(2020)
    lifter.verify = False
    lifted = [lifter.lift(text).text for text in texts]
    assert render(lifted, lifter, drafting) == texts
    for name in lifter.metrics:
        assert 0 < len(name) <= 16
        assert name.isidentifier() or name[:4].isdigit()
        assert Decimal(lifter.metrics[name].value.replace(",", "")) >= 0
