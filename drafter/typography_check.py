"""Typography findings: what `typography.normalise` would change (fixable), and what it
cannot decide — unbalanced brackets, quotes and 书名号, a broken 文号, Traditional
characters and conversion debris. `drafter.typography.check` is this module's `check`."""

from __future__ import annotations

import re
from collections.abc import Iterator

from drafter.simplified import _DEBRIS, traditional_characters
from drafter.typography import (
    _BROKEN_WENHAO,
    _CLOSERS,
    _PAIR_NAMES,
    _PAIRS,
    Finding,
    _Edit,
    _edits,
    _protected,
)


def check(text: str) -> list[Finding]:
    """Every typographic finding in `text`, in text order."""
    findings = [_fix_finding(text, e) for e in _edits(text)]
    broken = list(_broken_wenhao(text))
    findings += [finding for finding, _ in broken]
    taken = {i for finding, end in broken for i in range(finding.start, end)}
    findings += [f for f in _unbalanced(text) if f.start not in taken]
    findings += _debris(text)
    findings += _traditional(text)
    return sorted(findings, key=lambda f: (f.start, f.kind))


def _excerpt(text: str, start: int, end: int, width: int = 8) -> str:
    left = max(0, start - width)
    return text[left : end + width].replace("\n", " ")


def _fix_finding(text: str, edit: _Edit) -> Finding:
    old = text[edit.start : edit.end]
    if edit.kind == "wenhao":
        message = f"文号年份应使用六角括号“〔〕”：“{old.strip()}”应为“{edit.new}”"
    elif not edit.new:
        message = "全角标点旁多了空格"
    elif old.isdigit() or old == "％":
        message = f"数字和百分号应为半角：“{old}”应为“{edit.new}”"
    else:
        message = f"中文里的半角标点“{old}”应为全角“{edit.new}”"
    return Finding(edit.kind, message, edit.start, _excerpt(text, edit.start, edit.end), True)


def _broken_wenhao(text: str) -> Iterator[tuple[Finding, int]]:
    """Findings with the end of what they cover (its brackets are not reported again)."""
    seen: set[int] = set()
    for pattern, why in _BROKEN_WENHAO:
        for match in pattern.finditer(text):
            if match.start() in seen:
                continue
            seen.add(match.start())
            # show the issuer abbreviation before it and the serial after it
            head = re.search(r"[\u4e00-\u9fff]{0,8}$", text[: match.start()])
            left = head.start() if head else match.start()
            tail = re.match(r"[\d\s]*号?", text[match.end() :])
            right = match.end() + (tail.end() if tail else 0)
            finding = Finding(
                "broken_wenhao",
                f"文号不完整（{why}）：“{text[left:right]}”；文号应写作“机关代字〔年份〕序号号”，"
                "如“渝府教督发〔2022〕5号”，请核对原文",
                match.start(), _excerpt(text, match.start(), match.end()), False,
            )  # fmt: skip
            yield finding, match.end()


def _unbalanced(text: str) -> Iterator[Finding]:
    protected = _protected(text)
    stack: list[int] = []
    crossed: list[str] = []  # openers already reported as crossed: their closer comes later
    for i, ch in enumerate(text):
        if i in protected:
            continue
        if ch in _PAIRS:
            stack.append(i)
        elif ch in _CLOSERS:
            opener = _CLOSERS[ch]
            if ch == "’" and i > 0 and text[i - 1].isascii() and text[i - 1].isalpha():
                continue  # an English apostrophe (Children’s)
            if stack and text[stack[-1]] == opener:
                stack.pop()
            elif opener in (text[j] for j in stack):
                # crossed pairs: （…“…）…” — report the inner one once
                while text[stack[-1]] != opener:
                    j = stack.pop()
                    crossed.append(text[j])
                    yield _open_finding(text, j)
                stack.pop()
            elif opener in crossed:
                crossed.remove(opener)
            else:
                yield Finding(
                    "unbalanced",
                    f"{_PAIR_NAMES[opener]}不成对：{_mark(ch)}前面没有对应的{_mark(opener)}",
                    i, _excerpt(text, i, i + 1), False,
                )  # fmt: skip
    for j in stack:
        yield _open_finding(text, j)
    quotes = [i for i, c in enumerate(text) if c == '"' and i not in protected]
    if len(quotes) % 2:
        yield Finding(
            "unbalanced", "半角引号“\"”的个数为单数，无法判断哪个是前引号、哪个是后引号",
            quotes[-1], _excerpt(text, quotes[-1], quotes[-1] + 1), False,
        )  # fmt: skip


def _mark(ch: str) -> str:
    """A mark named in a message: quotes by name (““”” is unreadable), others quoted."""
    names = {"“": "前引号“", "”": "后引号”", "‘": "前引号‘", "’": "后引号’"}
    return names.get(ch, f"“{ch}”")


def _open_finding(text: str, i: int) -> Finding:
    opener = text[i]
    return Finding(
        "unbalanced",
        f"{_PAIR_NAMES[opener]}不成对：{_mark(opener)}后面没有对应的{_mark(_PAIRS[opener])}",
        i, _excerpt(text, i, i + 1), False,
    )  # fmt: skip


def _debris(text: str) -> list[Finding]:
    matches = list(_DEBRIS.finditer(text))
    if not matches:
        return []
    examples = "、".join(dict.fromkeys(text[m.start() - 1 : m.end()] for m in matches))
    return [
        Finding(
            "debris",
            f"有{len(matches)}处繁简转换残留的拼音，如“{_first(examples)}”"
            "（可用 drafter lint --to-simplified 去除）",
            matches[0].start(),
            _excerpt(text, matches[0].start(), matches[0].end()),
            False,
        )
    ]


def _traditional(text: str) -> list[Finding]:
    pairs = traditional_characters(text)
    if not pairs:
        return []
    examples = "、".join(dict.fromkeys(f"{t}→{s}" for _, t, s in pairs))
    start = pairs[0][0]
    return [
        Finding(
            "traditional",
            f"有{len(pairs)}个繁体字，如“{_first(examples)}”"
            "（可用 drafter lint --to-simplified 转为简体）",
            start,
            _excerpt(text, start, start + 1),
            False,
        )
    ]


def _first(examples: str, n: int = 5) -> str:
    parts = examples.split("、")
    return "、".join(parts[:n]) + ("等" if len(parts) > n else "")
