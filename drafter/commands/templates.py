"""`drafter templates`: copy a default section template to change it; list which file each
section uses (the user's or the default)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from drafter.commands import add_customisation, add_parser

if TYPE_CHECKING:
    from drafter.config import Customisation
    from drafter.profiles import ResolvedProfile

SHARED = ("_section.j2", "_macros.j2")  # every section template builds on these


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_parser(
        subparsers, "templates", "复制默认模板以便修改；列出各部分使用的模板文件",
        "自定义模板：只复制需要修改的部分的默认模板，其余部分继续使用默认模板并随 drafter "
        "升级更新。模板文件夹用 --templates 指定，或写在 drafter.yaml 中。",
    )  # fmt: skip
    actions = parser.add_subparsers(title="操作", dest="action", metavar="<操作>",
                                    parser_class=type(parser))  # fmt: skip
    init = add_parser(
        actions, "init", "把某个部分的默认模板复制到模板文件夹（附说明）",
        "把指定部分的默认模板复制到模板文件夹，文件开头附中文说明（怎样只改写其中一块）。"
        "以部分编号命名的模板（如 achievements.j2）只用于该部分。已存在的文件不会被覆盖。",
    )  # fmt: skip
    init.add_argument("folder", type=Path, metavar="模板文件夹", help="自定义模板文件夹，如 mytpl")
    init.add_argument("facts", type=Path, nargs="?", metavar="事实文件",
                      help="按这个事实文件的结构方案复制它实际使用的模板"
                      "（也可用 --profile 指定方案）")
    init.add_argument("--section", action="append", default=[], metavar="部分编号",
                      help="要修改的部分，如 problems（可重复；drafter templates list 列出编号）")
    init.add_argument("--template", action="append", default=[], metavar="模板名",
                      help="按文件名复制默认模板，如 _section.j2、_macros.j2、part.j2"
                      "（替换所有使用它的部分；可重复）")
    add_customisation(init)
    listing = add_parser(
        actions, "list", "列出各部分使用的模板文件：自定义的还是默认的",
        "按结构方案列出每个部分使用的模板文件，说明是自定义的还是默认的，"
        "以及模板文件夹中没有被用到的文件（可能是文件名写错了）。",
    )  # fmt: skip
    listing.add_argument("facts", type=Path, nargs="?", metavar="事实文件",
                         help="按这个事实文件的结构方案和 drafter.yaml 列出（可不填）")
    add_customisation(listing)
    parser.set_defaults(_parser=parser)


def run(args: argparse.Namespace) -> int:
    if args.action is None:
        args._parser.print_help()
        return 0
    if args.action == "init":
        return _init(args)
    return _list(args)


def _setup(args: argparse.Namespace, near: Path) -> tuple[Customisation, ResolvedProfile]:
    from drafter.config import from_args
    from drafter.profiles import load_profile

    custom = from_args(args, near)
    name = custom.profile
    if name is None and getattr(args, "facts", None) is not None:
        from drafter.facts.load import load_facts

        name = load_facts(args.facts)[0].profile
    profile = load_profile(name or "default", list(custom.profile_dirs))
    return custom, profile


def _init(args: argparse.Namespace) -> int:
    from drafter.errors import DrafterError, OutputError
    from drafter.output import atomic_write
    from drafter.resources import shipped_dir

    if not args.section and not args.template:
        raise DrafterError.one(
            "请用 --section 指定要修改的部分（如 --section problems）：只复制需要修改的模板，"
            "其余部分继续使用默认模板并随升级更新。drafter templates list 列出各部分的编号。"
        )
    _, profile = _setup(args, args.facts or Path.cwd())
    sections = {s.id: s for s in profile.sections}
    shipped = shipped_dir("templates")
    planned: list[tuple[Path, str, str, str]] = []  # target, default, what, scope
    for section_id in args.section:
        section = sections.get(section_id)
        if section is None:
            raise DrafterError.one(
                f"结构方案“{profile.name}”中没有部分“{section_id}”；"
                f"可用的部分：{'、'.join(sections)}"
            )
        what = f"部分“{section_id}”" + (f"（{section.heading}）" if section.heading else "")
        default = section.template_name
        scope = (
            f"文件名与默认模板 {default} 相同：使用该模板的部分都改用这个文件。"
            if default == f"{section_id}.j2"
            else f"文件名是部分编号：只用于这一部分，其他部分仍用默认模板 {default}。"
        )
        planned.append((args.folder / f"{section_id}.j2", default, what, scope))
    for name in args.template:
        scope = f"它替换默认模板 {name}：所有使用它的部分都改用这个文件。"
        planned.append((args.folder / name, name, f"默认模板 {name}", scope))
    for target, default, _, _ in planned:
        if Path(default).name != default or not (shipped / default).is_file():
            raise DrafterError.one(f"没有名为“{default}”的默认模板")
        if target.exists():
            raise OutputError.one("文件已存在，不会覆盖；要重新复制请先删除或改名", target)
    for target, default, what, scope in planned:
        source = (shipped / default).read_text(encoding="utf-8")
        text = _header(default, what, scope, args.folder) + source
        atomic_write(target, text.encode("utf-8"))
        used = f"结构方案“{profile.name}”使用的" if what.startswith("部分") else ""
        print(f"已复制：{target}（{what}，复制自{used}默认模板 {default}）")
    print(f"起草时使用：drafter draft 事实文件 --templates {args.folder}"
          "（或在 drafter.yaml 中写 templates）")  # fmt: skip
    return 0


def _header(default: str, what: str, scope: str, folder: Path) -> str:
    """The Chinese comment a copied template starts with: what it is and how to change it."""
    if default == "_macros.j2":
        return _macros_header(scope, folder)
    return (
        "{#- ================ 自定义模板 ================\n"
        f"    {what}：由 drafter templates init 从默认模板 {default} 复制。\n"
        f"    {scope}\n"
        f"    起草时加 --templates {folder}（或在 drafter.yaml 中写 templates: {folder}）。\n"
        "\n"
        "    两种改法：\n"
        "    1. 直接修改下面复制来的内容；\n"
        "    2. 只改写其中一块（推荐：其余部分随 drafter 升级自动更新）：删去下面的全部内容，写成\n"
        f'         {{% extends "default/{default}" %}}\n'
        "         {% block outro %}\n"
        "         在这一部分最后加的一段话。\n"
        "         {% endblock %}\n"
        "    可改写的块（定义在 _section.j2）：heading 一级标题行；intro 标题下的段落；\n"
        "    items 全部条目；item 一个条目（变量 it）；outro 条目之后的段落（默认为空）。\n"
        "    {{ super() }} 写出默认的内容。每行是一段；“# ”开头是一级标题，“## ”二级，\n"
        "    “### 标题 || 正文”是与正文接排的三级标题。序号自动生成，不要手写。\n"
        "    详见 docs/customizing.md。\n"
        "    ============================================ -#}\n"
    )


def _macros_header(scope: str, folder: Path) -> str:
    """_macros.j2 defines macros, not blocks: a copy replaces the whole file."""
    return (
        "{#- ================ 自定义模板 ================\n"
        "    默认模板 _macros.j2：由 drafter templates init 复制。\n"
        f"    {scope}\n"
        f"    起草时加 --templates {folder}（或在 drafter.yaml 中写 templates: {folder}）。\n"
        "\n"
        "    这个文件只定义宏（ui.item、ui.head、ui.part），没有可以单独改写的块：\n"
        "    复制后整个文件替换默认的 _macros.j2，drafter 升级时这里不会随之更新。\n"
        "    标题接排或单独成行、标题句末标点、无标题条目、连续编号、分值写法、\n"
        "    “一是……二是……”的写法，都是结构方案的设置（levels、enumeration），\n"
        "    不必修改本文件，见 docs/customizing.md 和 drafter profiles --show 方案名。\n"
        "    ============================================ -#}\n"
    )


def _list(args: argparse.Namespace) -> int:
    import re

    from drafter.compose import prepare
    from drafter.resources import shipped_dir
    from drafter.templating import load_template

    custom, profile = _setup(args, args.facts or Path.cwd())
    drafting = prepare(profile, list(custom.template_dirs))
    shipped = shipped_dir("templates").resolve()
    folders = [*custom.template_dirs, *profile.template_dirs]
    extends = re.compile(r"""\{%-?\s*extends\s+["']default/([^"']+)["']""")
    comments = re.compile(r"\{#.*?#\}", re.DOTALL)

    def describe(name: str) -> str:
        path = Path(load_template(drafting.env, name).filename or name)
        if path.resolve().is_relative_to(shipped):
            return f"默认   {name}"
        code = comments.sub("", path.read_text(encoding="utf-8"))
        base = extends.search(code)
        note = f"（在默认模板 {base.group(1)} 的基础上改写）" if base else ""
        return f"自定义 {path}{note}"

    print(f"结构方案：{profile.name}（{profile.source}）")
    if custom.config is not None:
        print(f"配置文件：{custom.config}")
    print("模板查找顺序：" + " → ".join([*(str(f) for f in folders), "默认模板"]))
    used: set[str] = set(SHARED)
    width = max(len(s.id) for s in profile.sections)
    for section in profile.sections:
        name = drafting.template_of(section)
        used.add(name)
        used.add(section.template_name)
        print(f"  {section.id:<{width}}  {describe(name)}")
    print("共用模板（所有部分都以它们为基础）：")
    for name in SHARED:
        print(f"  {name:<{width}}  {describe(name)}")
    strays = [
        path for folder in folders for path in sorted(folder.glob("*.j2"))
        if path.name not in used and not (shipped / path.name).is_file()
    ]  # fmt: skip
    for path in strays:
        print(f"未使用：{path}（没有同名的部分编号或默认模板；是不是文件名写错了？）")
    return 0
