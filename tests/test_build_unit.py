"""Unit tests of the build logic: cache keys, reading view, atomic publish, execution and failure messages."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import nbformat
import pytest

from jahwal.publish import build
from jahwal.publish.toc import make_notebook, write_notebook
from jahwal.study.params import load_params

ROOT = Path(__file__).resolve().parents[1]


def _tree_bytes(path: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(path.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(path)).encode() + p.read_bytes())
    return h.hexdigest()


def test_cache_key_depends_on_source_parameters_inputs_and_library(tmp_path):
    nb = tmp_path / "a.ipynb"
    write_notebook(make_notebook([("md", "# 가"), ("params", "x = 1")]), nb)
    data = tmp_path / "d.csv"
    data.write_text("a\n1\n", encoding="utf-8")
    inputs = build.notebook_inputs({"path": "d.csv", "x": 1}, tmp_path)
    assert list(inputs) == ["d.csv"]
    k0 = build.cache_key(nb, {"x": 1}, inputs, "lib1")
    assert k0 == build.cache_key(nb, {"x": 1}, dict(inputs), "lib1")
    assert k0 != build.cache_key(nb, {"x": 2}, inputs, "lib1")
    assert k0 != build.cache_key(nb, {"x": 1}, inputs, "lib2")
    data.write_text("a\n2\n", encoding="utf-8")
    assert k0 != build.cache_key(nb, {"x": 1}, build.notebook_inputs({"path": "d.csv"}, tmp_path), "lib1")
    write_notebook(make_notebook([("md", "# 가"), ("params", "x = 3")]), nb)
    assert k0 != build.cache_key(nb, {"x": 1}, inputs, "lib1")


def test_timestamps_do_not_change_the_key(tmp_path):
    import os

    d = tmp_path / "d.csv"
    d.write_text("a\n1\n", encoding="utf-8")
    before = build.tree_digest(d)
    os.utime(d, (1, 1))
    assert build.tree_digest(d) == before


def test_reading_view_removes_parameter_cells_and_hides_code():
    nb = make_notebook([("md", "# 제목"), ("params", "x = 1"), ("code", "y = 2")])
    injected = nbformat.v4.new_code_cell("x = 5")
    injected.metadata["tags"] = ["injected-parameters"]
    nb.cells.insert(2, injected)
    out = build.reading_view(nb)
    tags = [c.metadata.get("tags", []) for c in out.cells if c.cell_type == "code"]
    assert tags == [["parameters", "remove-cell"], ["injected-parameters", "remove-cell"], ["hide-input"]]


def test_publish_swaps_folders(tmp_path):
    old = tmp_path / "_build" / "html"
    old.mkdir(parents=True)
    (old / "index.html").write_text("old", encoding="utf-8")
    new = tmp_path / "new"
    new.mkdir()
    (new / "index.html").write_text("new", encoding="utf-8")
    build.publish(new, old)
    assert (old / "index.html").read_text(encoding="utf-8") == "new"
    assert not new.exists()
    assert [p.name for p in (tmp_path / "_build").iterdir()] == ["html"]


def _mini_project(tmp_path: Path, fail: bool) -> Path:
    root = tmp_path / "proj"
    (root / "notebooks").mkdir(parents=True)
    (root / "book").mkdir()
    shutil.copy(ROOT / "_config.yml", root / "_config.yml")
    (root / "book" / "index.md").write_text("# 표지\n", encoding="utf-8")
    (root / "_toc.yml").write_text(
        "format: jb-book\nroot: book/index\nparts:\n- caption: 가\n  chapters:\n  - file: notebooks/a\n  - file: notebooks/b\n",
        encoding="utf-8",
    )
    write_notebook(
        make_notebook([("md", "# 가"), ("params", "focus_year = 2000"), ("code", "assert focus_year == 2022")]),
        root / "notebooks" / "a.ipynb",
    )
    body = "raise ValueError('일부러 낸 오류')" if fail else "z = 1"
    write_notebook(
        make_notebook([("md", "# 나"), ("params", "alpha = 0.1"), ("code", "y = 1"), ("code", body)]),
        root / "notebooks" / "b.ipynb",
    )
    return root


def _ctx(root: Path) -> build.BuildContext:
    params = load_params(ROOT / "params" / "report-2023.yml", ROOT, check_paths=False)
    return build.BuildContext(
        root=root,
        params_path=ROOT / "params" / "report-2023.yml",
        params=params,
        build_dir=root / "_build",
        jobs=2,
        progress=False,
    )


def test_execute_injects_declared_parameters_and_reuses_results(tmp_path):
    root = _mini_project(tmp_path, fail=False)
    runs = build.execute_all(_ctx(root))
    assert [r.status for r in runs] == ["executed", "executed"]
    assert runs[0].parameters == {"focus_year": 2022} and runs[1].parameters == {"alpha": 0.05}
    again = build.execute_all(_ctx(root))
    assert [r.status for r in again] == ["cached", "cached"]
    # a change in one notebook re-executes that notebook only
    write_notebook(
        make_notebook([("md", "# 나"), ("params", "alpha = 0.1"), ("code", "y = 2")]), root / "notebooks" / "b.ipynb"
    )
    third = build.execute_all(_ctx(root))
    assert [r.status for r in third] == ["cached", "executed"]


def test_failing_notebook_names_notebook_and_cell(tmp_path):
    root = _mini_project(tmp_path, fail=True)
    with pytest.raises(build.BuildError) as e:
        build.execute_all(_ctx(root))
    msg = str(e.value)
    assert "notebooks/b.ipynb" in msg and "ValueError" in msg and "일부러 낸 오류" in msg
    assert "셀 4번" in msg  # title, parameters, injected parameters, y = 1, raise
    statuses = {r.source: r.status for r in e.value.runs}
    assert statuses == {"notebooks/a.ipynb": "executed", "notebooks/b.ipynb": "failed"}


def _prepare_ctx(tmp_path: Path) -> build.BuildContext:
    root = tmp_path / "proj"
    shutil.copytree(ROOT / "data" / "reference", root / "data" / "reference")
    params = load_params(ROOT / "params" / "report-2023.yml", ROOT, check_paths=False)
    return build.BuildContext(
        root=root,
        params_path=ROOT / "params" / "report-2023.yml",
        params=params,
        build_dir=root / "_build",
        jobs=1,
        progress=False,
    )


@pytest.mark.slow
def test_prepare_makes_the_default_extract_and_checks_its_calibration(tmp_path):
    ctx = _prepare_ctx(tmp_path)
    first = build.prepare(ctx)
    assert first["regenerated"] is True
    assert first["calibration"]["checks"] == first["calibration"]["passed"] > 300
    assert build.prepare(ctx) == {"synthetic": "data/synthetic/report-2023", "regenerated": False}


@pytest.mark.slow
def test_prepare_fails_loudly_when_the_default_extract_misses_the_report(tmp_path):
    import pandas as pd

    from jahwal.analysis.calibration import CalibrationError

    ctx = _prepare_ctx(tmp_path)
    path = ctx.root / "data" / "reference" / "tab_III_08_counselling_by_province_2022.csv"
    t = pd.read_csv(path)
    t.loc[t["province"] == "제주", "sd"] = 20.0  # the generator still makes 10.68 (표 Ⅲ-8)
    t.to_csv(path, index=False)
    from jahwal.inputs import synth

    original = synth.read_targets

    def real_targets(reference_dir):  # generate from the true figures, check against the changed ones
        return original(ROOT / "data" / "reference")

    synth.read_targets = real_targets
    try:
        with pytest.raises(CalibrationError, match="표 Ⅲ-8 제주 표준편차"):
            build.prepare(ctx)
    finally:
        synth.read_targets = original
    assert not (ctx.root / "data" / "synthetic" / "report-2023" / ".jahwal-synth.json").exists()
