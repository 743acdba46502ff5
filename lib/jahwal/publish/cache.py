"""The notebook cache of the build: content hashes, entries and their checks.

A notebook is executed again only when something it depends on changed: its own
file, the values of the parameters it declares, the files those parameters name
(their content) or the ``jahwal`` library. A notebook that does not declare a
parameter is not re-executed when that parameter or its file changes.

An entry is the executed notebook, the folder of its download tables and a
manifest with the SHA-256 of each of those files. :meth:`NotebookCache.lookup`
trusts an entry only when every file matches its manifest; a damaged entry is
removed and the notebook runs again.

The module also computes the fingerprint of a whole build (every notebook key,
the hand-written pages, the configuration and the study), so that a build with
nothing changed can keep the published book as it is without running
jupyter-book at all. Nothing here imports pandas or papermill: the check of a
no-change build stays fast.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jahwal.inputs.digest import file_digest, ignored, tree_digest

__all__ = [
    "Entry",
    "NotebookCache",
    "cache_key",
    "declared_parameters",
    "file_digest",
    "fingerprint",
    "library_digest",
    "notebook_inputs",
    "tree_digest",
]

#: modules that only build, render or serve the book: notebooks never import them, so a
#: change there does not re-execute notebooks (it still re-renders: see ``render_digest``)
BUILD_ONLY = ("publish", "cli.py")


def library_digest(package: str | Path | None = None) -> str:
    """Digest of the ``jahwal`` sources that notebooks run (a change re-executes them).

    Modules in :data:`BUILD_ONLY` are left out.
    """
    base = Path(package) if package else Path(__file__).resolve().parent
    while base.name != "jahwal" and base.parent != base and (base.parent / "__init__.py").exists():
        base = base.parent
    h = hashlib.sha256()
    for p in sorted(base.rglob("*.py")):
        rel = p.relative_to(base)
        if ignored(rel.parts) or rel.parts[0] in BUILD_ONLY:
            continue
        h.update(rel.as_posix().encode())
        h.update(file_digest(p).encode())
    return h.hexdigest()


def render_digest(package: str | Path | None = None) -> str:
    """Digest of every file of the ``jahwal`` package (what the rendered book depends on)."""
    base = Path(package) if package else Path(__file__).resolve().parent
    while base.name != "jahwal" and base.parent != base and (base.parent / "__init__.py").exists():
        base = base.parent
    return tree_digest(base)


def declared_parameters(notebook: str | Path) -> list[str]:
    """Names assigned in a notebook's cell tagged ``parameters``, in order.

    Parameters
    ----------
    notebook : path
        An ``.ipynb`` file.

    Returns
    -------
    list of str

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> nb = {"cells": [{"cell_type": "code", "metadata": {"tags": ["parameters"]},
    ...                  "source": "a = 1\\nb: int = 2  # note"}]}
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "n.ipynb"
    >>> _ = p.write_text(json.dumps(nb))
    >>> declared_parameters(p)
    ['a', 'b']
    """
    data = json.loads(Path(notebook).read_text(encoding="utf-8"))
    names: list[str] = []
    for cell in data.get("cells", []):
        if cell.get("cell_type") != "code" or "parameters" not in cell.get("metadata", {}).get("tags", []):
            continue
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        for node in ast.parse(source).body:
            targets = (
                node.targets
                if isinstance(node, ast.Assign)
                else [node.target]
                if isinstance(node, ast.AnnAssign)
                else []
            )
            for t in targets:
                if isinstance(t, ast.Name) and t.id not in names:
                    names.append(t.id)
        break
    return names


def declared_inputs(notebook: str | Path) -> list[str]:
    """Extra files a notebook reads that no parameter names (``metadata.jahwal.inputs``).

    Paths are relative to the project root; a file that does not exist yet
    (an optional input, such as the benchmark table of an earlier run) is part
    of the key as missing.

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "n.ipynb"
    >>> _ = p.write_text(json.dumps({"cells": [], "metadata": {"jahwal": {"inputs": ["_build/bench.json"]}}}))
    >>> declared_inputs(p)
    ['_build/bench.json']
    """
    data = json.loads(Path(notebook).read_text(encoding="utf-8"))
    return [str(x) for x in data.get("metadata", {}).get("jahwal", {}).get("inputs", [])]


def extra_inputs(names: list[str], root: Path) -> dict[str, str]:
    """Digests of a notebook's extra input files (``"missing"`` for absent ones)."""
    out = {}
    for name in names:
        p = Path(root) / name
        out[f"extra:{name}"] = tree_digest(p) if p.exists() else "missing"
    return out


def resolve_input(value: str, root: Path) -> Path | None:
    """The file or folder a parameter value names, if it names one (absolute or below ``root``)."""
    if not value or value.startswith(("http:", "https:")) or "\n" in value or len(value) > 4096:
        return None
    p = Path(value)
    p = p if p.is_absolute() else root / p
    try:
        return p if p.exists() else None
    except OSError:
        return None


def notebook_inputs(values: dict[str, Any], root: Path, memo: dict[str, str] | None = None) -> dict[str, str]:
    """The data paths among a notebook's parameter values, with their digests."""
    out = {}
    for _key, value in sorted(values.items()):
        if isinstance(value, str):
            p = resolve_input(value, Path(root))
            if p is not None:
                out[value] = tree_digest(p, memo)
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


@dataclass
class Entry:
    """Where one notebook result lives in the cache."""

    stem: str
    key: str
    folder: Path

    @property
    def notebook(self) -> Path:
        return self.folder / "notebooks" / f"{self.stem}.{self.key[:16]}.ipynb"

    @property
    def tables(self) -> Path:
        return self.folder / "tables" / f"{self.stem}.{self.key[:16]}"

    @property
    def manifest(self) -> Path:
        return self.notebook.with_suffix(".json")

    @property
    def partial(self) -> Path:
        return self.notebook.with_suffix(".part.ipynb")

    @property
    def log(self) -> Path:
        return self.notebook.with_suffix(".log")


class NotebookCache:
    """Executed notebooks by content key, under ``folder`` (``_build/cache``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> c = NotebookCache(pathlib.Path(tempfile.mkdtemp()))
    >>> e = c.entry("notebooks/31_x.ipynb", "ab" * 32)
    >>> c.lookup(e)
    False
    >>> c.prepare(e); _ = e.partial.write_text("{}"); c.commit(e, seconds=1.5)
    >>> c.lookup(e), c.seconds(e)
    (True, 1.5)
    >>> _ = e.notebook.write_text("{ damaged")
    >>> c.lookup(e), e.notebook.exists()
    (False, False)
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def entry(self, source: str, key: str) -> Entry:
        stem = str(Path(source).with_suffix("")).replace("/", "__").replace("\\", "__")
        return Entry(stem, key, self.folder)

    def _digests(self, entry: Entry) -> dict[str, str]:
        out = {"notebook": file_digest(entry.notebook)}
        if entry.tables.is_dir():
            for f in sorted(entry.tables.iterdir()):
                out[f"tables/{f.name}"] = file_digest(f)
        return out

    def lookup(self, entry: Entry) -> bool:
        """True when the entry is complete and intact; a damaged entry is removed."""
        if not entry.manifest.exists() and not entry.notebook.exists():
            return False
        try:
            manifest = json.loads(entry.manifest.read_text(encoding="utf-8"))
            if manifest.get("key") == entry.key and manifest.get("files") == self._digests(entry):
                return True
        except (OSError, ValueError):
            pass
        self.remove(entry)
        return False

    def seconds(self, entry: Entry) -> float | None:
        try:
            return float(json.loads(entry.manifest.read_text(encoding="utf-8"))["seconds"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def entries_of(self, stem: str) -> list[Entry]:
        """Every entry of one notebook that has a manifest (older keys included)."""
        found = []
        for m in sorted((self.folder / "notebooks").glob(f"{stem}.*.json")):
            parts = m.name.split(".")
            if len(parts) == 3 and parts[0] == stem:
                try:
                    key = json.loads(m.read_text(encoding="utf-8"))["key"]
                except (OSError, ValueError, KeyError):
                    continue
                found.append(Entry(stem, key, self.folder))
        return found

    def prepare(self, entry: Entry) -> None:
        """Empty places for a new run of the entry's notebook."""
        entry.notebook.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(entry.tables, ignore_errors=True)
        entry.tables.mkdir(parents=True, exist_ok=True)
        entry.partial.unlink(missing_ok=True)

    def commit(self, entry: Entry, seconds: float) -> None:
        """Make a finished run the entry (the manifest last) and drop older entries of that notebook."""
        os.replace(entry.partial, entry.notebook)
        manifest = {"key": entry.key, "seconds": round(seconds, 2), "files": self._digests(entry)}
        tmp = entry.manifest.with_suffix(".json.part")
        tmp.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        os.replace(tmp, entry.manifest)
        self.prune(entry)

    def remove(self, entry: Entry) -> None:
        for p in (entry.manifest, entry.notebook, entry.partial):
            p.unlink(missing_ok=True)
        shutil.rmtree(entry.tables, ignore_errors=True)

    def prune(self, keep: Entry) -> None:
        """Remove older results of the same notebook."""
        mine = {keep.notebook, keep.manifest, keep.log}
        for p in keep.notebook.parent.glob(f"{keep.stem}.*"):
            if p not in mine and p.is_file() and p.name.split(".")[0] == keep.stem:
                p.unlink(missing_ok=True)
        for p in keep.tables.parent.glob(f"{keep.stem}.*"):
            if p != keep.tables and p.is_dir() and p.name.split(".")[0] == keep.stem:
                shutil.rmtree(p, ignore_errors=True)


def fingerprint(parts: dict[str, Any]) -> str:
    """One SHA-256 over JSON-able build facts (notebook keys, page digests, study, options).

    Examples
    --------
    >>> fingerprint({"a": 1, "b": [2]}) == fingerprint({"b": [2], "a": 1})
    True
    """
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()
