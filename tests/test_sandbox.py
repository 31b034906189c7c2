"""Safety: a user's template cannot reach Python internals or files outside the template
folders, and facts, profiles and drafter.yaml never construct Python objects."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINIMAL_FACTS, SAMPLE

from drafter.config import Customisation, customise
from drafter.errors import DrafterError, TemplateError
from drafter.facts.load import load_facts
from drafter.pipeline import draft_facts
from drafter.profiles import load_profile

JIANGBEI = SAMPLE["jiangbei"]


def template(tmp_path: Path, text: str, name: str = "closing.j2") -> Path:
    folder = tmp_path / "tpl"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("expression", "blocked"),
    [
        ("''.__class__.__mro__", "__class__"),
        ("facts.__init__.__globals__", "__init__"),
        ("cycler.__init__.__globals__", "__init__"),
        ("joiner.__init__.__globals__.os", "__init__"),
        ("facts._model", "_model"),
        ("m._metrics", "_metrics"),
        ("'{0.__class__}'.format(1)", "__class__"),
        ("(1).__class__.__base__.__subclasses__()", "__class__"),
    ],
)
def test_attribute_escapes_fail_with_a_clear_error(tmp_path, expression, blocked):
    path = template(tmp_path, f"\n\n{{{{ {expression} }}}}\n")
    with pytest.raises(TemplateError) as caught:
        draft_facts(JIANGBEI, Customisation(template_dirs=(path.parent,)))
    (problem,) = caught.value.problems
    assert Path(problem.file) == path and problem.line == 3 and problem.where == "closing.j2"
    assert problem.message == (
        f"模板试图访问“{blocked}”，出于安全考虑已阻止（模板只能使用事实、指标和过滤器）"
    )


@pytest.mark.parametrize(
    "target",
    ["../secret.txt", "../../etc/passwd", "/etc/passwd", "default/../../secret.txt",
     "{secret}"],
)  # fmt: skip
@pytest.mark.parametrize("tag", ["include", "import", "extends"])
def test_templates_cannot_read_files_outside_the_template_folders(tmp_path, target, tag):
    secret = tmp_path / "secret.txt"
    secret.write_text("机密内容", encoding="utf-8")
    target = target.format(secret=secret)
    line = f'{{% {tag} "{target}" %}}' if tag != "import" else f'{{% import "{target}" as x %}}'
    path = template(tmp_path, f"\n{line}\n")
    with pytest.raises(TemplateError) as caught:
        draft_facts(JIANGBEI, Customisation(template_dirs=(path.parent,)))
    (problem,) = caught.value.problems
    assert "机密内容" not in str(caught.value)
    assert Path(problem.file) == path and problem.line == 2
    assert problem.message == (
        f"模板“{target}”不可用：模板只能引用模板文件夹中的文件（不能用“..”或绝对路径）"
    )


def test_including_a_template_from_the_folders_still_works(tmp_path):
    template(tmp_path, "特此报告。\n", "ending.j2")
    path = template(tmp_path, '{% include "ending.j2" %}\n')
    blocks = draft_facts(JIANGBEI, Customisation(template_dirs=(path.parent,))).document.blocks
    assert blocks[-1].spans[0].text == "特此报告。"


def load_facts_file(folder: Path, tag: str) -> None:
    path = folder / "f.yaml"
    path.write_text(MINIMAL_FACTS.replace("district: 江北区", f"district: {tag}"), "utf-8")
    load_facts(path)


def load_profile_file(folder: Path, tag: str) -> None:
    (folder / "evil.yaml").write_text(f"extends: default\ndescription: {tag}\n", "utf-8")
    load_profile("evil", [folder])


def load_drafter_yaml(folder: Path, tag: str) -> None:
    (folder / "drafter.yaml").write_text(f"profile: {tag}\n", "utf-8")
    customise(folder / "f.yaml", Customisation())


@pytest.mark.parametrize(
    ("load", "name", "line"),
    [
        pytest.param(load_facts_file, "f.yaml", 1, id="facts"),
        pytest.param(load_profile_file, "evil.yaml", 2, id="profile"),
        pytest.param(load_drafter_yaml, "drafter.yaml", 1, id="drafter.yaml"),
    ],
)
@pytest.mark.parametrize(
    "tag",
    ["!!python/object/apply:os.system", "!!python/object:os.system", "!!python/name:os.system"],
)
def test_yaml_files_never_construct_python_objects(tmp_path, load, name, line, tag):
    marker = tmp_path / "executed"
    folder = tmp_path / "files"
    folder.mkdir()
    with pytest.raises(DrafterError) as caught:
        load(folder, f'{tag} ["touch {marker}"]')
    (problem,) = caught.value.problems
    assert (Path(problem.file).resolve(), problem.line) == ((folder / name).resolve(), line)
    assert "YAML 格式错误：不支持的标记" in problem.message and "python/" in problem.message
    assert not marker.exists()
