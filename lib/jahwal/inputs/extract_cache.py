"""Columnar cache of a validated extract, kept next to the extract itself.

Reading and validating the CSV files of an extract takes seconds (about
650,000 counselling rows at the default scale), and every Chapter Ⅲ notebook
needs the same validated tables. :func:`cached` validates an extract once per
content hash and stores the typed tables as Parquet files in a hidden
``.jahwal-cache/`` folder *inside the extract's own folder*, so that
confidential microdata never leaves the place where the user keeps it (nothing
is copied into ``_build/``).

The cache key is a SHA-256 over the names and bytes of the extract's files,
the study window and the source of the data contract. An entry holds a
``manifest.json`` with the SHA-256 of every Parquet file; an entry whose files
do not match their digests (a crash half-way, a disk error, an edit) is
rebuilt, never trusted. When the folder cannot be written (a read-only share)
the extract is validated as usual and nothing is cached.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jahwal.inputs.digest import file_digest

CACHE_FOLDER = ".jahwal-cache"
FORMAT_VERSION = 1
TABLE_NAMES = ("participants", "stages", "counselling", "outcomes")
KEEP_ENTRIES = 3


def extract_key(files: dict[str, str | Path], window: tuple[str, str], contract_source: str | Path) -> str:
    """Content hash of an extract's files, the study window and the contract's source.

    Parameters
    ----------
    files : dict of path
        Table alias → file of that table.
    window : (str, str)
        First and last month of the study.
    contract_source : path
        The module that validates the extract; a change of its rules
        invalidates every cached entry.

    Returns
    -------
    str
        Hexadecimal SHA-256.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "participants.csv").write_text("a"); _ = (d / "rules.py").write_text("r")
    >>> k1 = extract_key({"participants": d / "participants.csv"}, ("2019-01", "2022-12"), d / "rules.py")
    >>> k2 = extract_key({"participants": d / "participants.csv"}, ("2020-01", "2022-12"), d / "rules.py")
    >>> k1 == k2
    False
    """
    h = hashlib.sha256()
    h.update(f"v{FORMAT_VERSION}|{window[0]}|{window[1]}|".encode())
    h.update(file_digest(contract_source).encode())
    for alias in sorted(files):
        h.update(f"|{alias}|{Path(files[alias]).name}|".encode())
        h.update(file_digest(files[alias]).encode())
    return h.hexdigest()


def entry_dir(folder: str | Path, key: str) -> Path:
    """The cache entry of ``key`` inside an extract folder."""
    return Path(folder) / CACHE_FOLDER / key[:32]


def read_entry(entry: Path, key: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """Tables and manifest of a complete, intact entry; ``None`` otherwise.

    Every Parquet file is checked against the digest in the manifest before it
    is read, so a damaged entry is never used.
    """
    manifest_path = entry / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("key") != key or manifest.get("version") != FORMAT_VERSION:
            return None
        digests = manifest["parquet"]
        if sorted(digests) != sorted(TABLE_NAMES):
            return None
        for name, digest in digests.items():
            if file_digest(entry / f"{name}.parquet") != digest:
                return None
        import pyarrow.parquet as pq

        tables = {name: pq.read_table(entry / f"{name}.parquet").to_pandas() for name in TABLE_NAMES}
    except Exception:  # noqa: BLE001 - missing, truncated or unreadable in any way: rebuild
        return None
    return tables, manifest


def write_entry(entry: Path, key: str, tables: dict[str, Any], meta: dict[str, Any]) -> bool:
    """Write an entry atomically (a temporary folder renamed into place).

    Returns ``False`` (and writes nothing) when the folder is not writable.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    parent = entry.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=parent))
    except OSError:
        return False
    try:
        digests = {}
        for name in TABLE_NAMES:
            path = tmp / f"{name}.parquet"
            table = pa.Table.from_pandas(tables[name], preserve_index=False)
            pq.write_table(table, path, compression="snappy")
            digests[name] = file_digest(path)
        manifest = {"version": FORMAT_VERSION, "key": key, "parquet": digests, **meta}
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
        if entry.exists():  # a damaged entry: move it aside, then swap in the new one
            stale = Path(tempfile.mkdtemp(prefix=".tmp-old-", dir=parent))
            os.replace(entry, stale / "entry")
            shutil.rmtree(stale, ignore_errors=True)
        os.replace(tmp, entry)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        return entry.is_dir()
    # keep the few newest entries (other windows of the same extract); drop the rest
    others = sorted(
        (p for p in parent.iterdir() if p.is_dir() and p != entry and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in others[KEEP_ENTRIES - 1 :]:
        shutil.rmtree(old, ignore_errors=True)
    return True


def cached(
    folder: str | Path,
    files: dict[str, str | Path],
    window: tuple[str, str],
    contract_source: str | Path,
    load: Callable[[], tuple[dict[str, Any], dict[str, Any]]],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Tables of an extract from its cache, or from ``load`` (then cached).

    Parameters
    ----------
    folder : path
        The extract folder (the cache lives in its ``.jahwal-cache/``).
    files, window, contract_source
        What the cache key is computed from (see :func:`extract_key`).
    load : callable
        Validates the extract and returns ``(tables, meta)``: the four tables
        by name and JSON-able facts to keep in the manifest. It raises on an
        invalid extract, and nothing is written then.

    Returns
    -------
    tables : dict of DataFrame
    meta : dict
        The manifest (with ``"cache": "hit"`` or ``"miss"``).
    """
    key = extract_key(files, window, contract_source)
    entry = entry_dir(folder, key)
    found = read_entry(entry, key)
    if found is not None:
        tables, manifest = found
        return tables, {**manifest, "cache": "hit"}
    tables, meta = load()
    write_entry(entry, key, tables, meta)
    return tables, {"version": FORMAT_VERSION, "key": key, **meta, "cache": "miss"}
