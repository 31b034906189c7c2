"""How long breaking a long title into lines takes (drafter/title.py), by title length.

Not a pass/fail test (tests/test_bad_input.py only checks that it finishes, in a child with
a generous time limit). Title breaking was once exponential: 128 characters took 3.3 s and
160 never finished; a real title has 20–60 characters.

    python benchmarks/title_breaking.py [--runs 20]

Measured 2026-12-02 (2-core machine, other sessions running; median of 5): 30 characters
0.05 ms, 60: 0.6 ms, 128: 1.0 ms, 160: 1.4 ms, 200: 6.6 ms, 400: 21 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TITLE = "东丽区人民政府2020年履行教育职责情况自评报告工作"
LENGTHS = (30, 60, 128, 160, 200, 400)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    sys.path.insert(0, str(REPO))
    from drafter.title import break_title

    print(f"标题断行（{runs} 次的中位数）")
    for n in LENGTHS:
        title = (TITLE * 20)[:n]
        break_title(title)  # warm-up
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            lines = break_title(title)
            times.append(time.perf_counter() - start)
        print(f"   {n:4d} 字  {statistics.median(times) * 1000:8.2f} ms  {len(lines)} 行")


if __name__ == "__main__":
    main()
