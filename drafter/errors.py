"""The one error family users see. The CLI is the only place that catches and prints them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Problem:
    """One thing wrong with the user's input, located as precisely as we can."""

    message: str  # plain Chinese, says what is wrong and, where possible, how to fix it
    file: Path | str | None = None
    line: int | None = None
    where: str | None = None  # a field path (notice.number) or a template name

    def __str__(self) -> str:
        place = ""
        if self.file is not None:
            place = str(self.file)
            if self.line is not None:
                place += f" 第{self.line}行"
            place += "："
        if self.where:
            place += f"[{self.where}] "
        return place + self.message


@dataclass
class DrafterError(Exception):
    """A user-caused error: bad YAML, a wrong fact, a broken template or profile."""

    problems: list[Problem] = field(default_factory=list)

    @classmethod
    def one(
        cls,
        message: str,
        file: Path | str | None = None,
        line: int | None = None,
        where: str | None = None,
    ) -> DrafterError:
        return cls([Problem(message, file, line, where)])

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class FactsError(DrafterError):
    """The facts file cannot be read or does not validate."""


class ProfileError(DrafterError):
    """A structure profile is missing, malformed or names an unknown section."""


class TemplateError(DrafterError):
    """A section template is missing, has a syntax error or fails while rendering."""


class OutputError(DrafterError):
    """The draft cannot be written where asked (exists and was edited, no permission…)."""


class SourceError(DrafterError):
    """A file given to `drafter import` cannot be read as a report (wrong kind, locked…)."""
