"""What `pip install .` ships: every subpackage and data folder, so an installed drafter
works without the source tree."""

from __future__ import annotations

import tomllib
from conftest import REPO


def setuptools_config() -> dict:
    with (REPO / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)["tool"]["setuptools"]


def test_every_subpackage_is_listed():
    listed = set(setuptools_config()["packages"])
    on_disk = {
        ".".join(init.parent.relative_to(REPO).parts)
        for init in (REPO / "drafter").rglob("__init__.py")
    }
    assert on_disk <= listed, f"missing from pyproject packages: {sorted(on_disk - listed)}"


def test_data_folders_are_mapped_and_shipped():
    config = setuptools_config()
    for folder, pattern in (("templates", "*.j2"), ("sections", "*.yaml"), ("standards", "*.yaml")):
        package = f"drafter.{folder}"
        assert config["package-dir"][package] == folder
        assert config["package-data"][package] == [pattern]
        assert list((REPO / folder).glob(pattern)), folder
        assert package in config["packages"]
