"""The caches kept between runs (drafter/model_cache.py, drafter/template_cache.py): what is
read back validates and renders exactly as what is built afresh, and a cache that is off,
absent, stale, damaged or writable by others is never used."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from drafter import model_cache, template_cache
from drafter.facts import models
from drafter.facts.yaml_read import read_yaml
from drafter.templating import make_environment

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "samples" / "jiangbei" / "2022.yaml"
MODELS = (models.Facts, models.Notice, models.Part, models.ProblemPart, models.Metric)


def _outcome(model: Any, data: Any) -> Any:
    try:
        return model.model_validate(data).model_dump(mode="json")
    except ValidationError as exc:
        return exc.errors(include_url=False, include_context=False)


def _inputs() -> list[Any]:
    facts = read_yaml(SAMPLE, "事实文件").data
    bad = {**facts, "year": 1800, "unknown": 1, "metrics": {"x": "12.3.4%"}}
    return [facts, bad, {}, {"district": 1}]


def _fresh(model: Any) -> Any:
    """The model's validator as pydantic builds it, from a schema built now."""
    from pydantic._internal._config import ConfigWrapper
    from pydantic_core import SchemaValidator

    model.model_rebuild(force=True)
    config = ConfigWrapper(model.model_config, check=False).core_config(title=model.__name__)
    return SchemaValidator(model.__pydantic_core_schema__, config)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("DRAFTER_CACHE", str(folder))
    yield folder
    for model in MODELS:  # leave the classes as pydantic builds them
        model.model_rebuild(force=True)


def _schema_file(folder: Path) -> Path:
    (path,) = folder.glob("schemas-drafter.facts.models-*.json")
    return path


def test_schemas_read_back_validate_as_built(cache: Path) -> None:
    expected = {m: [_outcome(m, d) for d in _inputs()] for m in MODELS}
    model_cache.install(models.__name__, *MODELS)  # writes the cache
    assert _schema_file(cache).is_file()
    for model in MODELS:
        model.__pydantic_validator__ = None  # must come back from the file
    model_cache.install(models.__name__, *MODELS)
    for model in MODELS:
        assert model.__pydantic_validator__ is not None
        assert [_outcome(model, d) for d in _inputs()] == expected[model]


def test_the_json_form_round_trips() -> None:
    schema = models.Facts.__pydantic_core_schema__
    names: set[str] = set()
    encoded = model_cache.encode(schema, names)
    assert json.loads(json.dumps(encoded)) == encoded
    assert names == {"drafter.facts.models", "drafter.facts.base", "drafter.facts.metric_models",
                     "builtins"}
    decoded = model_cache.decode(encoded)
    assert model_cache.encode(decoded, set()) == encoded


def test_names_outside_drafter_are_not_resolved() -> None:
    for name in ("os:system", "builtins:eval", "builtins:__import__"):
        with pytest.raises(model_cache.Uncacheable):
            model_cache.decode({"$py": name})
    with pytest.raises(model_cache.Uncacheable):
        model_cache.encode(lambda: None, set())


@pytest.mark.parametrize("damage", ["garbage", "truncated", "wrong name", "stale source"])
def test_a_damaged_or_stale_cache_is_rebuilt(cache: Path, damage: str) -> None:
    model_cache.install(models.__name__, *MODELS)
    path = _schema_file(cache)
    text = path.read_text(encoding="utf-8")
    if damage == "garbage":
        path.write_bytes(b"\x00\xff not json")
    elif damage == "truncated":
        path.write_text(text[: len(text) // 2], encoding="utf-8")
    elif damage == "wrong name":
        path.write_text(text.replace("drafter.facts.models:Item", "drafter.facts.models:Gone"))
    else:
        data = json.loads(text)
        data["sources"]["drafter.facts.models"] = [0, 0]
        path.write_text(json.dumps(data), encoding="utf-8")
    path.chmod(0o600)
    model_cache.install(models.__name__, *MODELS)  # falls back, never raises
    assert [_outcome(models.Facts, d) for d in _inputs()] == [
        _outcome_with(_fresh(models.Facts), d) for d in _inputs()
    ]
    assert json.loads(path.read_text(encoding="utf-8"))["versions"] == model_cache._versions()


def _outcome_with(validator: Any, data: Any) -> Any:
    try:
        return validator.validate_python(data).model_dump(mode="json")
    except ValidationError as exc:
        return exc.errors(include_url=False, include_context=False)


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_cache_others_can_write_is_not_read(cache: Path) -> None:
    model_cache.install(models.__name__, *MODELS)
    path = _schema_file(cache)
    assert model_cache._read(path) is not None
    path.chmod(0o622)
    assert model_cache._read(path) is None
    path.chmod(0o600)
    cache.chmod(0o777)
    assert model_cache._read(path) is None
    cache.chmod(0o700)
    link = cache / "link.json"
    link.symlink_to(path)
    assert not model_cache.private(link, want_dir=False)


def test_other_versions_are_not_read(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model_cache.install(models.__name__, *MODELS)
    path = _schema_file(cache)
    monkeypatch.setattr(sys, "version", sys.version + " (another build)")
    assert model_cache._read(path) is None


def test_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRAFTER_CACHE", "off")
    assert model_cache.cache_dir() is None
    model_cache.install(models.__name__, *MODELS)
    env = make_environment()
    assert env.bytecode_cache is None
    monkeypatch.setenv("DRAFTER_CACHE", str(tmp_path / "c"))
    assert make_environment().bytecode_cache is not None
    assert not (tmp_path / "c").exists()  # nothing written until a template is compiled


def _environment() -> Any:
    env = make_environment()
    env.filters["prose"] = str  # as drafter/context.py adds it before rendering
    return env


def test_templates_read_back_are_the_same(cache: Path) -> None:
    first = _environment()
    source = first.get_template("default/preamble.j2")
    files = list(cache.glob("templates-*/*.jinja"))
    assert files
    second = _environment()
    second.compile = lambda *args, **kwargs: pytest.fail("compiled again")  # type: ignore[method-assign]
    again = second.get_template("default/preamble.j2")
    assert again.filename == source.filename
    assert again.debug_info == source.debug_info


_TEMPLATE_DAMAGE = {
    "empty": lambda data: b"",
    "garbage": lambda data: b"garbage",
    "jinja magic only": lambda data: b"j2\x00\x00\x00\x00",
    "cut in half": lambda data: data[: len(data) // 2],  # Jinja's unpickling then raised
    "cut, then junk": lambda data: data[: len(data) // 2] + b"\x00garbage{",
    "one byte changed": lambda data: data[:-40] + bytes([data[-40] ^ 0x55]) + data[-39:],
}


@pytest.mark.parametrize("damage", list(_TEMPLATE_DAMAGE))
def test_damaged_compiled_templates_are_compiled_again(cache: Path, damage: str) -> None:
    """A damaged file is never run: unmarshalled, damaged code can run and draft wrong."""
    expected = _environment().get_template("default/preamble.j2")
    files = list(cache.glob("templates-*/*.jinja"))
    assert files
    for path in files:
        path.write_bytes(_TEMPLATE_DAMAGE[damage](path.read_bytes()))
    env = _environment()
    compiled: list[str] = []
    compile_ = env.compile
    env.compile = lambda *a, **k: compiled.append("again") or compile_(*a, **k)  # type: ignore[method-assign]
    template = env.get_template("default/preamble.j2")
    assert compiled  # the damaged file was not used
    assert template.debug_info == expected.debug_info


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_compiled_templates_others_can_write_are_not_read(cache: Path) -> None:
    _environment().get_template("default/preamble.j2")
    folder = next(cache.glob("templates-*"))
    folder.chmod(0o777)
    env = _environment()
    assert isinstance(env.bytecode_cache, template_cache.PrivateBytecodeCache)
    loaded: list[str] = []
    original = env.bytecode_cache.load_bytecode

    def spy(bucket: Any) -> None:
        original(bucket)
        loaded.append("code" if bucket.code is not None else "none")

    env.bytecode_cache.load_bytecode = spy  # type: ignore[method-assign]
    env.get_template("default/preamble.j2")
    assert loaded == ["none"]
    folder.chmod(0o700)


def test_prose_read_back_renders_the_same(cache: Path) -> None:
    text = "学前三年毛入园率达{{ m }}，{% if n %}较上年提高{{ n }}个百分点{% endif %}。"
    first = template_cache.from_string(_environment(), text).render(m="91.5%", n="1.2")
    second_env = _environment()
    second_env.compile = lambda *args, **kwargs: pytest.fail("compiled again")  # type: ignore[method-assign]
    assert template_cache.from_string(second_env, text).render(m="91.5%", n="1.2") == first
    for path in cache.glob("templates-*/*.jinja"):
        path.write_bytes(b"garbage")
    assert template_cache.from_string(_environment(), text).render(m="91.5%", n="1.2") == first
