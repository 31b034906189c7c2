"""Cold runs compared by CPU time, interleaved: steadier than wall time on a busy machine.

`run.py` measures wall time, which other work on the machine inflates unevenly between
its blocks of runs. This takes turns (drafter draft, docxtpl's script, drafter import,
drafter --help, one of each per round) and compares the user+system CPU time of each
process, the part of a run that is its own work. It also times the floor: Python importing
the libraries a draft cannot do without (Jinja2, PyYAML, lxml, pydantic-core), and those
with pydantic's BaseModel machinery, as a share of docxtpl's whole run.

    python benchmarks/cold_cpu.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

import run as bench  # noqa: E402  (benchmarks/run.py: inputs and environment)


def _cpu_ms(command: list[str]) -> float:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=bench._env(), cwd=REPO)  # fmt: skip
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"失败：{' '.join(command)}")
    return (usage.ru_utime + usage.ru_stime) * 1000


_FLOOR = "import jinja2, yaml, lxml.etree, pydantic_core, zipfile"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    bench.BATCH_SIZE = 1  # only the single-report inputs are needed
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        inputs = bench.prepare_inputs(root)
        drafter = bench.drafter_command()
        report = root / "江北区.docx"
        commands = {
            "drafter draft": [*drafter, "draft", str(inputs.facts), "-o", str(report), "--force"],
            "docxtpl": [sys.executable, str(HERE / "alternatives.py"), "docxtpl",
                        str(inputs.content), str(inputs.template), str(root / "t.docx")],
            "drafter import": [*drafter, "import", str(report), "-o", str(root / "i.yaml"),
                               "--force"],
            "drafter --help": [*drafter, "--help"],
            # What no draft can go below: Python and the libraries it cannot draft without,
            # with and without pydantic's models (pydantic-core alone validates).
            "下限：库": [sys.executable, "-c", _FLOOR],
            "下限：库 + pydantic": [sys.executable, "-c", f"{_FLOOR}; import pydantic.main"],
        }  # fmt: skip
        times: dict[str, list[float]] = {name: [] for name in commands}
        for round_ in range(runs + 1):  # the first round fills the caches, as a first run does
            for name, command in commands.items():
                spent = _cpu_ms(command)
                if round_:
                    times[name].append(spent)
    median = {name: statistics.median(values) for name, values in times.items()}
    print(f"冷启动 CPU 时间（用户 + 系统，{runs} 轮交替运行的中位数）")
    for name, value in median.items():
        share = f"  （docxtpl 的 {value / median['docxtpl']:.2f} 倍）" if "下限" in name else ""
        print(f"   {name:16s} {value:7.1f} ms{share}")
    draft = median["drafter draft"]
    checks = (  # (label, ratio, target, met)
        ("drafter draft ÷ docxtpl", draft / median["docxtpl"], "≤ 0.9", 0.9),
        ("drafter import ÷ drafter draft", median["drafter import"] / draft, "< 1", 1.0),
        ("drafter --help ÷ drafter draft", median["drafter --help"] / draft, "< 0.25", 0.25),
    )
    for label, ratio, target, bound in checks:
        met = ratio <= bound if target.startswith("≤") else ratio < bound
        verdict = "达到" if met else "未达到"
        print(f"   {label:32s} {ratio:5.2f}   目标 {target}  {verdict}")


if __name__ == "__main__":
    main()
