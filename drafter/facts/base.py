"""What every facts model shares: unknown keys are errors, and prose fields take one
string or a list of paragraphs."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict


def _paragraphs(value: Any) -> Any:
    """Accept one string (paragraphs split at line breaks) or a list of strings."""
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list):
        out: list[Any] = []
        for item in value:
            if isinstance(item, str):
                out.extend(p.strip() for p in item.splitlines() if p.strip())
            else:
                out.append(item)  # left for pydantic to reject with a located error
        return out
    return value


Paragraphs = Annotated[list[str], BeforeValidator(_paragraphs)]


class Strict(BaseModel):
    """Unknown keys are errors: a misspelt field must not silently vanish from the report."""

    # defer_build: schemas are built (or read from drafter/model_cache.py) once all are defined.
    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
