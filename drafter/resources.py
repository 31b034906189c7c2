"""Where the shipped templates/ and sections/ folders are, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def shipped_dir(name: str) -> Path:
    """The folder `name` (templates or sections) that ships with drafter.

    An installed wheel has it inside the package; a source checkout has it beside the
    package at the top of the repo.
    """
    installed = _PACKAGE / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name
