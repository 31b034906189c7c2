"""The Jinja environment the section templates run in: sandboxed, strict, with our filters.

Templates are searched in the user's folders first, then the shipped `templates/`, so a
same-named file replaces just that default.
"""

from __future__ import annotations

import difflib
import re
import types
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from drafter import wording
from drafter.errors import DrafterError, TemplateError
from drafter.resources import shipped_dir


def template_dirs(user_dirs: Iterable[Path] = ()) -> list[Path]:
    return [*user_dirs, shipped_dir("templates")]


def make_environment(user_dirs: Iterable[Path] = ()) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(user_dirs)]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
        keep_trailing_newline=False,
    )
    env.filters.update(
        sentence=wording.sentence,
        points=_points,
        paras=_paragraphs,
        date_cn=wording.date_cn,
        num=wording.number,
        score=wording.score,
        percent=wording.percent,
        money=wording.money,
        cn=wording.chinese_number,
    )
    return env


def _points(value: Any, lead: str | None = None) -> str:
    """`item.points|points`: an Enumeration (lead + points) or a plain list → 一是……二是……"""
    if not value:
        return ""
    if isinstance(value, (list, tuple)):
        return wording.enumerate_points(value, lead or "")
    return wording.enumerate_points(value.points, value.lead if lead is None else lead)


def _paragraphs(item: Any) -> list[str]:
    """`it|paras`: an item's paragraphs, its text then its 一是……二是…… points."""
    out = [str(p) for p in item.text]
    if item.points:
        out.append(_points(item.points))
    return out


def load_template(env: jinja2.Environment, name: str) -> jinja2.Template:
    """Get a template; a syntax error or a missing file becomes a located TemplateError."""
    try:
        return env.get_template(name)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError.one(
            f"模板语法错误：{_syntax_message(exc)}", exc.filename, exc.lineno, name
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError.one(f"找不到模板“{exc.name}”", None, None, name) from None


def template_exists(env: jinja2.Environment, name: str) -> bool:
    try:
        env.get_template(name)
    except jinja2.TemplateNotFound:
        return False
    except jinja2.TemplateSyntaxError:
        return True  # it exists; rendering will report the syntax error with its line
    return True


_UNDEFINED_RE = re.compile(r"'([^']+)' is undefined|has no attribute '([^']+)'")


def render(
    template: Callable[[], str] | jinja2.Template,
    context: dict[str, Any],
    *,
    name: str,
    file: Path | str | None = None,
    line_offset: int = 0,
) -> str:
    """Render, turning every Jinja failure into a Chinese TemplateError with file and line.

    `name` is how the template is called in messages; `file`/`line_offset` place it (for
    prose inside a facts file, the file is the facts file and the offset its field's line).
    """
    try:
        if isinstance(template, jinja2.Template):
            return template.render(context)
        return template()
    except DrafterError:
        raise
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError.one(
            f"模板语法错误：{_syntax_message(exc)}",
            exc.filename or file,
            (exc.lineno or 1) + line_offset,
            exc.name or name,
        ) from None
    except jinja2.UndefinedError as exc:
        line, filename = _template_line(exc)
        message = _undefined_message(str(exc), context)
        raise TemplateError.one(
            message, filename or file, (line or 1) + line_offset, name
        ) from None
    except SecurityError as exc:
        line, filename = _template_line(exc)
        raise TemplateError.one(
            "模板试图访问不允许的内容（出于安全考虑已阻止）", filename or file,
            (line or 1) + line_offset, name,
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError.one(f"模板引用的文件“{exc.name}”不存在", file, None, name) from None
    except (TypeError, ValueError, ArithmeticError, KeyError, IndexError) as exc:
        line, filename = _template_line(exc)
        raise TemplateError.one(
            f"模板渲染出错：{exc}", filename or file, (line or 1) + line_offset, name
        ) from None


def _template_line(exc: BaseException) -> tuple[int | None, str | None]:
    """The deepest traceback frame that belongs to a template (Jinja rewrites these)."""
    found: tuple[int | None, str | None] = (None, None)
    tb: types.TracebackType | None = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") or filename == "<template>":
            found = (tb.tb_lineno, None if filename == "<template>" else filename)
        tb = tb.tb_next
    return found


def _syntax_message(exc: jinja2.TemplateSyntaxError) -> str:
    text = exc.message or ""
    table = {
        "unexpected end of template": "模板意外结束，可能缺少 {% endif %} 或 {% endfor %}",
        "unexpected '}'": "多了一个“}”，或“{{”没有配对",
        "expected token 'end of print statement'": "“{{ … }}”里的表达式写法不对",
        "Encountered unknown tag": "未知的标签",
    }
    for english, chinese in table.items():
        if english in text:
            return f"{chinese}（{text}）"
    return text


def _undefined_message(text: str, context: dict[str, Any]) -> str:
    match = _UNDEFINED_RE.search(text)
    name = next((g for g in match.groups() if g), None) if match else None
    if name is None:
        return f"模板使用了未定义的内容（{text}）"
    nearby = difflib.get_close_matches(name, [k for k in context if not k.startswith("_")], 3, 0.4)
    hint = f"；相近的有：{'、'.join(nearby)}" if nearby else ""
    return f"模板使用了未定义的变量“{name}”{hint}"

