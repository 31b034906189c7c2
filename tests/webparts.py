"""A report whose profile adds a section (经验启示) with its facts under `parts:`, for the web
editor's tests: tests/data/profiles/merged.yaml and its facts, with comments, an opening text
and a `!stale` item added."""

from __future__ import annotations

import shutil
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "profiles"
REL = "dongli/2020.yaml"
PARTS = """parts:
  # 新增部分的事实
  lessons:
    text: 五年来，我区积累了以下经验。  # 导语
    items:
      - title: 坚持党的全面领导
        text: 把教育工作纳入区委、区政府重要议事日程。
      # 第二条沿用上年
      - title: !stale 坚持改革创新
        text: [推进集团化办学。, 深化教师“县管校聘”改革。]
"""


def make_parts_report(root: Path, parts: str = PARTS) -> Path:
    """<root>/dongli/2020.yaml (profile merged.yaml beside it); `parts` replaces its parts."""
    folder = root / "dongli"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA / "merged.yaml", folder / "merged.yaml")
    text = (DATA / "facts" / "merged.yaml").read_text(encoding="utf-8")
    text = text.replace("profile: merged\n", "profile: merged.yaml\n")
    start, end = text.index("parts:\n"), text.index("problems:\n")
    path = folder / "2020.yaml"
    path.write_text(text[:start] + parts + text[end:], encoding="utf-8")
    return path
