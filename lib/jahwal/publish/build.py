"""Build orchestration: parameters → validated inputs → papermill → gate → jupyter-book → publish.

The phases, each a function of its own:

1. :func:`jahwal.study.params.load_params` checks the study file; :func:`extract_folder`
   finds the extract (absolute, or relative to the parameter file) and
   :func:`check_untracked` refuses an extract that git tracks.
2. :func:`prepare` makes the synthetic extract when the study asks for one.
3. When nothing changed since the published book (:func:`build_fingerprint`:
   notebooks, pages, parameters, inputs, library), the build stops here and the
   book is left as it is.
4. :func:`validate_inputs` checks the extract against the data contract (once
   per content hash: the validated tables are cached as Parquet in the extract's
   own folder, see :mod:`jahwal.inputs.extract_cache`).
5. :func:`execute_all` runs the TOC's notebooks with papermill, in parallel, the
   slowest first, and reuses an earlier result when the notebook, its
   parameters, the files it reads and the library are unchanged
   (:mod:`jahwal.publish.cache`).
6. :func:`stage` updates the staging folder (kept between builds, so that
   Sphinx rewrites only the pages that changed) with the executed notebooks,
   tagging the parameter cells for removal and hiding other code behind a toggle.
7. The disclosure gate (:mod:`jahwal.publish.gate`) checks the executed notebooks.
8. jupyter-book 1.x renders the staged folder.
9. :func:`publish` swaps a copy of the new HTML into ``_build/html``; on any
   failure (or Ctrl-C) before this point the previous book is left untouched.

Notebook workers and their kernels stop with the build: a worker asks the
kernel to be killed when its parent dies (``PR_SET_PDEATHSIG``) and also
watches its parent's pid.
"""

from __future__ import annotations

import concurrent.futures as cf
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jahwal import __version__
from jahwal.errors import JahwalError
from jahwal.inputs.digest import ignored
from jahwal.publish.cache import (
    NotebookCache,
    cache_key,
    declared_inputs,
    declared_parameters,
    extra_inputs,
    file_digest,
    fingerprint,
    library_digest,
    notebook_inputs,
    render_digest,
    tree_digest,
)
from jahwal.publish.toc import find_root, toc_entries, toc_notebooks
from jahwal.study.params import StudyParams, load_params

REMOVE_TAGS = ("parameters", "injected-parameters")


class BuildError(JahwalError):
    """A build step failed; the previous book was kept."""

    exit_code = 1

    def __init__(self, message: str, runs: list | None = None) -> None:
        super().__init__(message)
        self.runs = runs or []


class BuildInterrupted(BuildError):
    """The user stopped the build (Ctrl-C); the previous book was kept."""

    exit_code = 130

    def __init__(self) -> None:
        super().__init__(
            "빌드를 중단했습니다. 이전 책은 그대로 두었습니다 / build interrupted; the previous book was kept"
        )


class ExtractTrackedError(BuildError):
    """A file of the extract is tracked by git (microdata must stay out of the repository)."""

    exit_code = 2


# ------------------------------------------------------------------ phases
@dataclass
class NotebookRun:
    source: str
    key: str
    status: str = "pending"  # executed | cached | failed
    seconds: float = 0.0
    output: str = ""
    tables: str = ""
    error: str = ""
    parameters: dict[str, Any] = field(default_factory=dict)


@dataclass
class BuildContext:
    root: Path
    params_path: Path
    params: StudyParams
    build_dir: Path
    jobs: int = max(1, os.cpu_count() or 1)
    progress: bool = True
    log: dict[str, Any] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)  # input digests computed in this build

    @property
    def cache_dir(self) -> Path:
        return self.build_dir / "cache"

    @property
    def html_dir(self) -> Path:
        return self.build_dir / "html"

    @property
    def stage_dir(self) -> Path:
        return self.build_dir / ".stage"

    @property
    def published_file(self) -> Path:
        return self.cache_dir / "published.json"


def extract_folder(value: str, params_path: Path, root: Path) -> Path:
    """The extract folder a study names: absolute, else relative to the parameter file, else to the project.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); (d / "params" / "x").mkdir(parents=True)
    >>> extract_folder("x", d / "params" / "s.yml", d) == d / "params" / "x"
    True
    >>> extract_folder("data/y", d / "params" / "s.yml", d) == d / "data" / "y"
    True
    """
    p = Path(value).expanduser()
    if p.is_absolute():
        return p
    beside = Path(params_path).parent / p
    return beside if beside.exists() else Path(root) / p


def display_path(path: Path, root: Path) -> str:
    """A path as the build log records it: relative inside the project, absolute outside."""
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return str(Path(path).resolve())


def check_untracked(folder: Path) -> None:
    """Refuse an extract folder that holds files tracked by git.

    Nothing is checked when the folder is not inside a git checkout (or git is
    not installed).

    Raises
    ------
    ExtractTrackedError
        Naming the tracked files.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return
    try:
        proc = subprocess.run(
            ["git", "-C", str(folder), "ls-files", "-z", "--", "."], capture_output=True, timeout=60, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return
    if proc.returncode != 0:
        return
    tracked = [f for f in proc.stdout.decode("utf-8", "replace").split("\0") if f]
    if tracked:
        names = ", ".join(str(folder / f) for f in tracked[:5]) + (" …" if len(tracked) > 5 else "")
        raise ExtractTrackedError(
            f"추출 자료 파일이 git 저장소에 올라가 있습니다: {names}. 미시자료는 저장소 밖(또는 git이 무시하는 "
            f"data/private/)에 두고 'git rm --cached'로 추적을 해제하세요 / extract files are tracked by git: {names}. "
            f"Keep microdata outside the repository (or in the git-ignored data/private/) and untrack them with "
            f"'git rm --cached'."
        )


def prepare(ctx: BuildContext) -> dict[str, Any]:
    """Make the synthetic extract if the study asks for one (skipped when up to date)."""
    spec = ctx.params.prepare.synthetic
    if spec is None:
        return {"synthetic": None}
    import importlib.util

    out = ctx.root / spec.out
    stamp = out / ".jahwal-synth.json"
    want = {
        "scale": spec.scale,
        "seed": spec.seed,
        "years": list(spec.years),
        "reference": tree_digest(ctx.root / ctx.params.parameters.reference_dir, ctx.digests),
        # the generator's source, found without importing it (scipy is slow to import)
        "library": tree_digest(Path(importlib.util.find_spec("jahwal.inputs.synth").origin)),
    }
    if stamp.exists():
        try:
            if json.loads(stamp.read_text(encoding="utf-8")) == want:
                return {"synthetic": str(spec.out), "regenerated": False}
        except json.JSONDecodeError:
            pass
    stamp.unlink(missing_ok=True)
    from jahwal.inputs import synth

    t0 = time.perf_counter()
    synth.write_extract(
        out,
        scale=spec.scale,
        seed=spec.seed,
        years=tuple(spec.years),
        reference_dir=ctx.root / ctx.params.parameters.reference_dir,
    )
    result = {"synthetic": str(spec.out), "regenerated": True, "seconds": round(time.perf_counter() - t0, 2)}
    if spec.scale == 1 and spec.years[0] <= 2019 and spec.years[1] >= 2022:
        # the default data must reproduce the report: fail loudly otherwise
        from jahwal.analysis import calibration
        from jahwal.inputs import contract

        p = ctx.params.parameters
        ex = contract.load_extract(out, window=(f"{spec.years[0]}-01", f"{spec.years[1]}-12"))
        cal = calibration.calibrate(ex, ctx.root / p.reference_dir, focus_year=2022, alpha=p.alpha)
        calibration.require_pass(cal)
        result["calibration"] = {"checks": len(cal), "passed": int(cal["pass"].sum())}
    stamp.write_text(json.dumps(want, indent=1), encoding="utf-8")
    return result


def _input_files(ctx: BuildContext) -> dict[str, Path]:
    """Every data file the study names (hidden files and caches left out), by display path."""
    p = ctx.params.parameters
    files = {}
    for key in StudyParams.PATH_KEYS:
        path = ctx.root / getattr(p, key)
        if path.is_file():
            found = [path]
        elif path.is_dir():
            found = sorted(x for x in path.rglob("*") if x.is_file() and not ignored(x.relative_to(path).parts))
        else:
            found = []
        for f in found:
            files[display_path(f, ctx.root)] = f
    return files


def validate_inputs(ctx: BuildContext) -> dict[str, Any]:
    """Check the extract against the data contract; record file paths, digests and row counts.

    Nothing is copied: the log names each file where it is (relative to the
    project, or absolute outside it) with its SHA-256.
    """
    p = ctx.params.parameters
    stamp_key = fingerprint(
        {
            "inputs": {
                k: tree_digest(ctx.root / getattr(p, k), ctx.digests)
                for k in StudyParams.PATH_KEYS
                if (ctx.root / getattr(p, k)).exists()
            },
            "parameters": ctx.params.notebook_values(),
            "library": library_digest(),
        }
    )
    stamp = ctx.cache_dir / "inputs.json"
    try:
        done = json.loads(stamp.read_text(encoding="utf-8"))
        if done.get("key") == stamp_key:  # these very inputs passed every check before
            return {**done["report"], "reused": True}
    except (OSError, ValueError, KeyError):
        pass
    from jahwal.inputs import contract

    report = contract.validate_extract(
        ctx.root / p.extract_dir, fmt=p.extract_format, window=(p.window_start, p.window_end)
    )
    report["folder"] = display_path(ctx.root / p.extract_dir, ctx.root)
    report["files"] = {a: display_path(Path(f), ctx.root) for a, f in report["files"].items()}
    from jahwal import qual
    from jahwal.inputs import framework, infrastructure, literature

    # every other input is checked before any notebook runs, too
    literature.check_folder(ctx.root / p.literature_dir)
    corpus = qual.load_corpus(ctx.root / p.qual_path, format=p.qual_format)
    yearly = infrastructure.read_infrastructure(ctx.root / p.infrastructure_path)
    by_province = infrastructure.read_infrastructure_by_province(ctx.root / p.infrastructure_province_path)
    infra_files = (p.infrastructure_path, p.infrastructure_province_path)
    warnings = infrastructure.coverage_warnings(yearly, by_province, p.focus_year, infra_files)
    framework.load_framework(ctx.root / p.framework_dir, codes=corpus.codes)
    report["qualitative"] = {"segments": len(corpus.segments) if hasattr(corpus, "segments") else None}
    rows_by_file = {f: report["rows"][a] for a, f in report["files"].items()}
    files = {}
    for rel, f in _input_files(ctx).items():
        files[rel] = {
            "sha256": ctx.digests.get(str(f)) or file_digest(f),
            "rows": rows_by_file[rel] if rel in rows_by_file else _row_count(f),
        }
    result = {"extract": report, "files": files, "warnings": warnings}
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(json.dumps({"key": stamp_key, "report": result}, ensure_ascii=False), encoding="utf-8")
    return result


def _row_count(path: Path) -> int | None:
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".tsv"):
            with open(path, "rb") as fh:
                return max(sum(1 for _ in fh) - 1, 0)
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            return pq.ParquetFile(path).metadata.num_rows
    except (OSError, ValueError):  # pragma: no cover - informative only
        return None
    return None


# ------------------------------------------------------------------ workers
PR_SET_PDEATHSIG = 1


def _kill_descendants(pid: int | None = None) -> None:
    """Kill every process below ``pid`` (this process by default)."""
    import psutil

    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return
    for child in children:
        try:
            child.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(children, timeout=5)


def _die(*_: Any) -> None:
    _kill_descendants()
    os._exit(1)


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            _die()


def _worker_init(parent: int) -> None:
    """Set up a notebook worker: it and its kernel end when the build process ends.

    The worker ignores Ctrl-C (the build stops it), asks Linux for SIGTERM when
    its parent dies (``prctl(PR_SET_PDEATHSIG)``), and a daemon thread checks
    the parent's pid twice a second as a second line; either way the worker
    kills its kernel before it exits.
    """
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _die)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        except OSError:  # pragma: no cover - another libc
            pass
    if os.getppid() != parent:  # the parent died before the call above
        _die()
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="jahwal-parent-watch").start()


def _execute_one(source: str, output: str, values: dict[str, Any], root: str, tables: str) -> float:
    """Run one notebook with papermill (in a worker process)."""
    import papermill as pm

    os.environ["JAHWAL_TABLE_DIR"] = tables
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    # kernel chatter goes to a log file next to the cached result, not the terminal
    log = open(output.replace(".part.ipynb", ".log"), "w")  # noqa: SIM115 - open while the worker lives
    os.dup2(log.fileno(), 2)
    t0 = time.perf_counter()
    pm.execute_notebook(
        source,
        output,
        parameters=values,
        kernel_name="python3",
        cwd=root,
        progress_bar=False,
        log_output=False,
        request_save_on_cell_execute=False,
    )
    return time.perf_counter() - t0


def _failure_message(run: NotebookRun, exc: BaseException) -> str:
    cell = getattr(exc, "cell_index", None)
    count = getattr(exc, "exec_count", None)
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    where = f"셀 {cell}번" + (f"(실행 번호 {count})" if count is not None else "") if cell is not None else "실행 중"
    where_en = (
        f"cell {cell}" + (f" (execution count {count})" if count is not None else "")
        if cell is not None
        else "execution"
    )
    return (
        f"노트북 {run.source}의 {where}에서 오류가 났습니다 / notebook {run.source} failed at {where_en}: "
        f"{ename}: {evalue}"
    )


def plan_runs(ctx: BuildContext, only: Iterable[str] | None = None) -> list[NotebookRun]:
    """One run per TOC notebook with its cache key and its place in the cache (nothing executed)."""
    from jahwal.study.text import is_synthetic, study_values

    values = {**ctx.params.notebook_values(), **study_values(ctx.params)}
    lib = library_digest()
    cache = NotebookCache(ctx.cache_dir)
    runs: list[NotebookRun] = []
    notebooks = toc_notebooks(ctx.root, synthetic=is_synthetic(ctx.params))
    if only:
        only = set(only)
        notebooks = [n for n in notebooks if n.stem in only or str(n.relative_to(ctx.root)) in only]
    for nb in notebooks:
        nb_values = {k: values[k] for k in declared_parameters(nb) if k in values}
        inputs = notebook_inputs(nb_values, ctx.root, ctx.digests)
        inputs.update(extra_inputs(declared_inputs(nb), ctx.root))
        key = cache_key(nb, nb_values, inputs, lib)
        rel = nb.relative_to(ctx.root).as_posix()
        entry = cache.entry(rel, key)
        runs.append(
            NotebookRun(source=rel, key=key, output=str(entry.notebook), tables=str(entry.tables), parameters=nb_values)
        )
    return runs


def previous_timings(ctx: BuildContext) -> dict[str, float]:
    """Run time of each notebook in the last build log (for scheduling the slowest first)."""
    try:
        log = json.loads((ctx.build_dir / "build-log.json").read_text(encoding="utf-8"))
        return {n["notebook"]: float(n["seconds"]) for n in log.get("notebooks", []) if n.get("status") == "executed"}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def execute_all(ctx: BuildContext, only: Iterable[str] | None = None) -> list[NotebookRun]:
    """Execute the TOC's notebooks in parallel (slowest first), reusing intact cached results."""
    from tqdm import tqdm

    cache = NotebookCache(ctx.cache_dir)
    runs = plan_runs(ctx, only)
    for run in runs:
        if cache.lookup(cache.entry(run.source, run.key)):
            run.status = "cached"
    todo = [r for r in runs if r.status != "cached"]
    timings = previous_timings(ctx)
    for run in todo:  # the last run of each notebook, from the cache, when the log lacks it
        if run.source not in timings:
            entry = cache.entry(run.source, run.key)
            seen = [cache.seconds(e) for e in cache.entries_of(entry.stem)]
            seen = [x for x in seen if x is not None]
            if seen:
                timings[run.source] = max(seen)
    # slowest first (from the last build's log); unknown ones first of all, in TOC order
    todo.sort(key=lambda r: -timings.get(r.source, float("inf")))
    bar = tqdm(total=len(runs), desc="노트북 실행", unit="개", disable=not ctx.progress, initial=len(runs) - len(todo))
    failures = []
    if not todo:
        bar.close()
        return runs
    pool = cf.ProcessPoolExecutor(
        max_workers=max(1, min(ctx.jobs, len(todo))), initializer=_worker_init, initargs=(os.getpid(),)
    )
    try:
        futures = {}
        for run in todo:
            entry = cache.entry(run.source, run.key)
            cache.prepare(entry)
            futures[
                pool.submit(
                    _execute_one,
                    str(ctx.root / run.source),
                    str(entry.partial),
                    run.parameters,
                    str(ctx.root),
                    run.tables,
                )
            ] = run
        for fut in cf.as_completed(futures):
            run = futures[fut]
            try:
                run.seconds = round(fut.result(), 2)
                cache.commit(cache.entry(run.source, run.key), run.seconds)
                run.status = "executed"
            except cf.process.BrokenProcessPool as exc:
                run.status = "failed"
                run.error = f"노트북 {run.source}의 실행 과정이 끊겼습니다 / notebook {run.source}: worker died: {exc}"
                failures.append(run)
            except Exception as exc:  # noqa: BLE001 - papermill raises PapermillExecutionError, a kernel anything
                run.status = "failed"
                run.error = _failure_message(run, exc)
                failures.append(run)
            bar.set_postfix_str(Path(run.source).stem)
            bar.update(1)
    except BaseException:
        # Ctrl-C or an error here: stop the workers and their kernels now, do not wait for them
        _kill_descendants()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        bar.close()
    pool.shutdown(wait=True)
    if failures:
        raise BuildError("\n".join(r.error for r in sorted(failures, key=lambda r: r.source)), runs=runs)
    return runs


def reading_view(nb: Any) -> Any:
    """Remove parameter cells and hide the remaining code behind a toggle."""
    for cell in nb.cells:
        # run times and papermill's bookkeeping: the same inputs give the same page
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        tags = list(cell.metadata.get("tags", []))
        if any(t in tags for t in REMOVE_TAGS):
            tags = [t for t in tags if t != "hide-input"] + ["remove-cell"]
        elif "remove-cell" not in tags and "remove-input" not in tags and "hide-input" not in tags:
            tags.append("hide-input")
        cell.metadata["tags"] = sorted(set(tags))
    nb.metadata.pop("papermill", None)
    return nb


def _sync_file(data: bytes, target: Path, written: set[Path]) -> None:
    """Write ``data`` to ``target`` unless it already holds exactly that (keeps its time stamp)."""
    written.add(target)
    try:
        if target.stat().st_size == len(data) and target.read_bytes() == data:
            return
    except OSError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.part")
    tmp.write_bytes(data)
    os.replace(tmp, target)


def _sync_tree(source: Path, target: Path, written: set[Path]) -> None:
    for f in sorted(source.rglob("*")):
        if f.is_file() and "__pycache__" not in f.parts:
            _sync_file(f.read_bytes(), target / f.relative_to(source), written)


def stage(ctx: BuildContext, runs: list[NotebookRun], folder: Path) -> Path:
    """Bring the staging folder up to date: configuration, pages and executed notebooks.

    The folder is kept between builds. Files whose bytes do not change keep
    their time stamps, so that Sphinx re-reads only the pages that changed;
    files no longer part of the book are removed. Sphinx's own output
    (``_build/`` inside the folder) is left alone.
    """
    import nbformat
    import yaml

    folder.mkdir(parents=True, exist_ok=True)
    written: set[Path] = set()
    config = yaml.safe_load((ctx.root / "_config.yml").read_text(encoding="utf-8"))
    study = ctx.params.study
    config["title"] = study.title
    config["author"] = study.author
    config["copyright"] = study.copyright
    from jahwal.publish import pages
    from jahwal.publish.toc import load_toc, study_toc
    from jahwal.study import text as study_text

    subs = config.setdefault("parse", {}).setdefault("myst_substitutions", {})
    subs.update(study_text.substitutions(ctx.params))
    footer = study_text.footer(ctx.params)
    config.setdefault("html", {})["extra_footer"] = footer
    theme = config.get("sphinx", {}).get("config", {}).get("html_theme_options")
    if isinstance(theme, dict):  # these options replace html's, so the line goes there too
        theme["extra_footer"] = footer
    _sync_file(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False).encode("utf-8"), folder / "_config.yml", written
    )
    synthetic = study_text.study_values(ctx.params)["synthetic"]
    toc = study_toc(load_toc(ctx.root), synthetic=synthetic is not None)
    _sync_file(yaml.safe_dump(toc, allow_unicode=True, sort_keys=False).encode("utf-8"), folder / "_toc.yml", written)
    for name in ("book", "_static"):
        if (ctx.root / name).exists():
            _sync_tree(ctx.root / name, folder / name, written)
    for bib in config.get("bibtex_bibfiles", []):
        src = ctx.root / bib
        if src.exists():
            _sync_file(src.read_bytes(), folder / bib, written)
    extra_tables = folder / "_extra" / "tables"
    for run in runs:
        nb = nbformat.read(run.output, as_version=4)
        p = ctx.params.parameters
        nb = pages.study_page(
            nb,
            synthetic=synthetic,
            years=p.years,
            focus_year=p.focus_year,
            quantitative="extract_dir" in run.parameters,
        )
        _sync_file(nbformat.writes(reading_view(nb)).encode("utf-8") + b"\n", folder / run.source, written)
        if Path(run.tables).is_dir():
            for f in sorted(Path(run.tables).iterdir()):
                _sync_file(f.read_bytes(), extra_tables / f.name, written)
    extra_tables.mkdir(parents=True, exist_ok=True)
    removed_page = False
    for f in sorted(folder.rglob("*"), reverse=True):
        rel = f.relative_to(folder)
        if rel.parts[0] == "_build":
            continue
        if f.is_file() and f not in written:
            removed_page = removed_page or f.suffix in (".ipynb", ".md")
            f.unlink()
        elif f.is_dir() and not any(f.iterdir()) and f != extra_tables:
            f.rmdir()
    if removed_page:
        # Sphinx keeps the pages of removed documents: render the smaller book afresh
        shutil.rmtree(folder / "_build", ignore_errors=True)
    return folder


def render(ctx: BuildContext, folder: Path, strict: bool = True) -> Path:
    """Run jupyter-book 1.x on the staged folder (incrementally); return the HTML folder."""
    jb = Path(sys.executable).parent / "jupyter-book"
    cmd = [str(jb) if jb.exists() else "jupyter-book", "build", str(folder), "--builder", "html"]
    if strict:
        cmd += ["-W", "-n", "--keep-going"]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=folder, check=False)
    log_path = ctx.build_dir / "logs" / "jupyter-book.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_path.write_text(proc.stdout + "\n" + proc.stderr, encoding="utf-8")
    html = folder / "_build" / "html"
    if proc.returncode != 0 or not (html / "index.html").exists():
        # the next build starts Sphinx afresh: a half-written environment is not reused
        shutil.rmtree(folder / "_build", ignore_errors=True)
        warnings = [l for l in (proc.stdout + proc.stderr).splitlines() if "WARNING" in l or "ERROR" in l]
        detail = "\n".join(warnings[:20]) or proc.stderr[-2000:]
        raise BuildError(
            f"jupyter-book 렌더링에 실패했습니다 / jupyter-book failed (전체 기록 / full log: {log_path}):\n{detail}"
        )
    return html


def publish(new_html: Path, target: Path) -> None:
    """Replace ``target`` with ``new_html`` by renames (the old book stays until the swap)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    incoming = target.parent / f".html-incoming-{os.getpid()}"
    if incoming.exists():
        shutil.rmtree(incoming)
    shutil.move(str(new_html), incoming)
    old = target.parent / f".html-old-{os.getpid()}"
    if target.exists():
        os.replace(target, old)
    os.replace(incoming, target)
    if old.exists():
        shutil.rmtree(old)


def publish_copy(html: Path, target: Path) -> None:
    """Publish a copy of the rendered HTML (the staging folder keeps its own for the next build)."""
    copy = target.parent / f".html-copy-{os.getpid()}"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(html, copy, ignore=shutil.ignore_patterns(".buildinfo", ".doctrees"))
    normalise_html(copy)
    publish(copy, target)


#: myst-nb's style sheet already carries its content hash in its name; Sphinx adds a
#: checksum query only when the file exists as a page is written (an incremental build)
_MYSTNB_QUERY = re.compile(rb"(mystnb\.[0-9a-f]{64}\.css)\?v=[0-9a-f]+")


def normalise_html(folder: Path) -> None:
    """Make an incremental render byte-identical to a fresh one.

    - the checksum query after myst-nb's (content-hashed) style sheet is dropped;
    - search terms that no page holds any more (Sphinx keeps them, empty, after
      an incremental build) are removed from ``searchindex.js``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.html").write_bytes(b'href="_static/mystnb.' + b"0" * 64 + b'.css?v=8cd3d715"')
    >>> _ = (d / "searchindex.js").write_text('Search.setIndex({"terms": {"a": 0, "b": []}, "titleterms": {}})')
    >>> normalise_html(d)
    >>> (d / "a.html").read_bytes()[-12:], (d / "searchindex.js").read_text()
    (b'0000000.css"', 'Search.setIndex({"terms": {"a": 0}, "titleterms": {}})')
    """
    for page in folder.rglob("*.html"):
        data = page.read_bytes()
        fixed = _MYSTNB_QUERY.sub(rb"\1", data)
        if fixed != data:
            page.write_bytes(fixed)
    index = folder / "searchindex.js"
    if not index.exists():
        return
    text = index.read_text(encoding="utf-8")
    prefix, suffix = "Search.setIndex(", ")"
    if not (text.startswith(prefix) and text.endswith(suffix)):
        return
    body = text[len(prefix) : -len(suffix)]
    try:
        data = json.loads(body)
    except ValueError:
        return
    if json.dumps(data, sort_keys=True) != body:  # not the layout this knows how to rewrite
        return
    changed = False
    for part in ("terms", "titleterms"):
        terms = data.get(part, {})
        empty = [k for k, v in terms.items() if v == []]
        for k in empty:
            del terms[k]
        changed = changed or bool(empty)
    if changed:
        index.write_text(prefix + json.dumps(data, sort_keys=True) + suffix, encoding="utf-8")


def write_log(ctx: BuildContext) -> Path:
    logs = ctx.build_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = logs / f"build-{stamp}.json"
    text = json.dumps(ctx.log, indent=1, ensure_ascii=False, default=str)
    path.write_text(text, encoding="utf-8")
    (ctx.build_dir / "build-log.json").write_text(text, encoding="utf-8")
    return path


#: files and folders of the project that the rendered book is made from (besides the notebooks)
PAGE_SOURCES = ("_config.yml", "_toc.yml", "book", "_static")


def build_fingerprint(ctx: BuildContext, runs: list[NotebookRun], strict: bool) -> str:
    """Everything the published book depends on, as one hash.

    Notebook cache keys (which cover the notebooks, their parameters, the files
    they read and the library), the hand-written pages and configuration, the
    study section of the parameter file, every input file and the options.
    """
    parts: dict[str, Any] = {
        "version": __version__,
        "strict": strict,
        "library": render_digest(),
        "study": ctx.params.study.model_dump(mode="json"),
        "parameters": ctx.params.notebook_values(),
        "notebooks": [(r.source, r.key) for r in runs],
        "pages": {
            name: tree_digest(ctx.root / name, ctx.digests) for name in PAGE_SOURCES if (ctx.root / name).exists()
        },
        "inputs": {
            key: tree_digest(ctx.root / getattr(ctx.params.parameters, key), ctx.digests)
            for key in StudyParams.PATH_KEYS
            if (ctx.root / getattr(ctx.params.parameters, key)).exists()
        },
    }
    import yaml

    config = yaml.safe_load((ctx.root / "_config.yml").read_text(encoding="utf-8")) or {}
    parts["bib"] = {b: file_digest(ctx.root / b) for b in config.get("bibtex_bibfiles", []) if (ctx.root / b).exists()}
    return fingerprint(parts)


def unchanged(ctx: BuildContext, finger: str) -> bool:
    """True when the published book was built from exactly these sources and is still there."""
    try:
        published = json.loads(ctx.published_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return published.get("fingerprint") == finger and (ctx.html_dir / "index.html").exists()


def build(
    params_path: str | Path,
    root: str | Path | None = None,
    *,
    jobs: int | None = None,
    strict: bool = True,
    progress: bool = True,
    echo: Callable[[str], None] = print,
    force: bool = False,
) -> dict[str, Any]:
    """Build the whole book for one study; return the build log.

    Parameters
    ----------
    force : bool
        Render and publish even when nothing changed since the published book.

    Raises
    ------
    jahwal.study.params.ParamsError
        The parameter file is invalid (nothing runs).
    jahwal.inputs.contract.ContractError
        The extract violates the data contract (nothing runs).
    ExtractTrackedError
        A file of the extract is tracked by git (nothing runs).
    BuildError
        A notebook failed, the disclosure gate refused an output, or rendering
        failed. In every case the previous ``_build/html`` is left as it was.
    BuildInterrupted
        Ctrl-C: the workers and kernels are stopped, the previous book is kept.
    """
    root = Path(root) if root else find_root()
    params_path = Path(params_path)
    if not params_path.is_absolute():
        params_path = (Path.cwd() / params_path) if (Path.cwd() / params_path).exists() else root / params_path
    t0 = time.perf_counter()
    params = load_params(params_path, root)
    extract = extract_folder(params.parameters.extract_dir, params_path, root)
    # notebooks run with the project as working folder: pass the folder they can open
    shown = display_path(extract, root)
    if shown != params.parameters.extract_dir:
        params = params.model_copy(update={"parameters": params.parameters.model_copy(update={"extract_dir": shown})})
    ctx = BuildContext(
        root=root,
        params_path=params_path,
        params=params,
        build_dir=root / "_build",
        jobs=jobs or max(1, os.cpu_count() or 1),
        progress=progress,
    )
    ctx.log = {
        "jahwal_version": __version__,
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "params_file": str(params_path),
        "params_sha256": file_digest(params_path),
        "study": params.study.model_dump(),
        "parameters": params.notebook_values(),
        "status": "running",
    }
    stage_dir = ctx.stage_dir
    phases: dict[str, float] = {}
    ctx.log["phases"] = phases
    clock = [time.perf_counter()]

    def lap(name: str) -> None:
        now = time.perf_counter()
        phases[name] = round(now - clock[0], 2)
        clock[0] = now

    try:
        echo("1/6 자료 준비 / preparing data")
        ctx.log["prepare"] = prepare(ctx)
        lap("prepare")
        synthetic = params.prepare.synthetic
        if synthetic is None or (root / synthetic.out).resolve() != (root / params.parameters.extract_dir).resolve():
            check_untracked(root / params.parameters.extract_dir)
        runs = plan_runs(ctx)
        finger = build_fingerprint(ctx, runs, strict)
        lap("fingerprint")
        if not force and unchanged(ctx, finger):
            cache = NotebookCache(ctx.cache_dir)
            if all(cache.lookup(cache.entry(r.source, r.key)) for r in runs):
                for r in runs:
                    r.status = "cached"
                ctx.log["notebooks"] = [_run_log(r) for r in runs]
                ctx.log["status"] = "unchanged"
                echo("바뀐 것이 없어 게시된 책을 그대로 둡니다 / nothing changed; the published book is kept")
                return ctx.log
        echo("2/6 입력 자료 검증 / validating inputs")
        ctx.log["inputs"] = validate_inputs(ctx)
        for warning in ctx.log["inputs"].get("warnings", []):
            echo(f"   경고 / warning: {warning}")
        lap("validate")
        echo("3/6 노트북 실행 / executing notebooks")
        runs = execute_all(ctx)
        ctx.log["notebooks"] = [_run_log(r) for r in runs]
        lap("execute")
        echo("4/6 공개 점검 / disclosure gate")
        from jahwal.publish import gate

        stage(ctx, runs, stage_dir)
        lap("stage")
        pages = [stage_dir / r.source for r in runs] + sorted((stage_dir / "book").rglob("*.md"))
        ctx.log["disclosure"] = gate.check_notebooks(
            pages, threshold=params.parameters.suppression_threshold, root=stage_dir
        )
        from jahwal.publish import attack_check

        ctx.log["attacker_check"] = attack_check.check_book(
            [stage_dir / r.source for r in runs], threshold=params.parameters.suppression_threshold
        )
        lap("gate")
        echo("5/6 책 만들기 / rendering with jupyter-book")
        html = render(ctx, stage_dir, strict=strict)
        lap("render")
        ctx.log["html_scan"] = gate.scan_html(html, threshold=params.parameters.suppression_threshold)
        lap("scan")
        echo("6/6 게시 / publishing")
        ctx.published_file.unlink(missing_ok=True)
        publish_copy(html, ctx.html_dir)
        ctx.published_file.parent.mkdir(parents=True, exist_ok=True)
        ctx.published_file.write_text(json.dumps({"fingerprint": finger}), encoding="utf-8")
        lap("publish")
        ctx.log["status"] = "ok"
    except KeyboardInterrupt:
        _kill_descendants()
        ctx.log["status"] = "interrupted"
        ctx.log["error"] = "interrupted"
        raise BuildInterrupted() from None
    except BuildError as exc:
        if getattr(exc, "runs", None):
            ctx.log["notebooks"] = [_run_log(r) for r in exc.runs]
        ctx.log["status"] = "failed"
        ctx.log["error"] = str(exc)
        raise
    except BaseException as exc:
        ctx.log["status"] = "failed"
        ctx.log["error"] = f"{type(exc).__name__}: {exc}"
        raise
    finally:
        ctx.log["seconds"] = round(time.perf_counter() - t0, 2)
        ctx.log["log_file"] = str(write_log(ctx))
    return ctx.log


def _run_log(r: NotebookRun) -> dict[str, Any]:
    return {
        "notebook": r.source,
        "status": r.status,
        "cache_hit": r.status == "cached",
        "seconds": r.seconds,
        "cache_key": r.key,
        **({"error": r.error} if r.error else {}),
    }


def toc_titles(root: Path) -> dict[str, str]:
    """TOC file → page title (used by tests and the build summary)."""
    from jahwal.publish.toc import page_title, resolve

    return {e["file"]: page_title(resolve(root, e["file"])) for e in toc_entries(root)}
