"""The Jinja environment the section templates run in: sandboxed, strict, with our filters.

Templates are searched in the user's folders first (--templates, drafter.yaml), then the
`templates/` folders beside the user's profile files, then the shipped `templates/`, so a
same-named file replaces just that default. The shipped files are also reachable as
"default/<name>", so a user's `problems.j2` can `{% extends "default/problems.j2" %}` and
override one block. A file named after a section id (`achievements.j2`) in a user's folder
drafts that section only, whatever template the profile gives it.
"""

from __future__ import annotations

import difflib
import functools
import re
import types
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from pydantic import BaseModel

from drafter import template_cache, wording
from drafter.document import STALE_CLOSE, STALE_OPEN
from drafter.errors import DrafterError, TemplateError
from drafter.facts.yaml_read import NOT_IN_XML
from drafter.resources import shipped_dir
from drafter.sandbox import MAX_OUTPUT, BoundedEnvironment, FolderLoader, RenderLimit, bound, limits
from drafter.stale import StaleNumber, mark_stale

DEFAULT_PREFIX = "default"  # "default/problems.j2" is always the shipped problems.j2


def template_dirs(user_dirs: Iterable[Path] = ()) -> list[Path]:
    return [*user_dirs, shipped_dir("templates")]


def make_environment(user_dirs: Iterable[Path] = ()) -> SandboxedEnvironment:
    """The sandboxed environment; `user_dirs` are searched in order before the shipped folder."""
    shipped = FolderLoader(str(shipped_dir("templates")))
    env = BoundedEnvironment(
        loader=jinja2.ChoiceLoader([
            jinja2.PrefixLoader({DEFAULT_PREFIX: shipped}),
            FolderLoader([str(d) for d in template_dirs(user_dirs)]),
        ]),
        undefined=_Undefined,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
        keep_trailing_newline=False,
        auto_reload=False,  # a run never sees templates change: skip a stat per lookup
    )
    env.filters.update(
        sentence=wording.sentence,
        points=_points,
        paras=_paragraphs,
        date_cn=wording.date_cn,
        num=_numeric(wording.number),
        score=_numeric(wording.score),
        percent=_numeric(wording.percent),
        money=_numeric(wording.money),
        cn=wording.chinese_number,
    )
    bound(env)
    template_cache.attach(env)  # compiled templates kept between runs
    return env


def section_template(section_id: str, template: str, user_dirs: Iterable[Path]) -> str:
    """The template that drafts a section: in the first user folder that has either, a file
    named after the section id (just this section) or the profile's template; else the
    profile's template from the shipped folder."""
    for folder in user_dirs:
        for name in (f"{section_id}.j2", template):
            if (folder / name).is_file():
                return name
    return template


class _Undefined(jinja2.StrictUndefined):
    """StrictUndefined whose message for a missing field lists the fields that do exist."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        if self._undefined_hint is not None or self._undefined_obj is jinja2.utils.missing:
            return super()._undefined_message
        name = str(self._undefined_name)
        fields = _fields_of(self._undefined_obj)
        if not fields:
            return super()._undefined_message
        close = difflib.get_close_matches(name, list(fields), 3, 0.4)
        shown = [f"{f}（{fields[f]}）" if fields[f] else f for f in close or list(fields)[:12]]
        which = "相近的有" if close else "这里可用的有"
        return f"模板使用了不存在的字段“{name}”；{which}：{'、'.join(shown)}"


def _fields_of(obj: Any) -> dict[str, str]:
    """Field name → Chinese title of what a template holds (a facts view, a mapping)."""
    model = getattr(obj, "_model", obj)  # drafter.context.View wraps a pydantic model
    if isinstance(model, BaseModel):
        return {
            info.alias or name: info.title or "" for name, info in type(model).model_fields.items()
        }
    if isinstance(obj, dict):
        return {str(k): "" for k in obj if not str(k).startswith("_")}
    return {}


def _numeric(format_number: Callable[..., str]) -> Callable[..., str]:
    """A number filter that also takes a metric (`m.X|num(1)`), a metric's printed value
    (`m.X.value|num(1)`) or a carried-over figure, keeping the highlight of the latter."""

    @functools.wraps(format_number)
    def apply(value: Any, *args: Any, **kwargs: Any) -> str:
        value = getattr(value, "number", value)  # a metric view → its value
        stale = isinstance(value, StaleNumber) or (isinstance(value, str) and STALE_OPEN in value)
        if isinstance(value, str):
            value = value.replace(STALE_OPEN, "").replace(STALE_CLOSE, "").replace(",", "")
        try:
            number = Decimal(str(value)) if not isinstance(value, Decimal) else Decimal(value)
        except ArithmeticError:
            raise ValueError(f"“{value}”不是数值，不能用数字格式") from None
        text = format_number(number, *args, **kwargs)
        return mark_stale(text) if stale else text

    return apply


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
    except RenderLimit as exc:  # a constant expression folded while compiling
        raise TemplateError.one(f"模板超出限制：{exc.message}", None, None, name) from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError.one(
            f"模板语法错误：{_syntax_message(exc)}", exc.filename, exc.lineno, name
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError.one(_not_found_message(exc.name), None, None, name) from None


def compile_text(
    env: jinja2.Environment, text: str, name: str, file: Path | str | None
) -> jinja2.Template:
    """A template from a string (a profile's title), its compiled code cached as prose's;
    a syntax error is a TemplateError."""
    from drafter import template_cache

    try:
        return template_cache.from_string(env, text)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError.one(
            f"模板语法错误：{_syntax_message(exc)}", file, exc.lineno, name
        ) from None


def _not_found_message(wanted: Any) -> str:
    text = str(wanted)
    if text.startswith("/") or ".." in text.split("/") or "\\" in text:
        return f"模板“{text}”不可用：模板只能引用模板文件夹中的文件（不能用“..”或绝对路径）"
    return f"找不到模板“{text}”"


def template_exists(env: jinja2.Environment, name: str) -> bool:
    try:
        env.get_template(name)
    except jinja2.TemplateNotFound:
        return False
    except jinja2.TemplateSyntaxError:
        return True  # it exists; rendering will report the syntax error with its line
    return True


_UNDEFINED_RE = re.compile(r"'([^']+)' is undefined|has no attribute '([^']+)'")
_BLOCKED_RE = re.compile(r"attribute '([^']+)'")


def render(
    template: jinja2.Template,
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
        with limits():
            text = template.render(context)
    except RenderLimit as exc:
        line, filename = _template_line(exc)
        raise TemplateError.one(
            f"模板超出限制：{exc.message}", filename or file, (line or 1) + line_offset, name
        ) from None
    except MemoryError as exc:
        line, filename = _template_line(exc)
        raise TemplateError.one(
            "模板占用内存过多（可能生成了过长的文字或列表）", filename or file,
            (line or 1) + line_offset, name,
        ) from None  # fmt: skip
    except DrafterError as exc:
        if any(p.file is not None for p in exc.problems):
            raise
        # Raised by a view (an unknown metric): place it where the template asked for it.
        line, filename = _template_line(exc)
        for problem in exc.problems:
            problem.file = filename or file
            problem.line = (line or 1) + line_offset
            problem.where = problem.where or name
        raise
    except RecursionError:
        raise TemplateError.one(
            "模板继承或引用了自己（无限循环）；在默认模板基础上修改时请写"
            f"{{% extends \"{DEFAULT_PREFIX}/{name}\" %}}",
            file, None, name,
        ) from None
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
        blocked = _BLOCKED_RE.search(str(exc))
        what = f"“{blocked.group(1)}”" if blocked else "不允许的内容"
        raise TemplateError.one(
            f"模板试图访问{what}，出于安全考虑已阻止（模板只能使用事实、指标和过滤器）",
            filename or file, (line or 1) + line_offset, name,
        ) from None
    except jinja2.TemplateNotFound as exc:
        line, filename = _template_line(exc)
        message = _not_found_message(exc.name)
        if message.startswith("找不到"):
            message = f"模板引用的文件“{exc.name}”不存在"
        raise TemplateError.one(
            message, filename or file, None if line is None else line + line_offset, name
        ) from None
    except Exception as exc:  # a runtime error of the template: the wrong type, a bad call
        line, filename = _template_line(exc)
        raise TemplateError.one(
            f"模板运行出错：{runtime_message(exc)}", filename or file, (line or 1) + line_offset,
            name,
        ) from None  # fmt: skip
    return _checked_output(text, name, file)


def _checked_output(text: str, name: str, file: Path | str | None) -> str:
    if len(text) > MAX_OUTPUT:
        raise TemplateError.one(
            f"模板生成的文字太长（{len(text)} 字，最多 {MAX_OUTPUT} 字）", file, None, name
        )
    bad = NOT_IN_XML.search(text)
    if bad:
        raise TemplateError.one(
            f"模板生成了 Word 文档不能保存的字符（U+{ord(bad.group()):04X}）", file, None, name
        )
    return text


_RUNTIME = (
    ("extended multiple times", "模板中有不止一个 {% extends %}"),
    ("requires a filter argument", "过滤器缺少参数（如 map 要写 map(attribute=\"title\")）"),
    ("No filter named", "使用了不存在的过滤器"),
    ("No test named", "使用了不存在的测试（is 后面的名称）"),
    ("unsupported operand", "运算的两边类型不符（如数字与文字相加）"),
    ("can only concatenate", "运算的两边类型不符（如数字与文字相加）"),
    ("not iterable", "对不能逐个取出的值用了 for 或列表过滤器"),
    ("not callable", "调用了不能调用的值（多了括号？）"),
    ("has no attribute", "过滤器或方法用在了不合适的值上"),
    ("division by zero", "除数为零"),
    ("out of range", "下标超出范围"),
    ("not supported between", "比较的两边类型不符（如数字与文字比较大小）"),
    ("argument", "过滤器或函数的参数不对"),
)


def runtime_message(exc: BaseException) -> str:
    """A Chinese account of a runtime error; our own Chinese messages pass through."""
    text = str(exc)
    if re.search("[\u4e00-\u9fff]", text) and not re.search("[A-Za-z]{4,} [A-Za-z]{3,}", text):
        return text
    for english, chinese in _RUNTIME:
        if english in text:
            return chinese
    if isinstance(exc, (KeyError, IndexError)):
        return "取了不存在的项或下标"
    if isinstance(exc, (TypeError, AttributeError)):
        return "值的类型不对（过滤器或运算用在了不合适的值上）"
    if isinstance(exc, ArithmeticError):
        return "算术运算出错"
    return "模板中的表达式无法计算"


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


_END_TAGS = "模板意外结束，可能缺少 {% endif %}、{% endfor %} 或 {% endblock %}"
_SYNTAX = (
    (r"[Uu]nexpected '?end of template", _END_TAGS),
    (r"unexpected '\}'", "多了一个“}”，或“{{”没有配对"),
    (r"expected token 'end of print statement'", "“{{ … }}”里的表达式写法不对"),
    (r"Encountered unknown tag '([^']*)'", "未知的标签“{0}”"),
    (r"No filter named '([^']*)'", "未知的过滤器“{0}”"),
    (r"No test named '([^']*)'", "未知的测试“{0}”（is 后面的名称）"),
    (r"[Bb]lock '([^']*)' defined twice", "块“{0}”定义了两次"),
    (r"unexpected char '(.)'", "有无法识别的字符“{0}”"),
    (r"unexpected '([^']*)'", "这里不应出现“{0}”"),
    (r"expected token '([^']*)'", "缺少“{0}”"),
    (r"tag name expected", "“{%”后缺少标签名"),
)


def _syntax_message(exc: jinja2.TemplateSyntaxError) -> str:
    """Jinja's English reason in Chinese (no English fragment reaches the user)."""
    text = exc.message or ""
    for pattern, chinese in _SYNTAX:
        match = re.search(pattern, text)
        if match:
            return chinese.format(*match.groups()) if match.groups() else chinese
    return "模板写法有误（请检查这一行的 {{ }} 和 {% %} 是否配对、写法是否正确）"


syntax_message = _syntax_message  # also used for prose with {{ }} (drafter/context.py)


def _undefined_message(text: str, context: dict[str, Any]) -> str:
    if text.startswith("模板"):  # already worded by _Undefined
        return text
    match = _UNDEFINED_RE.search(text)
    name = next((g for g in match.groups() if g), None) if match else None
    if name is None:
        return f"模板使用了未定义的内容（{text}）"
    nearby = difflib.get_close_matches(name, [k for k in context if not k.startswith("_")], 3, 0.4)
    titles = _fields_of(context.get("facts"))  # the facts fields are variables of their own
    shown = [f"{k}（{titles[k]}）" if titles.get(k) else k for k in nearby]
    hint = f"；相近的有：{'、'.join(shown)}" if nearby else ""
    return f"模板使用了未定义的变量“{name}”{hint}"

