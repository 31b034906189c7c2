"""The facts a report states outside its parts: district, government, year and period
from the title, the 落款 and its date, the 主送机关, and the evaluation notice cited in
the opening paragraphs (replaced there by {{ notice_cite }})."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from drafter.reading.build import broken_number, notice_cite
from drafter.reading.outline import Outline

_PERIOD = re.compile(r"(\d{4})\s*年(度|以来)?")
_GOVERNMENT = re.compile(r"(.{2,24}?(?:人民政府|政府))")
_DISTRICT = re.compile(r"([^省市州盟]+?(?:区|县|旗|市))$")

Notes = list[tuple[str, str, int | None]]  # (field, note, source paragraph)


def head_facts(outline: Outline) -> tuple[dict[str, Any], list[tuple[str, str, int | None]]]:
    """District, government, year, period, addressee, date and notice from the title,
    the 落款 and the opening paragraphs."""
    notes: list[tuple[str, str, int | None]] = []
    title = "".join(p.text for p in outline.title)
    issuer = outline.issuer.text if outline.issuer else None
    date = None
    if outline.date is not None:
        match = re.match(r"(\d{4})年(\d{1,2})月(\d{1,2})日", outline.date.text)
        if match:
            try:
                date = dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                notes.append(("date", f"成文日期“{outline.date.text}”不是有效日期",
                              outline.date.source))
    period_match = _PERIOD.search(title)
    year = date.year if date else dt.date.today().year
    period = None
    if period_match:
        period = period_match.group(0).replace(" ", "")
        if period_match.group(2) != "以来" or date is None:
            year = int(period_match.group(1))
    else:
        notes.append(("year", "标题中没有年度，已按成文日期确定年度，请核对", None))
    before = title[: period_match.start()] if period_match else ""
    after = title[period_match.end():] if period_match else title
    found = _GOVERNMENT.search(before) or _GOVERNMENT.match(after)
    government = found.group(1) if found else issuer
    if government and issuer and not government.endswith("人民政府") and issuer.endswith(
        "人民政府"
    ):
        government = issuer
    if government is None:
        government = ""
        notes.append(("government", "没有找到区县政府名称（标题和落款中都没有）", None))
    name = re.sub(r"(人民)?政府$", "", government)
    district_match = _DISTRICT.search(name)
    district = district_match.group(1) if district_match else name
    facts: dict[str, Any] = {"district": district, "government": government}
    if issuer and issuer != government:
        facts["issuer"] = issuer
    prefix = name[: district_match.start()] if district_match else ""
    if prefix.endswith(("市", "州", "盟")):
        facts["city"] = re.sub(r"^.*省", "", prefix)
    if "省" in prefix:
        facts["province"] = prefix[: prefix.index("省") + 1]
    facts["year"] = year
    if period and period != f"{year}年":
        facts["period"] = period
    if outline.letter_number is not None:
        facts["letter_number"] = outline.letter_number.text
    facts["addressee"] = outline.addressee.text if outline.addressee else False
    if date is not None:
        facts["date"] = date
    preamble = [p.text for p in outline.preamble]
    for index, text in enumerate(preamble):
        cited = notice_cite(text)
        if cited is None:
            continue
        preamble[index], notice = cited
        facts["notice"] = notice
        if broken_number(notice["number"]):
            notes.append(("notice.number",
                          f"通知文号“{notice['number']}”不完整，已照录，请核对原文",
                          outline.preamble[index].source))
        break
    if preamble:
        facts["preamble"] = preamble
    return facts, notes
