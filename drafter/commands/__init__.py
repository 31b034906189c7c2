"""One module per `drafter` command. Each defines `register(subparsers)` and `run(args)`.

Modules here import only argparse-level things at the top; the heavy work is imported
inside `run`, so building the parser (and `drafter --help`) stays instant.
"""

from __future__ import annotations

import argparse
from pathlib import Path

# The order here is the order in `drafter --help`.
NAMES = (
    "import", "draft", "batch", "roll", "check", "diff", "text", "profiles", "lint", "preview",
    "templates", "styles", "schema", "sheet", "serve",
)  # fmt: skip
# A command whose name is a Python keyword lives in a module with a trailing underscore.
MODULES = {"import": "import_"}


def add_parser(
    subparsers: argparse._SubParsersAction, name: str, help: str, description: str
) -> argparse.ArgumentParser:
    """A subcommand parser with Chinese section titles and a Chinese -h/--help."""
    parser = subparsers.add_parser(name, help=help, description=description, add_help=False)
    parser._positionals.title = "参数"
    parser._optionals.title = "选项"
    parser.add_argument("-h", "--help", action="help", help="显示帮助并退出")
    return parser


def add_customisation(
    parser: argparse.ArgumentParser, profile: bool = True, reference: bool = False
) -> None:
    """The options every drafting command shares: profile, template and profile folders (and,
    where a .docx is made, the reference document). A drafter.yaml beside the facts file or
    above it supplies the ones not given (see drafter/config.py)."""
    if profile:
        parser.add_argument(
            "--profile", metavar="方案",
            help="结构方案名或 .yaml 路径；不填则用 drafter.yaml 或事实文件中的 profile"
            "（默认 default）",
        )  # fmt: skip
    parser.add_argument(
        "--templates", type=Path, action="append", default=[], metavar="文件夹",
        help="自定义模板文件夹，其中的同名模板优先于默认模板（可重复；先于 drafter.yaml 中的）",
    )  # fmt: skip
    parser.add_argument(
        "--sections", type=Path, action="append", default=[], metavar="文件夹",
        help="自定义结构方案文件夹（可重复；先于 drafter.yaml 中的）",
    )  # fmt: skip
    parser.add_argument(
        "--standards", type=Path, action="append", default=[], metavar="文件夹",
        help="本地标准表文件夹：其中的标准表都适用，同名的覆盖默认标准表（可重复）",
    )  # fmt: skip
    if reference:
        parser.add_argument(
            "--reference-doc", type=Path, metavar="样式.docx",
            help="参考样式文档：报告采用其中的样式和页面设置（由 drafter styles init 生成后修改）",
        )  # fmt: skip
