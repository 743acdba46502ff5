"""Build orchestration: parameters → validated inputs → papermill → gate → jupyter-book → publish.

The phases, each a function of its own:

1. :func:`jahwal.study.params.load_params` checks the study file.
2. :func:`prepare` makes the synthetic extract when the study asks for one.
3. :func:`validate_inputs` checks the extract against the data contract.
4. :func:`execute_all` runs the TOC's notebooks with papermill, in parallel, and
   reuses an earlier result when the notebook, its parameters, the files it reads
   and the library are unchanged (content hashes).
5. :func:`stage` assembles a temporary book folder with the executed notebooks,
   tagging the parameter cells for removal and hiding other code behind a toggle.
6. The disclosure gate (:mod:`jahwal.publish.gate`) checks the executed notebooks.
7. jupyter-book 1.x renders the staged folder.
8. :func:`publish` swaps the new HTML into ``_build/html``; on any failure before
   this point the previous book is left untouched.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable

import nbformat
import yaml

from jahwal import __version__
from jahwal.errors import JahwalError
from jahwal.inputs.digest import file_digest, tree_digest
from jahwal.publish.toc import find_root, toc_entries, toc_notebooks
from jahwal.study.params import StudyParams, load_params

REMOVE_TAGS = ("parameters", "injected-parameters")


class BuildError(JahwalError):
    """A build step failed; the previous book was kept."""

    exit_code = 1

    def __init__(self, message: str, runs: list | None = None) -> None:
        super().__init__(message)
        self.runs = runs or []


# ------------------------------------------------------------------ hashing


def library_digest() -> str:
    """Digest of the ``jahwal`` package sources (a change re-executes the notebooks)."""
    return tree_digest(Path(__file__).parent.parent)


def declared_parameters(notebook: Path) -> dict[str, Any]:
    """Names and default sources of the variables in a notebook's ``parameters`` cell."""
    import papermill as pm

    return pm.inspect_notebook(str(notebook))


def notebook_inputs(values: dict[str, Any], root: Path) -> dict[str, str]:
    """The data paths among a notebook's parameter values, with their digests."""
    out = {}
    for _key, value in sorted(values.items()):
        if isinstance(value, str) and value and not value.startswith(("http:", "https:")):
            p = root / value
            if p.exists():
                out[value] = tree_digest(p)
    return out


def cache_key(notebook: Path, values: dict[str, Any], inputs: dict[str, str], lib: str) -> str:
    """Content hash of everything a notebook's result depends on.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> nb = pathlib.Path(tempfile.mkdtemp()) / "x.ipynb"
    >>> _ = nb.write_text("{}")
    >>> a = cache_key(nb, {"year": 2022}, {}, "lib")
    >>> a == cache_key(nb, {"year": 2022}, {}, "lib"), a == cache_key(nb, {"year": 2023}, {}, "lib")
    (True, False)
    """
    h = hashlib.sha256()
    h.update(file_digest(notebook).encode())
    h.update(json.dumps(values, sort_keys=True, ensure_ascii=False).encode())
    h.update(json.dumps(inputs, sort_keys=True).encode())
    h.update(lib.encode())
    return h.hexdigest()


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

    @property
    def cache_dir(self) -> Path:
        return self.build_dir / "cache"

    @property
    def html_dir(self) -> Path:
        return self.build_dir / "html"


def prepare(ctx: BuildContext) -> dict[str, Any]:
    """Make the synthetic extract if the study asks for one (skipped when up to date)."""
    spec = ctx.params.prepare.synthetic
    if spec is None:
        return {"synthetic": None}
    from jahwal.inputs import synth

    out = ctx.root / spec.out
    stamp = out / ".jahwal-synth.json"
    want = {
        "scale": spec.scale,
        "seed": spec.seed,
        "years": list(spec.years),
        "reference": tree_digest(ctx.root / ctx.params.parameters.reference_dir),
        "library": tree_digest(Path(synth.__file__)),
    }
    if stamp.exists():
        try:
            if json.loads(stamp.read_text(encoding="utf-8")) == want:
                return {"synthetic": str(spec.out), "regenerated": False}
        except json.JSONDecodeError:
            pass
    stamp.unlink(missing_ok=True)
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
        result["calibration"] = {"checks": int(len(cal)), "passed": int(cal["pass"].sum())}
    stamp.write_text(json.dumps(want, indent=1), encoding="utf-8")
    return result


def validate_inputs(ctx: BuildContext) -> dict[str, Any]:
    """Check the extract against the data contract; record file digests and row counts."""
    from jahwal.inputs import contract

    p = ctx.params.parameters
    report = contract.validate_extract(
        ctx.root / p.extract_dir, fmt=p.extract_format, window=(p.window_start, p.window_end)
    )
    from jahwal import qual
    from jahwal.inputs import framework, infrastructure, literature

    # every other input is checked before any notebook runs, too
    literature.check_folder(ctx.root / p.literature_dir)
    corpus = qual.load_corpus(ctx.root / p.qual_path, format=p.qual_format)
    infrastructure.read_infrastructure(ctx.root / p.infrastructure_path)
    infrastructure.read_infrastructure_by_province(ctx.root / p.infrastructure_province_path)
    framework.load_framework(ctx.root / p.framework_dir, codes=corpus.codes)
    report["qualitative"] = {"segments": int(len(corpus.segments)) if hasattr(corpus, "segments") else None}
    files = {}
    for key in StudyParams.PATH_KEYS:
        path = ctx.root / getattr(p, key)
        for f in [path] if path.is_file() else sorted(x for x in path.rglob("*") if x.is_file()):
            if f.name.startswith("."):
                continue
            rel = str(f.relative_to(ctx.root))
            files[rel] = {"sha256": file_digest(f), "rows": _row_count(f)}
    return {"extract": report, "files": files}


def _row_count(path: Path) -> int | None:
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".tsv"):
            with open(path, "rb") as fh:
                return max(sum(1 for _ in fh) - 1, 0)
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            return pq.ParquetFile(path).metadata.num_rows
    except Exception:  # pragma: no cover - informative only
        return None
    return None


def _execute_one(source: str, output: str, values: dict[str, Any], root: str, tables: str) -> float:
    """Run one notebook with papermill (in a worker process)."""
    import papermill as pm

    os.environ["JAHWAL_TABLE_DIR"] = tables
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    # kernel chatter goes to a log file next to the cached result, not the terminal
    log = open(output.replace(".part.ipynb", ".log"), "w")
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


def execute_all(ctx: BuildContext, only: Iterable[str] | None = None) -> list[NotebookRun]:
    """Execute the TOC's notebooks in parallel, reusing cached results."""
    from tqdm import tqdm

    values = ctx.params.notebook_values()
    lib = library_digest()
    runs: list[NotebookRun] = []
    (ctx.cache_dir / "notebooks").mkdir(parents=True, exist_ok=True)
    (ctx.cache_dir / "tables").mkdir(parents=True, exist_ok=True)
    notebooks = toc_notebooks(ctx.root)
    if only:
        only = set(only)
        notebooks = [n for n in notebooks if n.stem in only or str(n.relative_to(ctx.root)) in only]
    for nb in notebooks:
        declared = declared_parameters(nb)
        nb_values = {k: values[k] for k in declared if k in values}
        key = cache_key(nb, nb_values, notebook_inputs(nb_values, ctx.root), lib)
        rel = nb.relative_to(ctx.root)
        stem = str(rel.with_suffix("")).replace("/", "__")
        run = NotebookRun(
            source=str(rel),
            key=key,
            output=str(ctx.cache_dir / "notebooks" / f"{stem}.{key[:16]}.ipynb"),
            tables=str(ctx.cache_dir / "tables" / f"{stem}.{key[:16]}"),
            parameters=nb_values,
        )
        if Path(run.output).exists():
            run.status = "cached"
        runs.append(run)
    todo = [r for r in runs if r.status != "cached"]
    bar = tqdm(total=len(runs), desc="노트북 실행", unit="개", disable=not ctx.progress, initial=len(runs) - len(todo))
    failures = []
    with cf.ProcessPoolExecutor(max_workers=max(1, min(ctx.jobs, len(todo) or 1))) as pool:
        futures = {}
        for run in todo:
            tmp = run.output.replace(".ipynb", ".part.ipynb")
            shutil.rmtree(run.tables, ignore_errors=True)
            Path(run.tables).mkdir(parents=True, exist_ok=True)
            futures[
                pool.submit(_execute_one, str(ctx.root / run.source), tmp, run.parameters, str(ctx.root), run.tables)
            ] = run
        for fut in cf.as_completed(futures):
            run = futures[fut]
            try:
                run.seconds = round(fut.result(), 2)
                os.replace(run.output.replace(".ipynb", ".part.ipynb"), run.output)
                run.status = "executed"
                _prune_cache(Path(run.output), Path(run.tables))
            except Exception as exc:  # papermill raises PapermillExecutionError
                run.status = "failed"
                run.error = _failure_message(run, exc)
                failures.append(run)
            bar.set_postfix_str(Path(run.source).stem)
            bar.update(1)
    bar.close()
    if failures:
        raise BuildError("\n".join(r.error for r in sorted(failures, key=lambda r: r.source)), runs=runs)
    return runs


def _prune_cache(keep_nb: Path, keep_tables: Path) -> None:
    """Remove older cached results of the same notebook."""
    stem = keep_nb.name.rsplit(".", 2)[0]
    for p in keep_nb.parent.glob(f"{stem}.*"):
        if p != keep_nb and p != keep_nb.with_suffix(".log") and p.is_file():
            p.unlink(missing_ok=True)
    for p in keep_tables.parent.glob(f"{stem}.*"):
        if p != keep_tables and p.is_dir():
            shutil.rmtree(p, ignore_errors=True)


def reading_view(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove parameter cells and hide the remaining code behind a toggle."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tags = list(cell.metadata.get("tags", []))
        if any(t in tags for t in REMOVE_TAGS):
            tags = [t for t in tags if t != "hide-input"] + ["remove-cell"]
        elif "remove-cell" not in tags and "remove-input" not in tags and "hide-input" not in tags:
            tags.append("hide-input")
        cell.metadata["tags"] = sorted(set(tags))
        cell.metadata.pop("papermill", None)
    nb.metadata.pop("papermill", None)
    return nb


def stage(ctx: BuildContext, runs: list[NotebookRun], folder: Path) -> Path:
    """Assemble the book to render: configuration, pages and executed notebooks."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    config = yaml.safe_load((ctx.root / "_config.yml").read_text(encoding="utf-8"))
    study = ctx.params.study
    config["title"] = study.title
    config["author"] = study.author
    config["copyright"] = study.copyright
    subs = config.setdefault("parse", {}).setdefault("myst_substitutions", {})
    subs.update(
        study_title=study.title,
        study_subtitle=study.subtitle,
        study_author=study.author,
        study_copyright=study.copyright,
    )
    (folder / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copy2(ctx.root / "_toc.yml", folder / "_toc.yml")
    for name in ("book", "_static"):
        if (ctx.root / name).exists():
            shutil.copytree(ctx.root / name, folder / name)
    for bib in config.get("bibtex_bibfiles", []):
        src = ctx.root / bib
        if src.exists():
            (folder / bib).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, folder / bib)
    extra_tables = folder / "_extra" / "tables"
    extra_tables.mkdir(parents=True)
    for run in runs:
        nb = nbformat.read(run.output, as_version=4)
        target = folder / run.source
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(reading_view(nb), target)
        if Path(run.tables).is_dir():
            for f in Path(run.tables).iterdir():
                shutil.copy2(f, extra_tables / f.name)
    return folder


def render(ctx: BuildContext, folder: Path, strict: bool = True) -> Path:
    """Run jupyter-book 1.x on the staged folder; return the HTML folder."""
    jb = Path(sys.executable).parent / "jupyter-book"
    cmd = [str(jb) if jb.exists() else "jupyter-book", "build", str(folder), "--builder", "html"]
    if strict:
        cmd += ["-W", "-n", "--keep-going"]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=folder)
    log_path = ctx.build_dir / "logs" / "jupyter-book.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_path.write_text(proc.stdout + "\n" + proc.stderr, encoding="utf-8")
    html = folder / "_build" / "html"
    if proc.returncode != 0 or not (html / "index.html").exists():
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


def write_log(ctx: BuildContext) -> Path:
    logs = ctx.build_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    path = logs / f"build-{stamp}.json"
    text = json.dumps(ctx.log, indent=1, ensure_ascii=False, default=str)
    path.write_text(text, encoding="utf-8")
    (ctx.build_dir / "build-log.json").write_text(text, encoding="utf-8")
    return path


def build(
    params_path: str | Path,
    root: str | Path | None = None,
    *,
    jobs: int | None = None,
    strict: bool = True,
    progress: bool = True,
    echo: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Build the whole book for one study; return the build log.

    Raises
    ------
    jahwal.study.params.ParamsError
        The parameter file is invalid (nothing runs).
    jahwal.inputs.contract.ContractError
        The extract violates the data contract (nothing runs).
    BuildError
        A notebook failed, the disclosure gate refused an output, or rendering
        failed. In every case the previous ``_build/html`` is left as it was.
    """
    root = Path(root) if root else find_root()
    params_path = Path(params_path)
    if not params_path.is_absolute():
        params_path = (Path.cwd() / params_path) if (Path.cwd() / params_path).exists() else root / params_path
    t0 = time.perf_counter()
    params = load_params(params_path, root)
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
        "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "params_file": str(params_path),
        "params_sha256": file_digest(params_path),
        "study": params.study.model_dump(),
        "parameters": params.notebook_values(),
        "status": "running",
    }
    stage_dir = ctx.build_dir / ".stage"
    try:
        echo("1/6 자료 준비 / preparing data")
        ctx.log["prepare"] = prepare(ctx)
        echo("2/6 입력 자료 검증 / validating inputs")
        ctx.log["inputs"] = validate_inputs(ctx)
        echo("3/6 노트북 실행 / executing notebooks")
        runs = execute_all(ctx)
        ctx.log["notebooks"] = [_run_log(r) for r in runs]
        echo("4/6 공개 점검 / disclosure gate")
        from jahwal.publish import gate

        stage(ctx, runs, stage_dir)
        pages = [stage_dir / r.source for r in runs] + sorted((stage_dir / "book").rglob("*.md"))
        ctx.log["disclosure"] = gate.check_notebooks(
            pages, threshold=params.parameters.suppression_threshold, root=stage_dir
        )
        echo("5/6 책 만들기 / rendering with jupyter-book")
        html = render(ctx, stage_dir, strict=strict)
        ctx.log["html_scan"] = gate.scan_html(html, threshold=params.parameters.suppression_threshold)
        echo("6/6 게시 / publishing")
        publish(html, ctx.html_dir)
        ctx.log["status"] = "ok"
    except BuildError as exc:
        if getattr(exc, "runs", None):
            ctx.log["notebooks"] = [_run_log(r) for r in exc.runs]
        ctx.log["status"] = "failed"
        ctx.log["error"] = str(exc)
        raise
    except JahwalError as exc:
        ctx.log["status"] = "failed"
        ctx.log["error"] = str(exc)
        raise
    finally:
        ctx.log["seconds"] = round(time.perf_counter() - t0, 2)
        ctx.log["log_file"] = str(write_log(ctx))
        shutil.rmtree(stage_dir, ignore_errors=True)
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
