"""What a page shows of one facts file, computed by the same pipeline the command line uses.

Drafting (pipeline.draft_facts), checking (checking.check_file) and numbering (provenance.trace
of the draft) are called here, never re-implemented; views.py turns the result into the
editor's fields. Results are cached by the file's version token, so an unchanged file
is never drafted twice.

Every pipeline call of the page runs through `bounded`: in a child process forked for it
(workers.run_once), one at a time. waitress answers in worker threads, where the sandbox's
time limit (SIGALRM) and memory limit (RLIMIT_AS, the whole process's) cannot apply; the
child's one thread is its main thread, so every limit holds there, the job's renders share
one time budget, and a child over its time is stopped: a hostile template costs the page
one error message, never the server. (provenance.trace patches drafter.compose while it
runs: in a child, no other request can see it.)
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from drafter.checking import CheckReport, Finding, check_file
from drafter.compose import Draft
from drafter.config import Customisation, customise
from drafter.errors import DrafterError
from drafter.facts.load import FieldPath
from drafter.facts.models import Facts
from drafter.pipeline import Preparations, draft_facts
from drafter.web.workspace import WebError

PIPELINE = threading.Lock()
_PREPARED = Preparations()  # filled in the children only: the server never compiles templates
JOB_MEMORY = 1024**3  # bytes a page's job may add to its process
_GRACE = 5.0  # seconds past the time budget before a job's process is stopped
T = TypeVar("T")


def field_id(path: FieldPath | str) -> str:
    """An HTML id for a field path (metric names hold characters CSS ids cannot)."""
    dotted = path if isinstance(path, str) else ".".join(map(str, path))
    return "f" + hashlib.md5(dotted.encode()).hexdigest()[:12]


def dotted(path: FieldPath) -> str:
    return ".".join(map(str, path))


def custom_for(path: Path) -> Customisation:
    """The folder's drafter.yaml applies as it does for `drafter draft`."""
    return customise(path, Customisation())


def bounded(work: Callable[..., T], *args: Any) -> T:
    """`work(*args)` with every limit of the sandbox, in a child process (see above); its
    exception is raised here. Over its time or out of memory: a WebError in Chinese."""
    from drafter import sandbox, workers

    seconds = sandbox.RENDER_SECONDS
    with PIPELINE:
        try:
            if not hasattr(os, "fork"):  # Windows: in this thread, with the time limit only
                return _job(seconds, work, args)
            return workers.run_once(_job, seconds, work, args, timeout=seconds + _GRACE,
                                    memory=JOB_MEMORY)  # fmt: skip
        except workers.WorkerFailed as exc:
            if exc.timed_out:
                raise WebError(
                    f"起草超过 {seconds:g} 秒仍未完成，已停止。可能是所用模板中的循环或运算过多，"
                    "请检查本报告所用的模板（drafter.yaml 中 templates 指定的文件夹）", 400,
                ) from None  # fmt: skip
            raise WebError(f"起草时处理进程意外退出（可能占用内存过多，上限 "
                           f"{JOB_MEMORY // 1024**2} MB），已停止", 400) from None
        except (MemoryError, RecursionError):
            raise WebError("起草时占用内存过多或嵌套太深（可能是模板生成了过长的文字或列表），"
                           "已停止", 400) from None


def _job(seconds: float, work: Callable[..., T], args: tuple[Any, ...]) -> T:
    from drafter import sandbox

    with sandbox.budget(seconds):
        return work(*args)


def draft(path: Path) -> Draft:
    return bounded(_draft, path)


def _draft(path: Path) -> Draft:
    return draft_facts(path, custom_for(path), _PREPARED)


def problems_text(exc: DrafterError, root: Path) -> list[str]:
    """A DrafterError's problems, with paths shown relative to the served folder."""
    out = []
    for problem in exc.problems:
        text = str(problem)
        out.append(text.replace(f"{root}/", "").replace(str(root), ""))
    return out


@dataclass
class ReportState:
    version: str
    facts: Facts | None = None
    draft: Draft | None = None
    error: list[str] = field(default_factory=list)
    check: CheckReport | None = None
    outline: list[tuple[int, str, str]] = field(default_factory=list)  # level, text, anchor
    numbers: dict[FieldPath, str] = field(default_factory=dict)
    section_headings: dict[str, str] = field(default_factory=dict)  # section id → as drafted
    known_ids: set[str] = field(default_factory=set)

    @property
    def findings(self) -> list[Finding]:
        """Errors first, then warnings, then the rest, each in file order."""
        order = {"error": 0, "warning": 1, "info": 2}
        found = self.check.findings if self.check else []
        return sorted(found, key=lambda f: order.get(f.level, 3))

    def counts(self) -> dict[str, int]:
        findings = self.findings
        return {
            "errors": sum(f.level == "error" for f in findings),
            "warnings": sum(f.level == "warning" for f in findings),
            "gaps": len(self.draft.gaps) if self.draft else 0,
            "stale": len(self.draft.located.stale) if self.draft else 0,
        }

    def anchor(self, where: str | None) -> str | None:
        """The id of the field a finding names, or of its nearest enclosing field shown."""
        if not where:
            return None
        parts = where.split(".")
        while parts:
            ident = field_id(".".join(parts))
            if ident in self.known_ids:
                return ident
            parts.pop()
        return None


_CACHE: dict[tuple[Path, str], ReportState] = {}


def report_state(path: Path, version: str, root: Path, *, outline: bool = True) -> ReportState:
    """Draft, check and (for the report page) trace one file at one version, cached."""
    key = (path, version)
    cached = _CACHE.get(key)
    if cached is not None and (cached.outline or cached.error or not outline):
        return cached
    try:
        state = bounded(_computed, path, version, root, outline, cached)
    except WebError as exc:  # over its time or memory: said on the page, not kept
        return ReportState(version, error=[exc.message])
    if len(_CACHE) > 64:
        _CACHE.clear()
    _CACHE[key] = state
    return state


def _computed(path: Path, version: str, root: Path, outline: bool,
              cached: ReportState | None) -> ReportState:  # fmt: skip
    state = cached or ReportState(version)
    custom = custom_for(path)
    if state.check is None:
        state.check = check_file(path, custom, _PREPARED)
        try:
            state.draft = draft_facts(path, custom, _PREPARED)
            state.facts = state.draft.facts
        except DrafterError as exc:
            state.error = problems_text(exc, root)
    if outline and state.draft is not None and not state.outline:
        _trace(state, path, custom)
    return state


def _trace(state: ReportState, path: Path, custom: Customisation) -> None:
    from drafter.document import Heading
    from drafter.reading.provenance import trace

    try:
        traced = trace(path, custom)
    except DrafterError:
        return
    pending: list[int] = []
    headings: list[str] = []  # the text of the pending ones
    for line in traced.lines:
        block = line.block
        if not isinstance(block, Heading):
            if pending and line.regions:
                _resolve(state, pending, headings, line.regions[0].path)
            continue
        title = line.text if not block.run_in else line.text.split("。")[0]
        region = line.regions[0].path if line.regions else None
        if region is None:
            pending.append(len(state.outline))
            headings.append(_plain(block))
            state.outline.append((block.level, title[:40], ""))
            continue
        if region[0] == "headings":  # a section heading renamed in the facts
            state.section_headings[str(region[1])] = _plain(block)
            state.outline.append((block.level, title[:40], field_id(("section", region[1]))))
            continue
        item = region[:-1] if region[-1] == "title" else region
        state.numbers[item] = block.number
        anchor = field_id(region)  # the title's own box: items and measures both show it
        _resolve(state, pending, headings, region)
        state.outline.append((block.level, title[:40], anchor))


def _resolve(state: ReportState, pending: list[int], headings: list[str],
             region: FieldPath) -> None:  # fmt: skip
    """Section headings (drafted from the profile) link to the section of what follows: a
    field of the facts, or a part under `parts:`."""
    section = str(region[1] if region[0] == "parts" and len(region) > 1 else region[0])
    for index, text in zip(pending, headings, strict=True):
        level, shown, _ = state.outline[index]
        state.outline[index] = (level, shown, field_id(("section", section)))
        if level == 1:
            state.section_headings.setdefault(section, text)
    pending.clear()
    headings.clear()


def _plain(block: object) -> str:
    """A heading's words, without its number."""
    return "".join(span.text for span in getattr(block, "text", ()))
