"""How long `drafter import` takes on the largest files it accepts (drafter/reading/source.py:
MAX_PARAGRAPHS paragraphs, MAX_CHARS characters), and on a real report, in one process.

Not a pass/fail test: tests/test_bad_input_reading.py checks that files over the bounds are
refused at once; this prints what the bounds cost, so they can be set against a time limit.

    python benchmarks/import_bounds.py

Measured 2026-12-02 on the project's 2-core machine (load average 4, other sessions
running): the real report 0.3 s; 5,000 short paragraphs 16.9 s; 1,137 paragraphs of
199,643 characters dense with figures (15,933 metrics) 19.9 s. Before issue 15 the bounds
were 20,000 paragraphs and 5,000,000 characters, a metric lookup was quadratic (1,000 dense
paragraphs: 33 s), 100 figures of one name stopped the import, and 500,000 dense characters
made a 3.9 MB facts file that drafter then refused to read (the limit is 2 MB).
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _dense(i: int, rng: random.Random) -> str:
    """A paragraph of five clauses with three figures each (~180 characters)."""
    return "".join(
        f"全区第{i}项{rng.choice('甲乙丙丁戊')}类学校{rng.randint(1, 999)}所，同比增长"
        f"{rng.randint(1, 99)}.{rng.randint(0, 9)}%，投入{rng.randint(1, 9999)}万元；"
        for _ in range(5)
    ) + "。"


def main() -> None:
    sys.path.insert(0, str(REPO))
    from drafter.pipeline import draft_to_file
    from drafter.reading.importer import import_report
    from drafter.reading.source import MAX_CHARS, MAX_PARAGRAPHS

    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        real = work / "江北区.docx"
        draft_to_file(REPO / "samples" / "jiangbei" / "2022.yaml", real)
        short = work / "短段落.txt"
        short.write_text("\n".join(f"第{i}段：全区共有学校{i}所。" for i in
                                   range(MAX_PARAGRAPHS)), encoding="utf-8")  # fmt: skip
        dense = work / "密集数字.txt"
        lines, size = [], 0
        while size < MAX_CHARS - 400:
            lines.append(_dense(len(lines), rng))
            size += len(lines[-1]) + 1
        dense.write_text("\n".join(lines), encoding="utf-8")
        print(f"drafter import 在上限附近的耗时（上限：{MAX_PARAGRAPHS:,} 段、{MAX_CHARS:,} 字）")
        for name, path in (("真实报告（江北区，50 段）", real),
                           (f"{MAX_PARAGRAPHS:,} 个短段落", short),
                           (f"{len(lines):,} 段、{size:,} 字、数字密集", dense)):  # fmt: skip
            start = time.perf_counter()
            imported = import_report(path, work / f"{path.stem}.yaml", force=True)
            seconds = time.perf_counter() - start
            print(f"   {name:<28} {seconds:7.1f} s  指标 {imported.metrics:,} 个")


if __name__ == "__main__":
    main()
