"""Compiled section templates kept between runs (Jinja's bytecode cache), so a cold draft
does not parse and compile the same templates again.

Compiled templates are Python code, so they are read only from a folder of this user's
alone, as Python reads its own .pyc files: the folder and each file belong to this user and
no other user can write them (drafter/model_cache.py: `private`). Jinja checks each file
against the template's source (a checksum) and Python's version, drafter each file against
a digest of its content (a damaged file is compiled afresh); the folder name adds
Jinja's and drafter's versions and the environment's settings, which shape the code.
Files are written atomically. DRAFTER_CACHE=off turns it off, as for model_cache.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket, BytecodeCache

from drafter.model_cache import cache_dir, private, write_private


class PrivateBytecodeCache(BytecodeCache):
    """Jinja's bytecode cache in `base`/templates-<digest of the environment's settings>."""

    def __init__(self, base: Path, env: jinja2.Environment) -> None:
        self.base, self.env = base, env
        self._folders: dict[tuple[str, ...], Path] = {}

    @property
    def folder(self) -> Path:
        # Which filters and tests exist shapes the code too (a missing one fails the
        # compile), and they are added after the environment is made: read them now.
        names = (*sorted(self.env.filters), "|", *sorted(self.env.tests))
        if names not in self._folders:
            digest = hashlib.sha256(repr((_settings(self.env), names)).encode()).hexdigest()
            self._folders[names] = self.base / f"templates-{digest[:16]}"
        return self._folders[names]

    def _path(self, bucket: Bucket) -> Path:
        return self.folder / f"{bucket.key}.jinja"

    def load_bytecode(self, bucket: Bucket) -> None:
        path = self._path(bucket)
        if not (private(self.folder, want_dir=True) and private(path, want_dir=False)):
            return
        try:
            data = path.read_bytes()
        except OSError:
            return
        # Jinja unpickles the checksum and unmarshals the code without checking either, and
        # a damaged file can unmarshal into code that runs wrong: only an intact file is
        # handed over. The digest is of what was written (the file is not trusted beyond
        # the ownership checks above).
        digest, payload = data[:_DIGEST], data[_DIGEST:]
        if len(data) <= _DIGEST or hashlib.sha256(payload).digest() != digest:
            return
        try:
            bucket.bytecode_from_string(payload)
        except Exception:  # an intact file of another Jinja or Python: compile afresh
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        payload = bucket.bytecode_to_string()
        write_private(self._path(bucket), hashlib.sha256(payload).digest() + payload)


_DIGEST = 32  # bytes of SHA-256 before each file's Jinja bytecode


def _settings(env: jinja2.Environment) -> tuple[object, ...]:
    from drafter import __version__

    return (
        type(env).__qualname__, jinja2.__version__, __version__, env.block_start_string,
        env.block_end_string, env.variable_start_string, env.variable_end_string,
        env.comment_start_string, env.comment_end_string, env.line_statement_prefix,
        env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks, env.newline_sequence,
        env.keep_trailing_newline, env.optimized, repr(env.autoescape),
        sorted(env.extensions),
    )  # fmt: skip


def attach(env: jinja2.Environment) -> None:
    """Give `env` a bytecode cache (no-op when caching is off)."""
    folder = cache_dir()
    if folder is not None:
        env.bytecode_cache = PrivateBytecodeCache(folder, env)


def from_string(env: jinja2.Environment, source: str) -> jinja2.Template:
    """`env.from_string(source)`, its compiled code kept in `env`'s bytecode cache (facts
    prose: the same sentences are drafted again next run, and by `drafter import`)."""
    cache = env.bytecode_cache
    if not isinstance(cache, PrivateBytecodeCache):
        return env.from_string(source)
    name = f"<text {hashlib.sha256(source.encode('utf-8')).hexdigest()}>"
    bucket = cache.get_bucket(env, name, None, source)
    code = bucket.code
    if code is None:
        code = env.compile(source)  # as from_string compiles it: no name, no file
        bucket.code = code
        cache.set_bucket(bucket)
    return env.template_class.from_code(env, code, env.make_globals(None), None)
