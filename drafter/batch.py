"""Draft or check every facts file of a city or province at once: `drafter batch facts/`.

Facts files are found as <district>/<year>.yaml (at any depth) and drafted in parallel,
one worker process per core, forked once from a process that has composed the first report
(so they start prepared) and reused; each file has a time limit (drafter/workers.py).
A file that fails becomes a row of the summary table, not the end of the batch.
"""

from __future__ import annotations

import os
import re
import signal
import sys
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TextIO

from drafter import workers
from drafter.config import CONFIG_NAME, Customisation
from drafter.errors import DrafterError, FactsError, Problem

if TYPE_CHECKING:
    from drafter.pipeline import Preparations

Status = Literal["ok", "warnings", "error"]
_YEAR = re.compile(r"\d{4}")
FACTS_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Options:
    """What applies to every file of the batch (the `draft` / `check` options)."""

    check_only: bool = False
    custom: Customisation = field(default_factory=Customisation)  # from the command line
    strict: bool = False
    force: bool = False
    timeout: float = 120.0  # seconds per facts file


@dataclass(frozen=True)
class Job:
    facts: Path
    output: Path | None  # None when only checking
    district: str  # the folder the facts file is in, relative to the batch folder
    year: str


@dataclass
class Outcome:
    """One row of the summary: what happened to one facts file."""

    job: Job
    status: Status
    result: str  # the table cell: 已生成 / 已生成，待补充 2 项 / 出错：…
    details: list[str] = field(default_factory=list)  # every problem, with file and line
    written: bool = False


@dataclass
class Found:
    jobs: list[Job]
    skipped: list[Path]  # YAML files whose name is not a year


def find_jobs(folder: Path, output: Path | None, check_only: bool = False) -> Found:
    """Every <district>/<year>.yaml under folder, and where its draft goes.

    Drafts mirror the input: facts/<district>/<year>.yaml → output/<district>/<year>.docx,
    or beside the facts file without an output folder (as `drafter draft` does).
    """
    if not folder.is_dir():
        raise FactsError.one("找不到事实文件夹（应为包含 <区县>/<年度>.yaml 的文件夹）", folder)
    jobs, skipped = [], []
    for path in sorted(_yaml_files(folder)):
        relative = path.relative_to(folder)
        if not _YEAR.fullmatch(path.stem) or len(relative.parts) < 2:
            skipped.append(path)
            continue
        target = None
        if not check_only:
            target = (output / relative if output else path).with_suffix(".docx")
        district = relative.parent.as_posix()
        jobs.append(Job(path, target, district, path.stem))
    if not jobs:
        raise FactsError.one(
            "文件夹中没有找到事实文件：应按 <区县>/<年度>.yaml 存放，如 jiangbei/2022.yaml", folder
        )
    return Found(jobs, skipped)


def _yaml_files(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]  # .git, editor folders
        for name in files:
            if name == CONFIG_NAME:  # a folder's options (drafter/config.py), not facts
                continue
            if name.endswith(FACTS_SUFFIXES) and not name.startswith("."):
                yield Path(root, name)


# --- one file (runs in a worker process) ------------------------------------------------------

_PREPARED: Preparations | None = None  # this process's, made on first use


def run_job(job: Job, options: Options) -> Outcome:
    """Draft or check one file; every failure becomes an error outcome."""
    try:
        options = _with_config(job, options)
        if options.check_only:
            return _check(job, options)
        return _draft(job, options)
    except DrafterError as exc:
        cells = [_in_row(p, job) for p in exc.problems]
        return Outcome(job, "error", f"出错：{_first(cells)}", [str(p) for p in exc.problems])
    except (OSError, MemoryError, RecursionError) as exc:  # a fault, not a bug: said in Chinese
        from drafter.errors import os_reason

        message = "内存不足或嵌套太深" if not isinstance(exc, OSError) else os_reason(exc)
        where = getattr(exc, "filename", None) or job.facts
        return Outcome(job, "error", f"出错：{message}", [f"{where}：{message}"])
    except Exception as exc:  # a bug must not stop the other 99 reports
        message = f"程序内部错误（请报告）：{type(exc).__name__}: {exc}"
        return Outcome(job, "error", f"出错：{message}", [f"{job.facts}：{message}"])


def _with_config(job: Job, options: Options) -> Options:
    """The options completed by the drafter.yaml nearest to this facts file (per file: a
    city folder may hold bureaus with drafter.yaml files of their own)."""
    from dataclasses import replace

    from drafter.config import customise

    return replace(options, custom=customise(job.facts, options.custom))


def _in_row(problem: Problem, job: Job) -> str:
    """A problem as the table shows it: the row already names the facts file."""
    if problem.file is not None and Path(problem.file) == job.facts:
        line = "" if problem.line is None else f"第{problem.line}行："
        return line + str(Problem(problem.message, where=problem.where))
    return str(problem)


def _first(cells: list[str]) -> str:
    more = f"（共 {len(cells)} 处，见上方）" if len(cells) > 1 else ""
    return (cells[0] if cells else "未知错误") + more


def _preparations() -> Preparations:
    global _PREPARED
    from drafter.pipeline import Preparations

    if _PREPARED is None:
        _PREPARED = Preparations()
    return _PREPARED


def _draft(job: Job, options: Options) -> Outcome:
    from drafter.pipeline import draft_to_file

    assert job.output is not None
    result = draft_to_file(
        job.facts, job.output, options.custom,
        strict=options.strict, force=options.force, prepared=_preparations(),
    )  # fmt: skip
    draft = result.draft
    counts = [("待补充", len(draft.gaps), "项"), ("沿用上年未更新", len(draft.stale), "项"),
              ("待审核", len(draft.drafted_for_review), "段"),
              ("警告", len(draft.located.warnings), "条")]  # fmt: skip
    flagged = [f"{what} {n} {unit}" for what, n, unit in counts if n]
    if not result.written:
        return Outcome(job, "error", f"严格模式：{'，'.join(flagged)}，未生成文件")
    notes = list(flagged)
    if result.backup is not None:
        notes.append(f"旧文件已备份为 {result.backup.name}")
    status: Status = "warnings" if flagged else "ok"
    return Outcome(job, status, "，".join(["已生成", *notes]), written=True)


def _check(job: Job, options: Options) -> Outcome:
    from drafter.checking import check_file

    report = check_file(job.facts, options.custom, _preparations())
    errors = [str(f) for f in report.errors]
    warnings = [str(f) for f in report.warnings]
    if errors:
        cells = [_in_row(Problem(f.message, f.file, f.line, f.where), job) for f in report.errors]
        return Outcome(job, "error", f"出错：{_first(cells)}", errors + warnings)
    if warnings:
        return Outcome(job, "warnings", f"警告 {len(warnings)} 条", warnings)
    return Outcome(job, "ok", "通过")


# --- the whole batch --------------------------------------------------------------------------


def default_jobs() -> int:
    """One worker per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1




class Interrupted(Exception):
    """Ctrl-C during a batch; carries what was finished."""

    def __init__(self, outcomes: list[Outcome]) -> None:
        super().__init__("interrupted")
        self.outcomes = outcomes


def run_batch(
    jobs: list[Job],
    options: Options,
    workers: int,
    on_done: Callable[[Outcome], None] = lambda outcome: None,
) -> list[Outcome]:
    """Run every job, on reused worker processes, each with a time limit (options.timeout);
    outcomes in the order of `jobs`. Ctrl-C stops every worker at once."""
    done: dict[Job, Outcome] = {}

    def finish(outcome: Outcome) -> None:
        done[outcome.job] = outcome
        on_done(outcome)

    try:
        if not hasattr(os, "fork"):  # Windows: in this process, without a time limit
            for job in jobs:
                finish(run_job(job, options))
        else:
            _warm(jobs[0], options)
            _run_forked(jobs, options, max(1, workers), finish)
    except KeyboardInterrupt:
        raise Interrupted([done[j] for j in jobs if j in done]) from None
    return [done[job] for job in jobs]


def _warm(job: Job, options: Options) -> None:
    """Compose the first report here, writing nothing: workers forked after it start with
    drafter imported and its profile, compiled templates and Word base prepared. A failure
    or a hang (bounded by the time limit) is left to the worker to report."""
    import threading

    from drafter.pipeline import draft_facts
    from drafter.word import build_package

    if threading.current_thread() is not threading.main_thread():
        return  # signals are for the main thread; the workers start unprepared

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, min(options.timeout, 30.0))
    try:
        custom = _with_config(job, options).custom
        build_package(draft_facts(job.facts, custom, _preparations()).document,
                      reference=custom.reference_doc)  # fmt: skip
    except Exception:  # reported by the worker that drafts this file
        pass
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _timed_out(job: Job, options: Options) -> Outcome:
    message = f"超过时间限制（{options.timeout:g} 秒），已停止处理这份文件"
    return Outcome(job, "error", f"出错：{message}", [f"{job.facts}：{message}"])


def _crashed(job: Job) -> Outcome:
    message = (f"处理这份文件的进程意外退出（可能内存不足：每个进程最多 "
               f"{workers.WORKER_MEMORY // 1024**2} MB）")  # fmt: skip
    return Outcome(job, "error", f"出错：{message}", [f"{job.facts}：{message}"])


def _run_forked(
    jobs: list[Job], options: Options, count: int, finish: Callable[[Outcome], None]
) -> None:
    workers.run_forked(
        jobs, lambda job: run_job(job, options), count, options.timeout, finish,
        timed_out=lambda job: _timed_out(job, options), crashed=_crashed,
    )  # fmt: skip


# --- what the user sees -----------------------------------------------------------------------


class Progress:
    """A one-line progress bar on stderr, redrawn in place; silent when not a terminal."""

    WIDTH = 30

    def __init__(self, total: int, label: str, stream: TextIO | None = None) -> None:
        self.total, self.label = total, label
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.count = self.failed = 0

    def advance(self, outcome: Outcome) -> None:
        self.count += 1
        self.failed += outcome.status == "error"
        if not self.enabled:
            return
        filled = self.WIDTH * self.count // self.total
        bar = "█" * filled + "░" * (self.WIDTH - filled)
        failed = f"  出错 {self.failed}" if self.failed else ""
        self.stream.write(f"\r{self.label} {bar} {self.count}/{self.total}{failed}\033[K")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.count:
            self.stream.write("\r\033[K")
            self.stream.flush()


def display_width(text: str) -> int:
    """Columns on a terminal: CJK characters and full-width punctuation take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def table(rows: list[list[str]], header: list[str]) -> list[str]:
    """Left-aligned columns separated by two spaces, sized by display width."""
    widths = [max(display_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [_pad(cell, widths[i]) for i, cell in enumerate(row[:-1])]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return lines


def _shown(path: Path | None) -> str:
    if path is None:
        return "—"
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def summary_lines(outcomes: list[Outcome], check_only: bool) -> list[str]:
    """Problem details, then the table (区县, 年度, 结果, 输出文件), then the totals."""
    lines = []
    detailed = [o for o in outcomes if o.details and (o.status == "error" or check_only)]
    if detailed:
        lines.append("问题详情：")
        for outcome in detailed:
            lines.extend(f"  {detail}" for detail in outcome.details)
        lines.append("")
    header = ["区县", "年度", "结果"] + ([] if check_only else ["输出文件"])
    rows = []
    for o in outcomes:
        row = [o.job.district, o.job.year, o.result]
        if not check_only:
            row.append(_shown(o.job.output) if o.written else "—")
        rows.append(row)
    lines.extend(table(rows, header))
    errors = sum(o.status == "error" for o in outcomes)
    warned = sum(o.status == "warnings" for o in outcomes)
    total = len(outcomes)
    if check_only:
        passed = total - errors - warned
        lines.append(f"共 {total} 份：通过 {passed} 份，有警告 {warned} 份，出错 {errors} 份。")
    else:
        flagged = f"（其中 {warned} 份有待补充、待更新或待审核的内容）" if warned else ""
        lines.append(f"共 {total} 份：已生成 {total - errors} 份{flagged}，出错 {errors} 份。")
    return lines
