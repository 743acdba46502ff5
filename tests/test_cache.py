"""The caches of the build: the extract's columnar cache and the notebook cache.

- the extract is validated once per content hash; the cache sits in the
  extract's own folder and a damaged entry is rebuilt, never trusted;
- a changed input file or parameter invalidates exactly the notebooks that
  read it; a damaged notebook entry is executed again;
- downloads and the web font are byte-identical between two writes.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

from jahwal.inputs import contract, extract_cache
from jahwal.publish import build
from jahwal.publish.cache import NotebookCache, declared_parameters
from jahwal.publish.toc import make_notebook, toc_notebooks, write_notebook
from jahwal.study.params import load_params

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("participants", "stages", "counselling", "outcomes")


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _entries(folder: Path) -> list[Path]:
    return sorted(p for p in (folder / extract_cache.CACHE_FOLDER).iterdir() if p.is_dir())


# ---------------------------------------------------------------- extract cache
def test_extract_is_cached_inside_its_own_folder_and_read_back_equal(tiny_extract, tmp_path):
    folder = tiny_extract()
    outside = {p for p in tmp_path.rglob("*") if extract_cache.CACHE_FOLDER not in p.parts}
    first = contract.load_extract(folder)
    assert contract.validate_extract(folder)["cache"] == "hit"
    second = contract.load_extract(folder)
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(first, name), getattr(second, name))
    assert second.dropped_duplicates == first.dropped_duplicates == 1
    assert second.participants["base_id"].tolist() == ["B1", "B3", "B2", "B4", "B6"]  # by year, then person
    # the only new files are in the extract's hidden cache folder
    now = {p for p in tmp_path.rglob("*") if extract_cache.CACHE_FOLDER not in p.parts}
    assert now == outside
    [entry] = _entries(folder)
    assert sorted(p.name for p in entry.iterdir()) == sorted([f"{t}.parquet" for t in TABLES] + ["manifest.json"])


def test_damaged_extract_cache_entry_is_rebuilt_not_trusted(tiny_extract):
    folder = tiny_extract()
    contract.load_extract(folder)
    [entry] = _entries(folder)
    # same size, different bytes: a digest check is needed to notice
    path = entry / "counselling.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    assert contract.validate_extract(folder)["cache"] == "miss"
    again = contract.load_extract(folder)
    assert len(again.counselling) == 7
    manifest = json.loads((entry / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parquet"]["counselling"] == extract_cache.file_digest(path)
    # a missing manifest is a miss too
    (entry / "manifest.json").unlink()
    assert contract.validate_extract(folder)["cache"] == "miss"


def test_changed_extract_file_or_window_is_a_new_entry(tiny_extract):
    folder = tiny_extract()
    contract.load_extract(folder)
    df = pd.read_csv(folder / "counselling.csv", dtype=str)
    df.loc[len(df)] = ["p4", "2022-12-06", "전화상담"]
    df.to_csv(folder / "counselling.csv", index=False)
    assert contract.validate_extract(folder)["cache"] == "miss"
    assert len(contract.load_extract(folder).counselling) == 8
    assert contract.validate_extract(folder, window=("2021-01", "2022-12"))["cache"] == "miss"
    assert contract.validate_extract(folder, window=("2021-01", "2022-12"))["cache"] == "hit"


def test_invalid_extract_writes_no_cache(tiny_extract):
    def edit(frames):
        frames["stages"].loc[0, "ISP수립"] = "?"

    folder = tiny_extract(edit=edit)
    with pytest.raises(contract.ContractError):
        contract.load_extract(folder)
    assert not (folder / extract_cache.CACHE_FOLDER).exists()


def test_unwritable_extract_folder_still_loads(tiny_extract, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError("read-only")

    monkeypatch.setattr(extract_cache.tempfile, "mkdtemp", refuse)
    folder = tiny_extract()
    assert len(contract.load_extract(folder).counselling) == 7
    assert contract.validate_extract(folder)["cache"] == "miss"
    assert not _entries(folder) if (folder / extract_cache.CACHE_FOLDER).exists() else True


# ---------------------------------------------------------------- notebook cache
def _project(tmp_path: Path) -> tuple[Path, build.BuildContext]:
    """Three notebooks: one reads the extract, one reads the qualitative data, one only ``alpha``."""
    root = tmp_path / "proj"
    (root / "notebooks").mkdir(parents=True)
    (root / "book").mkdir()
    (root / "data" / "ex").mkdir(parents=True)
    (root / "data" / "qual").mkdir(parents=True)
    (root / "data" / "ex" / "counselling.csv").write_text("a\n1\n", encoding="utf-8")
    (root / "data" / "qual" / "segments.csv").write_text("b\n1\n", encoding="utf-8")
    shutil.copy(ROOT / "_config.yml", root / "_config.yml")
    (root / "book" / "index.md").write_text("# 표지\n", encoding="utf-8")
    (root / "_toc.yml").write_text(
        "format: jb-book\nroot: book/index\nparts:\n- caption: 가\n  chapters:\n"
        "  - file: notebooks/a\n  - file: notebooks/b\n  - file: notebooks/c\n",
        encoding="utf-8",
    )
    cells = {
        "a": 'extract_dir = "x"\nfocus_year = 2000',
        "b": 'qual_path = "x"',
        "c": "alpha = 0.1",
    }
    for name, params in cells.items():
        write_notebook(
            make_notebook([("md", f"# {name}"), ("params", params), ("code", "y = 1")]),
            root / "notebooks" / f"{name}.ipynb",
        )
    return root, _ctx(root)


def _ctx(root: Path, **update) -> build.BuildContext:
    params = load_params(ROOT / "params" / "report-2023.yml", ROOT, check_paths=False)
    values = {"extract_dir": "data/ex", "qual_path": "data/qual", **update}
    if "focus_year" in update and "daily_rates" not in update:  # same rates in another focus year
        values["daily_rates"] = {update["focus_year"]: params.focus_rates()}
    params = params.model_copy(update={"parameters": params.parameters.model_copy(update=values)})
    return build.BuildContext(
        root=root,
        params_path=ROOT / "params" / "report-2023.yml",
        params=params,
        build_dir=root / "_build",
        jobs=2,
        progress=False,
    )


def _keys(ctx: build.BuildContext) -> dict[str, str]:
    return {Path(r.source).stem: r.key for r in build.plan_runs(ctx)}


def test_declared_parameters_match_papermill():
    for nb in toc_notebooks(ROOT):
        assert declared_parameters(nb) == list(build.declared_parameters(nb)), nb.name
    import papermill as pm

    nb = ROOT / "notebooks" / "33_stage_outcomes.ipynb"
    assert declared_parameters(nb) == list(pm.inspect_notebook(str(nb)))


def test_changed_input_or_parameter_invalidates_exactly_its_readers(tmp_path):
    root, ctx = _project(tmp_path)
    before = _keys(ctx)
    (root / "data" / "ex" / "counselling.csv").write_text("a\n2\n", encoding="utf-8")
    after_extract = _keys(_ctx(root))
    assert {k for k in before if before[k] != after_extract[k]} == {"a"}
    (root / "data" / "qual" / "segments.csv").write_text("b\n2\n", encoding="utf-8")
    after_qual = _keys(_ctx(root))
    assert {k for k in before if after_extract[k] != after_qual[k]} == {"b"}
    after_alpha = _keys(_ctx(root, alpha=0.01))
    assert {k for k in before if after_qual[k] != after_alpha[k]} == {"c"}
    after_year = _keys(_ctx(root, alpha=0.01, focus_year=2021))
    assert {k for k in before if after_alpha[k] != after_year[k]} == {"a"}
    # a parameter no notebook declares changes no key
    assert _keys(_ctx(root, alpha=0.01, focus_year=2021, min_count=5)) == after_year
    # the extract's own cache folder is not an input
    (root / "data" / "ex" / extract_cache.CACHE_FOLDER).mkdir()
    (root / "data" / "ex" / extract_cache.CACHE_FOLDER / "x.parquet").write_bytes(b"1")
    assert _keys(_ctx(root, alpha=0.01, focus_year=2021)) == after_year


def test_changed_input_reexecutes_only_its_reader_and_damaged_entry_reruns(tmp_path):
    root, ctx = _project(tmp_path)
    assert [r.status for r in build.execute_all(ctx)] == ["executed"] * 3
    assert [r.status for r in build.execute_all(_ctx(root))] == ["cached"] * 3
    (root / "data" / "qual" / "segments.csv").write_text("b\n3\n", encoding="utf-8")
    assert [r.status for r in build.execute_all(_ctx(root))] == ["cached", "executed", "cached"]
    # damage the cached result of c: it runs again, the others are reused
    runs = build.plan_runs(_ctx(root))
    c = Path(runs[2].output)
    c.write_text(c.read_text(encoding="utf-8").replace("y = 1", "y = 2"), encoding="utf-8")
    assert [r.status for r in build.execute_all(_ctx(root))] == ["cached", "cached", "executed"]
    cache = NotebookCache(root / "_build" / "cache")
    assert all(cache.lookup(cache.entry(r.source, r.key)) for r in runs)
    # one entry per notebook is kept
    assert len(list((root / "_build" / "cache" / "notebooks").glob("notebooks__b.*.ipynb"))) == 1


def test_slowest_notebooks_are_scheduled_first(tmp_path):
    root, ctx = _project(tmp_path)
    (root / "_build").mkdir()
    log = {
        "notebooks": [
            {"notebook": "notebooks/a.ipynb", "status": "executed", "seconds": 1.0},
            {"notebook": "notebooks/c.ipynb", "status": "executed", "seconds": 9.0},
        ]
    }
    (root / "_build" / "build-log.json").write_text(json.dumps(log), encoding="utf-8")
    order: list[str] = []
    original = build.cf.ProcessPoolExecutor.submit

    def spy(self, fn, source, *args, **kwargs):
        order.append(Path(source).stem)
        return original(self, fn, source, *args, **kwargs)

    build.cf.ProcessPoolExecutor.submit = spy
    try:
        build.execute_all(ctx)
    finally:
        build.cf.ProcessPoolExecutor.submit = original
    assert order == ["b", "c", "a"]  # never timed first, then slowest first


# ---------------------------------------------------------------- same inputs, same bytes
def test_xlsx_download_is_byte_identical(tmp_path):
    from jahwal.display.nb import write_xlsx

    df = pd.DataFrame({"시도": ["서울", "부산"], "인원": [12, 30]})
    a = write_xlsx(df, tmp_path / "a.xlsx", "표").read_bytes()
    time.sleep(1.1)
    b = write_xlsx(df, tmp_path / "b.xlsx", "표").read_bytes()
    assert a == b


def test_web_font_is_byte_identical(tmp_path):
    from jahwal.publish.sphinx_ext import _font_sources, web_font

    sources = _font_sources()
    if not sources:
        pytest.skip("koreanize-matplotlib is not installed")
    for source in sources:
        a = web_font(source, tmp_path / "a" / source.name).read_bytes()
        time.sleep(1.1)
        b = web_font(source, tmp_path / "b" / source.name).read_bytes()
        assert a == b and b"TSI" not in a[:1024]


# ---------------------------------------------------------------- a build that is stopped
def _sleeping_project(tmp_path: Path, tiny_extract) -> tuple[Path, Path]:
    """A project whose two notebooks sleep; its study file names the shipped data by absolute paths."""
    import yaml

    root = tmp_path / "sleepy"
    (root / "notebooks").mkdir(parents=True)
    (root / "book").mkdir()
    (root / "params").mkdir()
    shutil.copy(ROOT / "_config.yml", root / "_config.yml")
    (root / "book" / "index.md").write_text("# 표지\n", encoding="utf-8")
    (root / "_toc.yml").write_text(
        "format: jb-book\nroot: book/index\nparts:\n- caption: 가\n  chapters:\n  - file: notebooks/a\n  - file: notebooks/b\n",
        encoding="utf-8",
    )
    for name in ("a", "b"):
        write_notebook(
            make_notebook([("md", f"# {name}"), ("params", "alpha = 0.1"), ("code", "import time\ntime.sleep(300)")]),
            root / "notebooks" / f"{name}.ipynb",
        )
    spec = yaml.safe_load((ROOT / "params" / "report-2023.yml").read_text(encoding="utf-8"))
    spec["prepare"]["synthetic"] = None
    p = spec["parameters"]
    for key in (
        "infrastructure_path",
        "infrastructure_province_path",
        "reference_dir",
        "literature_dir",
        "qual_path",
        "framework_dir",
    ):
        p[key] = str(ROOT / p[key])
    p["extract_dir"] = str(tiny_extract())
    params = root / "params" / "sleepy.yml"
    params.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    (root / "_build" / "html").mkdir(parents=True)
    (root / "_build" / "html" / "index.html").write_text("이전 책", encoding="utf-8")
    return root, params


def _start_build(root: Path, params: Path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(ROOT / "lib")}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jahwal.cli",
            "build",
            "--params",
            str(params),
            "--root",
            str(root),
            "--quiet",
            "--jobs",
            "2",
        ],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _wait_for_kernels(proc, n: int, timeout: float = 240.0) -> list:
    import psutil

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        found = [c for c in psutil.Process(proc.pid).children(recursive=True) if "ipykernel" in " ".join(c.cmdline())]
        if len(found) >= n:
            time.sleep(2)  # let the notebooks reach their sleeping cell
            return psutil.Process(proc.pid).children(recursive=True)
        time.sleep(0.5)
    raise AssertionError("the kernels did not start")


def _gone(procs: list, timeout: float = 20.0) -> list:
    import psutil

    deadline = time.monotonic() + timeout
    alive = procs
    while alive and time.monotonic() < deadline:
        alive = [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        time.sleep(0.5)
    return alive


@pytest.mark.slow
def test_killed_build_takes_its_workers_and_kernels_with_it(tmp_path, tiny_extract):
    import signal

    root, params = _sleeping_project(tmp_path, tiny_extract)
    proc = _start_build(root, params)
    try:
        tree = _wait_for_kernels(proc, 2)
        assert len(tree) >= 4  # two workers, two kernels
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert _gone(tree) == []
    finally:
        if proc.poll() is None:
            proc.kill()
    assert (root / "_build" / "html" / "index.html").read_text(encoding="utf-8") == "이전 책"


@pytest.mark.slow
def test_ctrl_c_says_the_previous_book_was_kept(tmp_path, tiny_extract):
    import signal

    root, params = _sleeping_project(tmp_path, tiny_extract)
    proc = _start_build(root, params)
    try:
        tree = _wait_for_kernels(proc, 2)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130
    assert err.strip().splitlines() == [
        "오류 / error: 빌드를 중단했습니다. 이전 책은 그대로 두었습니다 / build interrupted; the previous book was kept"
    ]
    assert "Traceback" not in out + err
    assert _gone(tree) == []
    assert (root / "_build" / "html" / "index.html").read_text(encoding="utf-8") == "이전 책"
    log = json.loads((root / "_build" / "build-log.json").read_text(encoding="utf-8"))
    assert log["status"] == "interrupted"


# ---------------------------------------------------------------- kernel start-up
def test_notebook_imports_leave_heavy_libraries_for_later():
    """Importing the modules notebooks start with does not load scipy.stats, pingouin or statsmodels."""
    import subprocess
    import sys

    modules = sorted(
        {
            line.split(" import ")[0].removeprefix("from ").strip()
            for nb in toc_notebooks(ROOT)
            for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]
            if cell["cell_type"] == "code"
            for line in ("".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]).splitlines()
            if line.startswith("from jahwal")
        }
    )
    assert "jahwal.display" in modules and len(modules) >= 4
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}:\n    importlib.import_module(m)\n"
        "import jahwal.chapters.ch3_stages, jahwal.chapters.ch3_outcomes, jahwal.chapters.summary\n"
        "print(sorted(k for k in ('scipy.stats', 'pingouin', 'statsmodels', 'sklearn') if k in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT / "lib"), "PATH": "/usr/bin:/bin"},
    )
    assert out.stdout.strip() == "[]"
