"""House rules of the project: pinned dependencies, clean notebooks, a TOC that mirrors the report."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import yaml

from jahwal.publish.toc import page_title, resolve, toc_entries

ROOT = Path(__file__).resolve().parents[1]


def _pyproject_deps() -> list[str]:
    d = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return d["project"]["dependencies"] + d["project"]["optional-dependencies"]["test"]


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip = next(x["pip"] for x in env["dependencies"] if isinstance(x, dict) and "pip" in x)
    listed = [x for x in pip if not x.startswith("-e")]
    assert sorted(listed) == sorted(_pyproject_deps())
    assert "python=3.11" in env["dependencies"]


def test_jupyter_book_is_pinned_below_2():
    jb = [d for d in _pyproject_deps() if d.startswith("jupyter-book")]
    assert jb == ["jupyter-book>=1.0.4,<2"]


TEMPLATE = ROOT / "lib" / "jahwal" / "publish" / "templates" / "chapter.ipynb"


def test_source_notebooks_have_no_outputs_and_a_parameters_cell():
    for path in [*sorted((ROOT / "notebooks").glob("*.ipynb")), TEMPLATE]:
        nb = json.loads(path.read_text(encoding="utf-8"))
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), path.name
        tags = [t for c in code for t in c.get("metadata", {}).get("tags", [])]
        assert tags.count("parameters") == 1, f"{path.name}: exactly one parameters cell"


def _parameters_cell(path: Path) -> dict:
    """The values a notebook's ``parameters`` cell assigns (literals only)."""
    import ast

    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", []))
    source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
    values = {}
    for node in ast.parse(source).body:
        assert isinstance(node, ast.Assign) and len(node.targets) == 1, f"{path.name}: only assignments"
        values[node.targets[0].id] = ast.literal_eval(node.value)
    return values


def test_notebook_parameters_equal_the_default_study_file():
    """Every parameters cell repeats the 2023 study file's values (the defaults live in one place)."""
    from jahwal.study.params import load_params
    from jahwal.study.text import study_values

    params = load_params(ROOT / "params" / "report-2023.yml", root=ROOT, check_paths=False)
    study = {**params.notebook_values(), **study_values(params)}
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cell = _parameters_cell(path)
        unknown = sorted(set(cell) - set(study))
        assert not unknown, f"{path.name}: parameters not in the study file: {unknown}"
        differ = {k: (v, study[k]) for k, v in cell.items() if v != study[k]}
        assert not differ, f"{path.name}: notebook default ≠ params/report-2023.yml: {differ}"
    assert _parameters_cell(ROOT / "notebooks" / "34_outcome_tests.ipynb")["focus_year"] == 2022


def test_toc_mirrors_the_report_chapters():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    captions = [p["caption"] for p in toc["parts"]]
    assert captions[:6] == [
        "요약",
        "Ⅰ. 서론·연구설계",
        "Ⅱ. 선행연구와 정책",
        "Ⅲ. 양적 성과",
        "Ⅳ. 질적 성과",
        "Ⅴ. 성과 특성과 관리 과업",
    ]
    assert captions[-1] == "부록"
    appendix = [c["file"] for c in toc["parts"][-1]["chapters"]]
    for required in ("notebooks/91_data_contract", "notebooks/93_methods", "book/changelog", "book/extending"):
        assert required in appendix


def test_every_toc_entry_exists_and_has_a_title():
    for entry in toc_entries(ROOT):
        path = resolve(ROOT, entry["file"])
        assert page_title(path), f"{entry['file']} has no '# title'"


def test_config_hides_sources_and_launch_buttons():
    cfg = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    sc = cfg["sphinx"]["config"]
    assert cfg["execute"]["execute_notebooks"] == "off"
    assert sc["language"] == "ko"
    assert sc["html_copy_source"] is False
    assert sc["html_theme_options"]["use_download_button"] is False
    assert not any(v for k, v in cfg["launch_buttons"].items() if k != "notebook_interface")


def test_readme_names_the_two_commands_and_ci_runs_the_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make book" in readme and "make test" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.M)
