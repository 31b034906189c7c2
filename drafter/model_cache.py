"""Pydantic core schemas kept between runs, so a cold `drafter draft` does not rebuild them.

Building a model's core schema is pure Python and costs more than the rest of loading the
facts. The models are declared with `defer_build=True`; `install()` then gives the ones a
command validates with their validator and serializer built from a schema read from the
cache, and on a miss builds the schema once and writes it for the next run.

The cache is JSON (it cannot run code): plain values as they are, the classes and functions
a schema refers to as `module:qualname`, resolved only within drafter's own modules (and
the builtin containers a default_factory names). A file is used only when all of these
hold, else the schema is built as usual:
- its key matches drafter's, pydantic's, pydantic-core's and Python's versions and the size
  and mtime of the models' module, of every drafter module it imports names from and of
  every module the schema names (as Python checks a .pyc);
- the folder and the file belong to this user and no other user can write them (POSIX);
- it parses and every name resolves.
Files are written atomically (a temporary file renamed into place).

DRAFTER_CACHE=off turns it off; DRAFTER_CACHE=<folder> puts it elsewhere.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

FORMAT = 1
_TAG, _TUPLE, _DECIMAL = "$py", "$tuple", "$decimal"


class Uncacheable(Exception):
    """A schema holds a value the JSON form cannot name exactly (a lambda, a closure, …)."""


def cache_dir() -> Path | None:
    """The cache folder, or None when turned off."""
    setting = os.environ.get("DRAFTER_CACHE", "")
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    if setting:
        return Path(setting)
    try:
        if os.name == "nt":
            base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
            return Path(base) / "drafter" / "cache"
        return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "drafter"
    except RuntimeError:  # no home folder: no cache
        return None


def private(path: Path, want_dir: bool) -> bool:
    """The path is ours alone: not a symlink, owned by this user, not writable by others."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    kind_ok = stat.S_ISDIR(info.st_mode) if want_dir else stat.S_ISREG(info.st_mode)
    if not kind_ok:
        return False
    if hasattr(os, "getuid"):
        return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    return True


# --- JSON form of a core schema ----------------------------------------------------------


def _name_of(obj: Any) -> str:
    owner = getattr(obj, "__self__", None)
    if isinstance(owner, type) and hasattr(obj, "__func__"):  # a classmethod, bound to a model
        module, qualname = owner.__module__, f"{owner.__qualname__}.{obj.__func__.__name__}"
    else:
        module, qualname = getattr(obj, "__module__", None), getattr(obj, "__qualname__", "")
    if not isinstance(module, str) or not qualname or "<" in qualname:
        raise Uncacheable(repr(obj))
    name = f"{module}:{qualname}"
    if _resolve(name) != obj:
        raise Uncacheable(name)
    return name


_BUILTINS = frozenset({"list", "dict", "set", "frozenset", "tuple", "str", "int", "float", "bool"})


def _allowed(module: str, qualname: str) -> bool:
    if module == "builtins":  # the containers a default_factory makes, nothing else
        return qualname in _BUILTINS
    return module == "drafter" or module.startswith("drafter.")


def _resolve(name: str) -> Any:
    module_name, _, qualname = name.partition(":")
    if not _allowed(module_name, qualname):
        raise Uncacheable(name)
    module = sys.modules.get(module_name)
    if module is None:
        import importlib

        module = importlib.import_module(module_name)
    obj: Any = module
    for part in qualname.split("."):
        obj = getattr(obj, part)
    return obj


def _is_metadata(key: str, value: Any, parent: dict[str, Any]) -> bool:
    # A schema node's `metadata` serves JSON Schema generation only; validators ignore it.
    return (key == "metadata" and isinstance(parent.get("type"), str)
            and isinstance(value, dict) and "type" not in value)  # fmt: skip


def encode(value: Any, modules: set[str]) -> Any:
    """The JSON form of a core schema; `modules` collects the modules it names."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, list):
        return [encode(item, modules) for item in value]
    if isinstance(value, tuple):
        return {_TUPLE: [encode(item, modules) for item in value]}
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value) or {_TAG, _TUPLE, _DECIMAL} & set(value):
            raise Uncacheable("mapping")
        return {key: encode(item, modules) for key, item in value.items()
                if not _is_metadata(key, item, value)}  # fmt: skip
    if isinstance(value, Decimal):
        return {_DECIMAL: str(value)}
    if callable(value):
        name = _name_of(value)
        modules.add(name.partition(":")[0])
        return {_TAG: name}
    raise Uncacheable(type(value).__name__)


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return [decode(item) for item in value]
    if isinstance(value, dict):
        if _TAG in value:
            return _resolve(value[_TAG])
        if _TUPLE in value:
            return tuple(decode(item) for item in value[_TUPLE])
        if _DECIMAL in value:
            return Decimal(value[_DECIMAL])
        return {key: decode(item) for key, item in value.items()}
    return value


# --- keys, reading and writing -----------------------------------------------------------


def _versions() -> dict[str, str]:
    import pydantic
    import pydantic_core

    from drafter import __version__

    return {"format": str(FORMAT), "drafter": __version__, "pydantic": pydantic.VERSION,
            "pydantic_core": pydantic_core.__version__, "python": sys.version}  # fmt: skip


def _source_stamp(module_name: str) -> list[int] | None:
    if module_name == "builtins":
        return [0, 0]
    module = sys.modules.get(module_name)
    source = getattr(module, "__file__", None)
    if not source:
        return None
    try:
        info = os.stat(source)
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns]


def _file(folder: Path, module_name: str) -> Path:
    # The name tells versions apart; the full versions are checked inside.
    import pydantic

    python = "".join(map(str, sys.version_info[:2]))
    return folder / f"schemas-{module_name}-py{python}-pydantic{pydantic.VERSION}.json"


def _read(path: Path) -> dict[str, Any] | None:
    if not (private(path.parent, want_dir=True) and private(path, want_dir=False)):
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("versions") != _versions():
        return None
    sources = data.get("sources")
    if not isinstance(sources, dict) or not isinstance(data.get("models"), dict):
        return None
    for module_name, stamp in sources.items():
        if _source_stamp(module_name) != stamp:
            return None
    return data


def _write(path: Path, data: dict[str, Any]) -> None:
    write_private(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def write_private(path: Path, content: bytes) -> None:
    """Write atomically into a folder of this user's alone (made 0700 if missing); a cache
    that cannot be written is only a slower next run, so failures are ignored."""
    import tempfile

    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not private(path.parent, want_dir=True):
            return
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        pass


# --- installing ----------------------------------------------------------------------------


def install(module_name: str, *models: type) -> None:
    """Give `models` (declared with defer_build) their validators, from the cache if it holds
    them, else by building their schemas now and caching them. A model whose schema has no
    JSON form is left to pydantic. Never raises for the cache."""
    folder = cache_dir()
    if folder is None:
        return
    path = _file(folder, module_name)
    data = _read(path)
    if data is not None:
        try:
            cached = [(model, decode(data["models"][model.__qualname__])) for model in models
                      if model.__qualname__ in data["models"]]  # fmt: skip
            for model, schema in cached:
                _attach(model, schema)
            return
        except Exception:  # stale or damaged: build as usual and rewrite it below
            pass
    encoded: dict[str, Any] = {}
    modules = {module_name} | _imported_from(module_name)
    for model in models:
        try:
            encoded[model.__qualname__] = encode(_built_schema(model), modules)
        except Uncacheable:
            continue
    stamps = {name: _source_stamp(name) for name in sorted(modules)}
    if encoded and all(stamp is not None for stamp in stamps.values()):
        _write(path, {"versions": _versions(), "sources": stamps, "models": encoded})


def _imported_from(module_name: str) -> set[str]:
    """The drafter modules `module_name` imports names from (their types shape its schemas)."""
    found = set()
    for value in vars(sys.modules[module_name]).values():
        name = value.__name__ if isinstance(value, type(sys)) else getattr(value, "__module__", "")
        if isinstance(name, str) and _allowed(name, "") and name in sys.modules:
            found.add(name)
    return found


def _built_schema(model: Any) -> Any:
    model.model_rebuild()
    return model.__pydantic_core_schema__


def _attach(model: Any, schema: Any) -> None:
    """The validator and serializer pydantic would build from this schema. The model stays
    marked incomplete, so anything needing its full core schema (JSON Schema, use as a field
    of another model) still has pydantic build it."""
    from pydantic._internal._config import ConfigWrapper
    from pydantic_core import SchemaSerializer, SchemaValidator

    config = ConfigWrapper(model.model_config, check=False).core_config(title=model.__name__)
    validator = SchemaValidator(schema, config)
    serializer = SchemaSerializer(schema, config)
    model.__pydantic_validator__ = validator
    model.__pydantic_serializer__ = serializer
