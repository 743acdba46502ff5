"""Whole-book builds: pages and titles, no errors or parameter cells, caching, atomic failure, a second study."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import nbformat
import pytest
import yaml

from book_fixture import built_book  # noqa: F401  (session fixture)
from jahwal.publish.build import BuildError, build, toc_titles
from jahwal.publish.toc import toc_entries

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]


def _tree(path: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(path.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(path)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def _page(html: Path, file: str) -> Path:
    return html / f"{file}.html"


def test_every_toc_entry_has_a_page_with_its_title(built_book):
    titles = toc_titles(built_book.root)
    assert len(titles) == len(toc_entries(built_book.root)) >= 25
    for file, title in titles.items():
        page = _page(built_book.html, file)
        assert page.is_file(), file
        text = page.read_text(encoding="utf-8")
        assert f"<title>{title}" in text, (file, title)


def test_no_error_outputs_in_executed_notebooks(built_book):
    log = json.loads((built_book.root / "_build" / "build-log.json").read_text(encoding="utf-8"))
    assert log["status"] == "ok"
    cache = built_book.root / "_build" / "cache" / "notebooks"
    executed = sorted(cache.glob("*.ipynb"))
    assert len(executed) == len([e for e in toc_entries(built_book.root) if e["file"].startswith("notebooks/")])
    for path in executed:
        nb = nbformat.read(path, as_version=4)
        errors = [
            o
            for c in nb.cells
            if c.cell_type == "code"
            for o in c.get("outputs", [])
            if o.get("output_type") == "error"
        ]
        assert not errors, path.name


def test_no_page_shows_a_parameters_cell_and_no_notebook_is_published(built_book):
    pages = list(built_book.html.rglob("*.html"))
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "# Parameters" not in text, page.name  # papermill's injected cell
        assert "injected-parameters" not in text and 'tag_parameters"' not in text, page.name
    assert not list(built_book.html.rglob("*.ipynb"))
    assert not (built_book.html / "_sources").exists()
    # other code is there, behind a toggle
    stage = _page(built_book.html, "notebooks/33_stage_outcomes").read_text(encoding="utf-8")
    assert "tag_hide-input" in stage


def test_build_log_records_parameters_inputs_timings_and_cache(built_book):
    log = json.loads((built_book.root / "_build" / "build-log.json").read_text(encoding="utf-8"))
    assert log["parameters"]["focus_year"] == 2022 and log["parameters"]["suppression_threshold"] == 10
    files = log["inputs"]["files"]
    stages = next(v for k, v in files.items() if k.endswith("stages.csv"))
    assert len(stages["sha256"]) == 64 and stages["rows"] > 0
    assert all({"notebook", "seconds", "cache_hit", "status"} <= set(n) for n in log["notebooks"])
    assert log["disclosure"]["notebooks"] == len(log["notebooks"]) and log["disclosure"]["pages"] >= 5


@pytest.fixture(scope="module")
def work_copy(built_book, tmp_path_factory):
    """A copy of the built project (with its cache) that the tests below may change."""
    target = tmp_path_factory.mktemp("work") / "proj"
    shutil.copytree(built_book.root, target, symlinks=True)
    return target


def test_second_build_reexecutes_nothing(work_copy):
    params = work_copy / "params" / "test-book.yml"
    log = build(params, root=work_copy, progress=False, echo=lambda s: None)
    assert log["notebooks"] and all(n["cache_hit"] for n in log["notebooks"])
    assert log["prepare"]["regenerated"] is False


def test_failing_notebook_keeps_the_last_good_book(work_copy):
    html = work_copy / "_build" / "html"
    before = _tree(html)
    nb_path = work_copy / "notebooks" / "31_infrastructure.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('시험용 오류')"))
    nbformat.write(nb, nb_path)
    with pytest.raises(BuildError) as e:
        build(work_copy / "params" / "test-book.yml", root=work_copy, progress=False, echo=lambda s: None)
    msg = str(e.value)
    assert "notebooks/31_infrastructure.ipynb" in msg and f"셀 {len(nb.cells)}번" in msg and "시험용 오류" in msg
    assert _tree(html) == before


def test_second_study_file_builds(work_copy):
    params = ROOT / "params" / "example-2020-2023.yml"
    spec = yaml.safe_load(params.read_text(encoding="utf-8"))
    assert spec["parameters"]["focus_year"] == 2023
    shutil.copy(params, work_copy / "params" / params.name)
    src = work_copy / "notebooks" / "31_infrastructure.ipynb"
    shutil.copy(ROOT / "notebooks" / "31_infrastructure.ipynb", src)  # undo the failing cell above
    log = build(work_copy / "params" / params.name, root=work_copy, progress=False, echo=lambda s: None)
    assert log["status"] == "ok"
    page = (work_copy / "_build" / "html" / "notebooks" / "33_stage_outcomes.html").read_text(encoding="utf-8")
    assert "2023" in page
    cover = (work_copy / "_build" / "html" / "book" / "index.html").read_text(encoding="utf-8")
    assert spec["study"]["title"] in cover and spec["study"]["copyright"] in cover


def test_notebooks_publish_only_glued_values(built_book):
    """Tables, figures and numbers reach the page through glue; no stray printed output."""
    cache = built_book.root / "_build" / "cache" / "notebooks"
    stray = []
    for path in sorted(cache.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for i, cell in enumerate(nb.cells):
            tags = cell.metadata.get("tags", [])
            if cell.cell_type != "code" or "parameters" in tags or "injected-parameters" in tags:
                continue
            for out in cell.get("outputs", []):
                if not out.get("metadata", {}).get("scrapbook"):
                    stray.append(f"{path.name} cell {i}: {out.get('output_type')}")
    assert not stray, "\n".join(stray)
