"""`drafter profiles`: the structure profiles and what each is for; `--show NAME` prints
one profile resolved (inheritance applied), with every section's settings."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from drafter.commands import add_parser

if TYPE_CHECKING:
    from drafter.profiles import ResolvedProfile


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_parser(
        subparsers, "profiles", "列出可用的结构方案；--show 显示一个方案的全部设置",
        "列出可用的结构方案及其说明；--show 方案名 按继承关系合并后，写出这个方案的全部设置"
        "（各部分的标题、模板、各级标题写法、分值写法、列举方式……，含默认值）。",
    )  # fmt: skip
    parser.add_argument("--sections", type=Path, action="append", default=[], metavar="文件夹",
                        help="另外查找结构方案的文件夹（可重复）")
    parser.add_argument("--show", metavar="方案名",
                        help="写出这个方案合并继承后的全部设置（YAML），如 --show tianjin")


def run(args: argparse.Namespace) -> int:
    from drafter.profiles import list_profiles, load_profile, profile_dirs

    if args.show:
        print(show_profile(load_profile(args.show, args.sections)), end="")
        return 0
    for path, description in list_profiles(profile_dirs(args.sections)):
        print(f"{path.name:<14}{description}")
    return 0


def show_profile(profile: ResolvedProfile) -> str:
    """The resolved profile as YAML: every setting, defaults included, each level's
    heading settings filled in (what `drafter profiles --show` prints)."""
    import dataclasses

    import yaml

    from drafter.profile_settings import resolve_level

    sections = []
    for section in profile.sections:
        entry = section.model_dump(
            mode="json", exclude={"remove", "levels", "options", "measure_lead"}, by_alias=True
        )
        entry["template"] = section.template_name
        entry["facts"] = section.facts_field
        entry["measure_lead"] = section.lead
        if section.options:
            entry["options"] = section.options
        entry["levels"] = {}
        for level in (2, 3, 4):
            resolved = dataclasses.asdict(resolve_level(level, section.levels.get(level),
                                                        section.run_in))
            resolved.pop("run_in_scored")
            resolved["continuous"] = level in section.continuous_levels
            entry["levels"][level] = resolved
        sections.append(entry)
    data = {
        "name": profile.name,
        "description": profile.description,
        "title": profile.title,
        "signature": profile.signature,
        "letter_number": None if profile.letter_number is None
        else profile.letter_number.model_dump(mode="json"),
        "standards": profile.standards,
        "scoring": None if profile.scoring is None else profile.scoring.model_dump(mode="json"),
        "sections": sections,
    }
    files = " → ".join(str(f) for f in profile.files)
    header = f"# 结构方案 {profile.name}：合并继承后的全部设置（含默认值）\n# 文件：{files}\n"
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
