"""Whole builds of a two-page book (not the real one): where the extract lives, the
git check, a build with nothing changed, and byte-identical output.

The small book's notebook reads the extract through the library and glues a
count, so the build runs every phase: prepare, validation, papermill, the
disclosure gate, jupyter-book and the publish step.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from jahwal.publish import build as build_mod
from jahwal.publish.build import ExtractTrackedError, build, check_untracked
from jahwal.publish.toc import make_notebook, write_notebook

ROOT = Path(__file__).resolve().parents[1]
PAGE_TABLE = "\n| 구분 | 설명 |\n|---|---|\n| 가 | 첫째 |\n| 나 | 둘째 |\n"
DATA_KEYS = (
    "infrastructure_path",
    "infrastructure_province_path",
    "reference_dir",
    "literature_dir",
    "qual_path",
    "framework_dir",
)


def _small_book(root: Path, extract_dir: str) -> Path:
    """A two-page book whose study file names ``extract_dir`` and the shipped data (absolute)."""
    (root / "notebooks").mkdir(parents=True)
    (root / "book").mkdir()
    (root / "params").mkdir()
    shutil.copy(ROOT / "_config.yml", root / "_config.yml")
    shutil.copytree(ROOT / "_static", root / "_static")
    (root / "data" / "literature").mkdir(parents=True)
    shutil.copy(ROOT / "data" / "literature" / "references.bib", root / "data" / "literature" / "references.bib")
    (root / "book" / "index.md").write_text("# 표지\n\n작은 책입니다.\n" + PAGE_TABLE, encoding="utf-8")
    (root / "_toc.yml").write_text(
        "format: jb-book\nroot: book/index\nparts:\n- caption: 가\n  chapters:\n  - file: notebooks/a\n",
        encoding="utf-8",
    )
    params_cell = 'extract_dir = "x"\nextract_format = "csv"\nwindow_start = "2019-01"\nwindow_end = "2022-12"'
    body = (
        "from jahwal.display import nb\nfrom jahwal.inputs import contract\n\nnb.setup()\n"
        "ex = contract.load_extract(extract_dir, fmt=extract_format, window=(window_start, window_end))\n"
        'nb.glue_text("small_n", len(ex.counselling))'
    )
    write_notebook(
        make_notebook(
            [
                ("md", "# 상담 기록\n\n상담 기록은 {glue:text}`small_n`건입니다."),
                ("params", params_cell),
                ("code", body),
            ]
        ),
        root / "notebooks" / "a.ipynb",
    )
    spec = yaml.safe_load((ROOT / "params" / "report-2023.yml").read_text(encoding="utf-8"))
    spec["prepare"]["synthetic"] = None
    for key in DATA_KEYS:
        spec["parameters"][key] = str(ROOT / spec["parameters"][key])
    spec["parameters"]["extract_dir"] = extract_dir
    params = root / "params" / "small.yml"
    params.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return params


def _tree(path: Path) -> dict[str, bytes]:
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_extract_outside_the_project_nothing_changed_and_identical_rebuild(tmp_path, tiny_extract):
    extract = tiny_extract(name="outside-extract")  # tmp_path/outside-extract, outside the project
    root = tmp_path / "proj"
    params = _small_book(root, "../../outside-extract")  # relative to the parameter file
    log = build(params, root=root, progress=False, echo=lambda s: None)
    assert log["status"] == "ok"
    page = (root / "_build" / "html" / "notebooks" / "a.html").read_text(encoding="utf-8")
    assert "상담 기록은 7건입니다" in re.sub(r"<[^>]+>", "", page)
    # the log names the files where they are, with digests; nothing of the extract is copied
    files = log["inputs"]["files"]
    assert str(extract.resolve() / "counselling.csv") in files
    assert len(files[str(extract.resolve() / "counselling.csv")]["sha256"]) == 64
    assert log["inputs"]["extract"]["folder"] == str(extract.resolve())
    counselling = (extract / "counselling.csv").read_bytes()
    for p in (root / "_build").rglob("*"):
        if p.is_file():
            assert p.name not in {"counselling.csv", "counselling.parquet"}, p
            assert counselling not in p.read_bytes(), p
    # the columnar cache sits in the extract's own folder
    assert "counselling.parquet" in {p.name for p in next((extract / ".jahwal-cache").iterdir()).iterdir()}

    # nothing changed: jupyter-book does not run and the published book is untouched
    html = root / "_build" / "html"
    before = {str(p): (p.stat().st_mtime_ns, p.read_bytes()) for p in html.rglob("*") if p.is_file()}
    calls = []
    original = build_mod.render
    build_mod.render = lambda *a, **k: calls.append(a) or original(*a, **k)
    try:
        again = build(params, root=root, progress=False, echo=lambda s: None)
    finally:
        build_mod.render = original
    assert again["status"] == "unchanged" and calls == []
    assert {str(p): (p.stat().st_mtime_ns, p.read_bytes()) for p in html.rglob("*") if p.is_file()} == before

    # a changed page renders again, and only the changed page is rewritten by Sphinx
    stage_page = root / "_build" / ".stage" / "_build" / "html" / "notebooks" / "a.html"
    page_mtime = stage_page.stat().st_mtime_ns
    (root / "book" / "index.md").write_text("# 표지\n\n작은 책을 고쳤습니다.\n" + PAGE_TABLE, encoding="utf-8")
    third = build(params, root=root, progress=False, echo=lambda s: None)
    assert third["status"] == "ok" and all(n["cache_hit"] for n in third["notebooks"])
    assert "작은 책을 고쳤습니다" in (html / "book" / "index.html").read_text(encoding="utf-8")
    assert stage_page.stat().st_mtime_ns == page_mtime

    # from scratch again (no caches at all): the same bytes
    first = _tree(html)
    shutil.rmtree(root / "_build")
    shutil.rmtree(extract / ".jahwal-cache")
    build(params, root=root, progress=False, echo=lambda s: None)
    second = _tree(html)
    assert sorted(first) == sorted(second)
    differ = [k for k in first if first[k] != second[k]]
    for k in differ:  # kept next to the test's files for a look
        for n, tree in (("first", first), ("second", second)):
            (tmp_path / "differ" / n / k).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / "differ" / n / k).write_bytes(tree[k])
    assert differ == []
    assert any(k.endswith(".xlsx") for k in first) and any(k.endswith(".ttf") for k in first)


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_extract_tracked_by_git_is_refused(tmp_path, tiny_extract):
    root = tmp_path / "proj"
    params = _small_book(root, "data/real")
    shutil.copytree(tiny_extract(), root / "data" / "real")
    _git("init", "-q", cwd=root)
    check_untracked(root / "data" / "real")  # untracked: fine
    _git("-c", "user.name=t", "-c", "user.email=t@t", "add", "data/real/stages.csv", cwd=root)
    with pytest.raises(ExtractTrackedError) as e:
        build(params, root=root, progress=False, echo=lambda s: None)
    msg = str(e.value)
    assert str(root / "data" / "real" / "stages.csv") in msg
    assert "git 저장소에 올라가 있습니다" in msg and "tracked by git" in msg and "Traceback" not in msg
    log = json.loads((root / "_build" / "build-log.json").read_text(encoding="utf-8"))
    assert log["status"] == "failed" and "notebooks" not in log
    assert not (root / "_build" / "html").exists()


def test_not_a_git_checkout_is_not_checked(tmp_path, tiny_extract):
    check_untracked(tiny_extract())  # tmp_path is no git checkout: nothing raised


def test_unexpected_error_marks_the_log_failed(tmp_path, tiny_extract, monkeypatch):
    root = tmp_path / "proj"
    params = _small_book(root, str(tiny_extract()))

    def boom(ctx):
        raise ValueError("뜻밖의 오류")

    monkeypatch.setattr(build_mod, "validate_inputs", boom)
    with pytest.raises(ValueError):
        build(params, root=root, progress=False, echo=lambda s: None)
    log = json.loads((root / "_build" / "build-log.json").read_text(encoding="utf-8"))
    assert log["status"] == "failed" and "뜻밖의 오류" in log["error"]
