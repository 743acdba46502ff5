"""The table of contents (``_toc.yml``) and chapter notebooks made from the template."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterator

import nbformat
import yaml

from jahwal.errors import JahwalError

TEMPLATE = Path(__file__).parent / "templates" / "chapter.ipynb"
#: key of a TOC entry naming the page that replaces it in a build on a real extract
REAL_EXTRACT_KEY = "real_extract"
SLUG_RE = re.compile(r"^[0-9]{2}[a-z0-9_]*$")


class TocError(JahwalError):
    exit_code = 2


def find_root(start: str | Path = ".") -> Path:
    """The project root: the nearest folder upwards that holds ``_toc.yml``."""
    p = Path(start).resolve()
    for cand in [p, *p.parents]:
        if (cand / "_toc.yml").exists() and (cand / "_config.yml").exists():
            return cand
    raise TocError(
        f"_toc.yml와 _config.yml이 있는 프로젝트 폴더를 찾지 못했습니다 / "
        f"no project root with _toc.yml and _config.yml above {p}"
    )


def load_toc(root: Path) -> dict[str, Any]:
    path = root / "_toc.yml"
    try:
        toc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise TocError(f"{path}: YAML 구문 오류 / YAML syntax error: {exc}") from exc
    if not isinstance(toc, dict) or "root" not in toc:
        raise TocError(f"{path}: 'root' 항목이 없습니다 / missing 'root'")
    return toc


def study_toc(toc: dict[str, Any], synthetic: bool = True) -> dict[str, Any]:
    """The TOC of one kind of build: entries with a ``real_extract`` page swap to it
    when the extract is real, and the key itself is dropped (jupyter-book does
    not know it).

    Examples
    --------
    >>> toc = {"root": "index", "parts": [{"caption": "부록", "chapters": [
    ...     {"file": "notebooks/92_calibration", "real_extract": "notebooks/92_provenance"}]}]}
    >>> study_toc(toc, synthetic=False)["parts"][0]["chapters"]
    [{'file': 'notebooks/92_provenance'}]
    >>> study_toc(toc)["parts"][0]["chapters"]
    [{'file': 'notebooks/92_calibration'}]
    """
    import copy

    out = copy.deepcopy(toc)

    def fix(entries: list[dict[str, Any]]) -> None:
        for e in entries or []:
            if REAL_EXTRACT_KEY in e:
                alt = e.pop(REAL_EXTRACT_KEY)
                if not synthetic:
                    e["file"] = alt
            fix(e.get("sections", []))
            fix(e.get("chapters", []))

    for part in out.get("parts", []):
        fix(part.get("chapters", []))
    fix(out.get("chapters", []))
    return out


def variant_pages(root: Path) -> list[str]:
    """The pages that replace another page in builds on a real extract."""
    found: list[str] = []

    def walk(entries: list[dict[str, Any]]) -> None:
        for e in entries or []:
            if REAL_EXTRACT_KEY in e:
                found.append(e[REAL_EXTRACT_KEY])
            walk(e.get("sections", []))
            walk(e.get("chapters", []))

    toc = load_toc(root)
    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    walk(toc.get("chapters", []))
    return found


def _walk(entries: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for e in entries or []:
        yield e
        yield from _walk(e.get("sections", []))
        yield from _walk(e.get("chapters", []))


def toc_entries(root: Path, synthetic: bool = True) -> list[dict[str, Any]]:
    """Every entry of the TOC with a ``file``, in reading order, with its part caption.

    Each item is ``{"file": "notebooks/31_infrastructure", "part": "Ⅲ. 양적 성과"}``.
    ``synthetic`` chooses the pages of a build on the synthetic extract (the
    default) or on a real one (see :func:`study_toc`).
    """
    toc = study_toc(load_toc(root), synthetic)
    out = [{"file": toc["root"], "part": ""}]
    for part in toc.get("parts", []):
        for e in _walk(part.get("chapters", [])):
            if "file" in e:
                out.append({"file": e["file"], "part": part.get("caption", "")})
    for e in _walk(toc.get("chapters", [])):
        if "file" in e:
            out.append({"file": e["file"], "part": ""})
    return out


def resolve(root: Path, file: str) -> Path:
    """The source file of a TOC entry (``.ipynb`` or ``.md``)."""
    for ext in ("", ".ipynb", ".md"):
        p = root / f"{file}{ext}"
        if p.is_file():
            return p
    raise TocError(f"_toc.yml의 '{file}' 파일이 없습니다 / file listed in _toc.yml not found: {file}")


def toc_notebooks(root: Path, synthetic: bool = True) -> list[Path]:
    """The notebooks the book executes, in TOC order."""
    return [p for p in (resolve(root, e["file"]) for e in toc_entries(root, synthetic)) if p.suffix == ".ipynb"]


def _substitutions(path: Path) -> dict[str, str]:
    for folder in [path.parent, *path.parents]:
        cfg = folder / "_config.yml"
        if cfg.exists():
            data = yaml.safe_load(cfg.read_text(encoding="utf-8")) or {}
            return {k: str(v) for k, v in (data.get("parse", {}).get("myst_substitutions") or {}).items()}
    return {}


def page_title(path: Path) -> str:
    """The first level-1 heading of a Markdown page or notebook (MyST substitutions resolved)."""
    if path.suffix == ".ipynb":
        nb = json.loads(path.read_text(encoding="utf-8"))
        texts = [
            "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in nb["cells"]
            if c["cell_type"] == "markdown"
        ]
    else:
        texts = [path.read_text(encoding="utf-8")]
    for text in texts:
        for line in text.splitlines():
            if line.startswith("# "):
                title = line[2:].strip()
                if "{{" in title:
                    subs = _substitutions(path)
                    title = re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: subs.get(m.group(1), m.group(0)), title)
                return title
    return ""


def make_notebook(cells: list[tuple[str, str]]) -> nbformat.NotebookNode:
    """Build a notebook from ``(kind, source)`` pairs; kind is md, code or params."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    for i, (kind, src) in enumerate(cells):
        if kind == "md":
            cell = nbformat.v4.new_markdown_cell(src)
        else:
            cell = nbformat.v4.new_code_cell(src)
            if kind == "params":
                cell.metadata["tags"] = ["parameters"]
        cell["id"] = f"c{i:02d}"
        nb.cells.append(cell)
    return nb


def write_notebook(nb: nbformat.NotebookNode, path: Path) -> None:
    """Write a source notebook without outputs, deterministically."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def new_chapter(root: Path, slug: str, title: str, part: str | None = None) -> Path:
    """Create ``notebooks/SLUG.ipynb`` from the template and register it in ``_toc.yml``.

    Parameters
    ----------
    root : Path
        Project root.
    slug : str
        File name without extension: two digits then lower-case letters, digits
        or underscores (``56_regional_trends``). The digits order the file.
    title : str
        The page title (Korean), also the TOC entry.
    part : str, optional
        Caption of the TOC part to add the page to; by default the last part
        before the appendices.
    """
    if not SLUG_RE.match(slug):
        raise TocError(
            f"장 이름 '{slug}'이 규칙에 맞지 않습니다 (예: 56_regional_trends) / "
            f"slug '{slug}' must be two digits then [a-z0-9_] (e.g. 56_regional_trends)"
        )
    if not title.strip():
        raise TocError("제목이 비어 있습니다 / the title is empty")
    target = root / "notebooks" / f"{slug}.ipynb"
    if target.exists():
        raise TocError(f"이미 있는 파일입니다 / already exists: {target.relative_to(root)}")
    toc_path = root / "_toc.yml"
    toc = load_toc(root)
    parts = toc.get("parts", [])
    if not parts:
        raise TocError(f"{toc_path}: 'parts'가 없습니다 / no parts")
    if part is None:
        idx = next((i for i, p in enumerate(parts) if p.get("caption", "").startswith("부록")), len(parts)) - 1
        chosen = parts[max(idx, 0)]
    else:
        matches = [p for p in parts if p.get("caption") == part]
        if not matches:
            captions = ", ".join(p.get("caption", "") for p in parts)
            raise TocError(
                f"'{part}' 부분이 _toc.yml에 없습니다 / no part '{part}' in _toc.yml (있는 부분 / parts: {captions})"
            )
        chosen = matches[0]
    nb = nbformat.read(TEMPLATE, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = cell.source.replace("{{TITLE}}", title.strip())
        cell.source = cell.source.replace("{{SLUG}}", slug)
    write_notebook(nb, target)
    chosen.setdefault("chapters", []).append({"file": f"notebooks/{slug}"})
    toc_path.write_text(yaml.safe_dump(toc, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    return target
