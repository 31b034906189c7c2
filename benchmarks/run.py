"""drafter against the other ways of making the same report, measured in one run.

Not a pass/fail test: it prints each figure, its ratio to drafter, and the project's
targets. From a fresh clone, one command (see benchmarks/README.md):

    python3 -m venv .venv && .venv/bin/pip install -q -e ".[bench]" \
        && .venv/bin/python benchmarks/run.py

Every measurement runs in its own fresh process, so peak memory (max RSS) is that
measurement's alone and no library warms another's caches.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SAMPLE = REPO / "samples" / "jiangbei" / "2022.yaml"
ALTERNATIVES = HERE / "alternatives.py"
WARM_RUNS = 50
BATCH_SIZE = 100
TARGETS = {  # measure: (drafter / alternative at most, alternative)
    "warm": (0.5, "docxtpl"),
    "batch": (0.4, "docxtpl"),
    "cold": (0.9, "docxtpl"),
}


# --- measuring ------------------------------------------------------------------------------


@dataclass
class Figure:
    seconds: float
    peak_kb: int | None = None
    note: str = ""


def _peak_kb(maxrss: int | None) -> int | None:
    if maxrss is None:
        return None
    return maxrss // 1024 if sys.platform == "darwin" else maxrss  # bytes on macOS, else kB


# Starts the measured command and reports its wall time and peak RSS. A child's peak RSS
# starts at its parent's at fork, so the command is forked from this small process rather
# than from the benchmark, whose own memory would otherwise be counted.
_REAPER = """
import json, os, sys, time
result, cmd = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(cmd[0], cmd)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - start
with open(result, "w") as handle:
    json.dump([seconds, usage.ru_maxrss, os.waitstatus_to_exitcode(status)], handle)
"""


def run_process(cmd: list[str]) -> tuple[float, int | None, str]:
    """Wall time, peak RSS (kB) of the largest process in the command's tree, and stdout."""
    reaper = hasattr(os, "fork") and hasattr(os, "wait4")
    with tempfile.TemporaryDirectory() as tmp:
        result, out, err = Path(tmp, "result"), Path(tmp, "out"), Path(tmp, "err")
        with out.open("wb") as stdout, err.open("wb") as stderr:
            if reaper:
                launch = [sys.executable, "-S", "-c", _REAPER, str(result), *cmd]
                subprocess.run(launch, stdout=stdout, stderr=stderr, env=_env(), check=True)
                seconds, maxrss, code = json.loads(result.read_text())
            else:  # Windows: wall time only
                start = time.perf_counter()
                code = subprocess.run(cmd, stdout=stdout, stderr=stderr, env=_env()).returncode
                seconds, maxrss = time.perf_counter() - start, None
        if code != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({code}):\n{err.read_text()}")
        return seconds, _peak_kb(maxrss), out.read_text(encoding="utf-8")


def _env() -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "LANG": "C.UTF-8", "PYTHONUTF8": "1"}
    # Let Python cache compiled modules, as on a user's machine (some sandboxes turn it off).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def median_process(
    cmd: list[str], runs: int, before: Callable[[], None] = lambda: None
) -> Figure:
    """Median wall time of `runs` fresh processes (after one untimed run for the disk cache)."""
    before()
    run_process(cmd)
    times, peaks = [], []
    for _ in range(runs):
        before()
        seconds, peak, _ = run_process(cmd)
        times.append(seconds)
        peaks.append(peak)
    peak = max(peaks) if all(p is not None for p in peaks) else None
    return Figure(statistics.median(times), peak)


def child(name: str, *args: str | Path) -> tuple[dict[str, Any], int | None]:
    """Run a measurement of this script in a fresh process; its JSON and its peak RSS."""
    _, peak, out = run_process([sys.executable, str(Path(__file__)), "--child", name,
                                *map(str, args)])  # fmt: skip
    return json.loads(out), peak


def _median_ms(fn: Callable[[], object], runs: int = WARM_RUNS, warmup: int = 5) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# --- child measurements (each in its own process) -------------------------------------------


def child_warm_drafter(facts: str) -> dict[str, Any]:
    from drafter.pipeline import Preparations, draft_facts
    from drafter.word import build_package, package_bytes

    path, prepared = Path(facts), Preparations()
    def whole_report() -> bytes:  # as `drafter draft` and `drafter batch` write it
        return package_bytes(build_package(draft_facts(path, prepared=prepared).document))

    whole = _median_ms(whole_report)
    document = draft_facts(path, prepared=prepared).document
    writer = _median_ms(lambda: package_bytes(build_package(document)))
    compose = _median_ms(lambda: draft_facts(path, prepared=prepared))
    return {"whole": whole, "writer": writer, "compose": compose}


def child_warm_python_docx(content: str) -> dict[str, Any]:
    sys.path.insert(0, str(HERE))
    from alternatives import load_content, python_docx_report, to_bytes

    path = Path(content)
    return {"whole": _median_ms(lambda: to_bytes(python_docx_report(load_content(path))))}


def child_warm_docxtpl(content: str, template: str) -> dict[str, Any]:
    sys.path.insert(0, str(HERE))
    from alternatives import docxtpl_report, load_content, to_bytes

    path, tpl = Path(content), Path(template)
    return {"whole": _median_ms(lambda: to_bytes(docxtpl_report(tpl, load_content(path))))}


def child_floor() -> dict[str, Any]:
    import io

    import docx

    from drafter.word.base_package import BASE_DOCX

    def save(document: Any) -> None:
        document.save(io.BytesIO())

    return {
        "default": _median_ms(lambda: save(docx.Document())),
        "base": _median_ms(lambda: save(docx.Document(str(BASE_DOCX)))),
    }


def child_memory(facts_dir: str, out_dir: str) -> dict[str, Any]:
    """Peak RSS while drafting the batch's reports over and over in one worker process."""
    import resource

    from drafter.batch import Options, find_jobs, run_job

    jobs = find_jobs(Path(facts_dir), Path(out_dir)).jobs
    options = Options(force=True)
    samples = []
    for _ in range(3):
        for job in jobs:
            run_job(job, options)
        samples.append(_peak_kb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
    drafted = len(jobs)
    return {"peaks": samples, "per_round": drafted}


CHILDREN: dict[str, Callable[..., dict[str, Any]]] = {
    "warm-drafter": child_warm_drafter,
    "warm-python-docx": child_warm_python_docx,
    "warm-docxtpl": child_warm_docxtpl,
    "floor": child_floor,
    "memory": child_memory,
}


# --- the inputs -----------------------------------------------------------------------------


def content_of(document: Any) -> dict[str, Any]:
    """The composed report as plain content for the alternatives (no drafter types)."""
    from drafter.document import Heading, plain
    from drafter.word.styles import signature_indents

    assert document.signature_at == "bottom", "the alternatives lay out a bottom signature"
    blocks = []
    for block in document.blocks:
        if not isinstance(block, Heading):
            blocks.append({"kind": "body", "text": plain(block.spans)})
        elif block.body is None:
            blocks.append({"kind": f"h{block.level}", "text": block.number + plain(block.text)})
        else:
            assert block.level in (3, 4), "run-in headings are levels 3 and 4 here"
            blocks.append({"kind": f"runin{block.level}", "lead": block.number + plain(block.text),
                           "text": plain(block.body)})  # fmt: skip
    issuer, date = plain(document.issuer), plain(document.date)
    issuer_right, date_right = signature_indents(issuer, date)
    return {
        "title_lines": [plain(line) for line in document.title_lines],
        "addressee": plain(document.addressee or ()),
        "blocks": blocks,
        "issuer": issuer,
        "date": date,
        "issuer_right": issuer_right,
        "date_right": date_right,
    }


@dataclass
class Inputs:
    facts: Path  # the 江北区 sample
    content: Path  # its content for the alternatives
    template: Path  # docxtpl template
    markdown: Path  # pandoc input
    reference: Path  # pandoc reference document
    facts_dir: Path  # BATCH_SIZE facts files: d001/2022.yaml …
    content_dir: Path  # their content
    paragraphs: int
    characters: int


def district_name(index: int) -> str:
    digits = "〇一二三四五六七八九"
    return "江北" + "".join(digits[int(d)] for d in f"{index:03d}") + "区"


def prepare_inputs(root: Path) -> Inputs:
    import yaml

    sys.path.insert(0, str(HERE))
    from alternatives import build_docxtpl_template, build_pandoc_reference, pandoc_markdown

    from drafter.pipeline import Preparations, draft_facts

    prepared = Preparations()
    dump = {"allow_unicode": True, "sort_keys": False, "width": 10_000}
    sample_text = SAMPLE.read_text(encoding="utf-8")
    facts_dir, content_dir = root / "facts", root / "content"
    content_dir.mkdir(parents=True)
    for i in range(1, BATCH_SIZE + 1):
        path = facts_dir / f"d{i:03d}" / "2022.yaml"
        path.parent.mkdir(parents=True)
        path.write_text(sample_text.replace("江北区", district_name(i)), encoding="utf-8")
        content = content_of(draft_facts(path, prepared=prepared).document)
        (content_dir / f"d{i:03d}.yaml").write_text(yaml.safe_dump(content, **dump), "utf-8")

    document = draft_facts(SAMPLE, prepared=prepared).document
    content = content_of(document)
    inputs = Inputs(
        facts=SAMPLE, content=root / "content.yaml", template=root / "template.docx",
        markdown=root / "report.md", reference=root / "reference.docx",
        facts_dir=facts_dir, content_dir=content_dir,
        paragraphs=_paragraph_count(content), characters=_character_count(content),
    )  # fmt: skip
    inputs.content.write_text(yaml.safe_dump(content, **dump), encoding="utf-8")
    build_docxtpl_template(inputs.template, content)
    inputs.markdown.write_text(pandoc_markdown(content), encoding="utf-8")
    build_pandoc_reference(inputs.reference)
    return inputs


def _paragraph_count(content: dict[str, Any]) -> int:
    # title lines, blank, addressee, blocks, two blanks, issuer, date
    return len(content["title_lines"]) + 2 + len(content["blocks"]) + 4


def _character_count(content: dict[str, Any]) -> int:
    texts = [*content["title_lines"], content["addressee"], content["issuer"], content["date"]]
    texts += [b.get("lead", "") + b["text"] for b in content["blocks"]]
    return sum(len(t) for t in texts)


# --- the run --------------------------------------------------------------------------------


def drafter_command() -> list[str]:
    """The `drafter` a user runs: the venv's entry point, else `python -m drafter.cli`."""
    script = Path(sys.executable).parent / ("drafter.exe" if os.name == "nt" else "drafter")
    return [str(script)] if script.exists() else [sys.executable, "-m", "drafter.cli"]


def fresh_dir(path: Path) -> Callable[[], None]:
    def clear() -> None:
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)

    return clear


def removed(path: Path) -> Callable[[], None]:
    return lambda: path.unlink(missing_ok=True)


def measure(inputs: Inputs, root: Path, runs: int, batch_runs: int) -> dict[str, dict[str, Figure]]:
    py, alt = sys.executable, str(ALTERNATIVES)
    drafter = drafter_command()
    pandoc = shutil.which("pandoc")
    out = root / "out.docx"
    results: dict[str, dict[str, Figure]] = {"warm": {}, "cold": {}, "batch": {}, "floor": {}}

    progress("1/4 每份报告（进程内，热）")
    data, peak = child("warm-drafter", inputs.facts)
    results["warm"]["drafter"] = Figure(data["whole"], peak, "事实文件 → .docx 字节")
    results["warm"]["drafter：仅 Word 写出"] = Figure(data["writer"], None, "文档模型 → .docx 字节")
    results["warm"]["drafter：仅组稿"] = Figure(data["compose"], None, "事实文件 → 文档模型")
    data, peak = child("warm-python-docx", inputs.content)
    results["warm"]["python-docx"] = Figure(data["whole"], peak, "内容文件 → .docx 字节")
    data, peak = child("warm-docxtpl", inputs.content, inputs.template)
    results["warm"]["docxtpl"] = Figure(data["whole"], peak, "内容文件 → .docx 字节")
    data, _ = child("floor")
    floor = results["floor"]
    floor["python-docx 默认模板"] = Figure(data["default"], None, "Document() + save()")
    floor["drafter 基础文档"] = Figure(data["base"], None, "Document(base.docx) + save()")

    progress("2/4 冷启动（新进程）")
    results["cold"]["drafter --help"] = median_process([*drafter, "--help"], runs)
    results["cold"]["drafter"] = median_process(
        [*drafter, "draft", str(inputs.facts), "-o", str(out)], runs, removed(out)
    )
    results["cold"]["python-docx"] = median_process(
        [py, alt, "python-docx", str(inputs.content), str(out)], runs, removed(out)
    )
    results["cold"]["docxtpl"] = median_process(
        [py, alt, "docxtpl", str(inputs.content), str(inputs.template), str(out)], runs,
        removed(out),
    )  # fmt: skip
    if pandoc:
        results["cold"]["pandoc"] = median_process(
            [pandoc, str(inputs.markdown), "-f", "markdown", "-t", "docx",
             "--reference-doc", str(inputs.reference), "-o", str(out)], runs, removed(out),
        )  # fmt: skip

    progress(f"3/4 批量 {BATCH_SIZE} 份")
    drafts = root / "drafts"
    results["batch"]["drafter"] = median_process(
        [*drafter, "batch", str(inputs.facts_dir), "-o", str(drafts)], batch_runs, fresh_dir(drafts)
    )
    results["batch"]["drafter（--jobs 1）"] = median_process(
        [*drafter, "batch", str(inputs.facts_dir), "-o", str(drafts), "--jobs", "1"], batch_runs,
        fresh_dir(drafts),
    )  # fmt: skip
    results["batch"]["python-docx"] = median_process(
        [py, alt, "python-docx-batch", str(inputs.content_dir), str(drafts)], batch_runs,
        fresh_dir(drafts),
    )  # fmt: skip
    results["batch"]["docxtpl"] = median_process(
        [py, alt, "docxtpl-batch", str(inputs.content_dir), str(inputs.template), str(drafts)],
        batch_runs, fresh_dir(drafts),
    )  # fmt: skip
    if pandoc:
        fresh_dir(drafts)()
        start = time.perf_counter()
        for source in sorted(inputs.content_dir.glob("*.yaml")):
            markdown = root / "batch.md"
            markdown.write_text(_markdown_of(source), encoding="utf-8")
            run_process([pandoc, str(markdown), "-f", "markdown", "-t", "docx", "--reference-doc",
                         str(inputs.reference), "-o", str(drafts / f"{source.stem}.docx")])
        results["batch"]["pandoc"] = Figure(time.perf_counter() - start, None, "每份一个进程")

    progress("4/4 批量内存")
    data, peak = child("memory", inputs.facts_dir, root / "memory")
    results["memory"] = {"drafter": Figure(0, peak, json.dumps(data))}
    return results


def _markdown_of(content_file: Path) -> str:
    sys.path.insert(0, str(HERE))
    from alternatives import load_content, pandoc_markdown

    return pandoc_markdown(load_content(content_file))


def progress(text: str) -> None:
    print(f"… {text}", file=sys.stderr, flush=True)


# --- the report -----------------------------------------------------------------------------


def _name(text: str, width: int = 24) -> str:
    """Left-aligned in `width` terminal columns (汉字 take two)."""
    # Imported here, not at the top: the children import this module and measure their
    # own peak memory, which drafter's modules must not add to.
    from drafter.batch import display_width

    return text + " " * max(1, width - display_width(text))


def _time(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms" if seconds < 10 else f"{seconds:8.2f} s "


def _memory(kb: int | None) -> str:
    return "" if kb is None else f"  峰值内存 {kb / 1024:5.0f} MB"


def report(
    results: dict[str, dict[str, Figure]], inputs: Inputs, pandoc: bool, runs: int
) -> list[str]:
    cores = os.cpu_count()
    lines = [
        f"江北区 2022 年报告：{inputs.paragraphs} 段，{inputs.characters} 字；"
        f"本机 {cores} 核；Python {sys.version.split()[0]}；{_versions()}",
        "比值 = 该方式的时间 ÷ drafter 的时间（大于 1 表示 drafter 更快）",
        "",
    ]
    sections = [
        ("warm", f"1. 每份报告，进程内热运行（{WARM_RUNS} 次的中位数）", "drafter"),
        ("cold", f"2. 冷启动：新进程起草一份（{runs} 次的中位数）", "drafter"),
        ("batch", f"3. 批量 {BATCH_SIZE} 份，整个命令（写入文件）", "drafter"),
    ]
    for key, title, base in sections:
        lines.append(title)
        reference = results[key][base].seconds
        for name, figure in results[key].items():
            ratio = "" if name.startswith("drafter") else f"  {figure.seconds / reference:6.2f}×"
            note = f"  （{figure.note}）" if figure.note else ""
            memory = _memory(figure.peak_kb)
            lines.append(f"   {_name(name)}{_time(figure.seconds)}{ratio}{memory}{note}")
        if key == "cold" and not pandoc:
            lines.append(f"   {_name('pandoc')}未安装，跳过")
        lines.append("")
    lines.append("   python-docx 空文档下限（Document() + save()）")
    for name, figure in results["floor"].items():
        lines.append(f"   {_name(name)}{_time(figure.seconds)}")
    lines.append("")

    memory = json.loads(results["memory"]["drafter"].note)
    peaks = memory["peaks"]
    growth = (peaks[-1] - peaks[0]) / (memory["per_round"] * (len(peaks) - 1))
    lines.append(f"4. 批量内存：一个进程连续起草 {memory['per_round'] * len(peaks)} 份")
    lines.append(
        f"   峰值内存（每轮 {memory['per_round']} 份后）："
        + " → ".join(f"{p / 1024:.0f} MB" for p in peaks)
        + f"；每份增长 {growth:.1f} kB"
    )
    lines.append("")

    lines.append("目标（同一次运行中的比值）")
    for key, (limit, other) in TARGETS.items():
        ratio = results[key]["drafter"].seconds / results[key][other].seconds
        lines.append(_target(f"{key}: drafter ÷ {other}", ratio, limit))
    ratio = results["cold"]["drafter --help"].seconds / results["cold"]["drafter"].seconds
    lines.append(_target("drafter --help ÷ 冷启动起草", ratio, 0.25))
    mark = "✓ 达到（met）" if growth < 10 else "✗ 未达到（not met）"
    lines.append(f"   {mark} 批量内存持平：每份增长 {growth:.1f} kB（目标 < 10 kB）")
    return lines


def _target(name: str, ratio: float, limit: float) -> str:
    met = "✓ 达到（met）" if ratio <= limit else "✗ 未达到（not met）"
    return f"   {met} {name} = {ratio:.2f}（目标 ≤ {limit}）"


def _versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in ("python-docx", "docxtpl", "Jinja2", "pydantic", "PyYAML"):
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} 未安装")
    pandoc = shutil.which("pandoc")
    if pandoc:
        first = subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout
        found.append(first.splitlines()[0])
    return "，".join(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--runs", type=int, default=10, help="cold-start runs per command")
    parser.add_argument("--batch-runs", type=int, default=3,
                        help=f"runs of each {BATCH_SIZE}-report batch")
    args = parser.parse_args()
    if args.child:
        name, *rest = args.child
        print(json.dumps(CHILDREN[name](*rest)))
        return
    with tempfile.TemporaryDirectory(prefix="drafter-bench-") as tmp:
        root = Path(tmp)
        progress(f"准备输入：{BATCH_SIZE} 个事实文件、内容文件、docxtpl 模板、pandoc 参考文档")
        inputs = prepare_inputs(root)
        results = measure(inputs, root, args.runs, args.batch_runs)
        print("\n".join(report(results, inputs, shutil.which("pandoc") is not None, args.runs)))


if __name__ == "__main__":
    main()
