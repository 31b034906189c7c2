"""What a page shows of one facts file, computed by the same pipeline the command line uses.

Drafting (pipeline.draft_facts), checking (checking.check_file) and numbering (provenance.trace
of the draft) are called here, never re-implemented; views.py turns the result into the
editor's fields. Results are cached by the file's version token, so an unchanged file
is never drafted twice. All pipeline calls hold one lock: provenance.trace patches
drafter.compose while it runs, which a concurrent draft must not see.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from pathlib import Path

from drafter.checking import CheckReport, Finding, check_file
from drafter.compose import Draft
from drafter.config import Customisation, customise
from drafter.errors import DrafterError
from drafter.facts.load import FieldPath
from drafter.facts.models import Facts
from drafter.pipeline import Preparations, draft_facts

PIPELINE = threading.Lock()
_PREPARED = Preparations()


def field_id(path: FieldPath | str) -> str:
    """An HTML id for a field path (metric names hold characters CSS ids cannot)."""
    dotted = path if isinstance(path, str) else ".".join(map(str, path))
    return "f" + hashlib.md5(dotted.encode()).hexdigest()[:12]


def dotted(path: FieldPath) -> str:
    return ".".join(map(str, path))


def custom_for(path: Path) -> Customisation:
    """The folder's drafter.yaml applies as it does for `drafter draft`."""
    return customise(path, Customisation())


def draft(path: Path) -> Draft:
    with PIPELINE:
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
    state = cached or ReportState(version)
    custom = custom_for(path)
    with PIPELINE:
        if state.check is None:
            state.check = check_file(path, custom, _PREPARED)
            try:
                state.draft = draft_facts(path, custom, _PREPARED)
                state.facts = state.draft.facts
            except DrafterError as exc:
                state.error = problems_text(exc, root)
        if outline and state.draft is not None and not state.outline:
            _trace(state, path, custom)
    if len(_CACHE) > 64:
        _CACHE.clear()
    _CACHE[key] = state
    return state


def _trace(state: ReportState, path: Path, custom: Customisation) -> None:
    from drafter.document import Heading
    from drafter.reading.provenance import trace

    try:
        traced = trace(path, custom)
    except DrafterError:
        return
    pending: list[int] = []
    for line in traced.lines:
        block = line.block
        if not isinstance(block, Heading):
            if pending and line.regions:
                _resolve(state, pending, line.regions[0].path)
            continue
        title = line.text if not block.run_in else line.text.split("。")[0]
        region = line.regions[0].path if line.regions else None
        if region is None:
            pending.append(len(state.outline))
            state.outline.append((block.level, title[:40], ""))
            continue
        if region[0] == "headings":  # a section heading renamed in the facts
            state.outline.append((block.level, title[:40], field_id(("section", region[1]))))
            continue
        item = region[:-1] if region[-1] == "title" else region
        state.numbers[item] = block.number
        anchor = field_id(region)  # the title's own box: items and measures both show it
        _resolve(state, pending, region)
        state.outline.append((block.level, title[:40], anchor))


def _resolve(state: ReportState, pending: list[int], region: FieldPath) -> None:
    """Section headings (drafted from the profile) link to the section of what follows."""
    for index in pending:
        level, text, _ = state.outline[index]
        state.outline[index] = (level, text, field_id(("section", str(region[0]))))
    pending.clear()
