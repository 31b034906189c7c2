"""What `pip install .` ships: every subpackage and data folder, so an installed drafter
works without the source tree."""

from __future__ import annotations

from pathlib import Path

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
        assert config["package-data"][package][0] == pattern
        assert list((REPO / folder).glob(pattern)), folder
        assert package in config["packages"]


def package_folders(config: dict) -> dict[str, Path]:
    """Each listed package → the folder its files are installed from."""
    return {
        package: REPO / config.get("package-dir", {}).get(package, package.replace(".", "/"))
        for package in config["packages"]
    }


def test_every_data_file_is_matched_by_its_packages_package_data():
    """A file that no package-data pattern matches is silently left out of the wheel."""
    config = setuptools_config()
    folders = package_folders(config)
    data = config.get("package-data", {})
    unshipped = []
    for package, folder in folders.items():
        patterns = [*data.get(package, []), *data.get("*", [])]
        shipped = {path for pattern in patterns for path in folder.glob(pattern)}
        for path in folder.rglob("*"):
            if not path.is_file() or path.suffix == ".py" or "__pycache__" in path.parts:
                continue
            owner = max((p for p, f in folders.items() if path.is_relative_to(f)),
                        key=lambda p: len(folders[p].parts))  # fmt: skip
            if owner != package:
                continue  # a subpackage's file, checked against that subpackage
            if path not in shipped:
                unshipped.append(f"{path.relative_to(folder).as_posix()} ({package})")
    assert unshipped == [], f"not matched by any package-data pattern: {unshipped}"
