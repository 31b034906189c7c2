"""Importing a report must cost less than drafting it (issue: import a report into facts).

Measures, for the 江北区 sample, the median of N fresh processes of
    drafter import 江北区.docx -o facts.yaml     (the report drafter drafted, read back)
    drafter draft samples/jiangbei/2022.yaml -o 江北区.docx
and the same two in one warm process, and says whether the target (import < draft) is met.

    python benchmarks/import_speed.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FACTS = REPO / "samples" / "jiangbei" / "2022.yaml"


def _cold(command: list[str], before: callable | None = None, runs: int = 15) -> float:  # type: ignore[valid-type]
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=REPO)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _warm(fn: callable, runs: int = 15) -> float:  # type: ignore[valid-type]
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    sys.path.insert(0, str(REPO))
    from drafter.pipeline import draft_to_file
    from drafter.reading.importer import import_report

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        report = work / "江北区.docx"
        draft_to_file(FACTS, report)
        facts = work / "facts.yaml"
        drafter = [sys.executable, "-m", "drafter.cli"]
        cold_import = _cold([*drafter, "import", str(report), "-o", str(facts)],
                            lambda: facts.unlink(missing_ok=True), runs)
        cold_draft = _cold([*drafter, "draft", str(FACTS), "-o", str(work / "d.docx"),
                            "--force"], None, runs)

        def imported() -> None:
            facts.unlink(missing_ok=True)
            import_report(report, facts)

        warm_import = _warm(imported, runs)
        warm_draft = _warm(lambda: draft_to_file(FACTS, work / "w.docx", force=True), runs)
    for name, a, b in (("冷启动（新进程）", cold_import, cold_draft),
                       ("预热（同一进程）", warm_import, warm_draft)):
        met = "达到" if a < b else "未达到"
        print(f"{name}：导入 {a * 1000:.0f} ms，起草 {b * 1000:.0f} ms，"
              f"导入 ÷ 起草 = {a / b:.2f}（目标 < 1）{met}")


if __name__ == "__main__":
    main()
