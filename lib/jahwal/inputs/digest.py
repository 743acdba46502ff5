"""File digests: what the build records for its inputs and compares to decide what to re-run."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable

HASH_CHUNK = 1 << 20


def file_digest(path: str | Path) -> str:
    """SHA-256 of a file's bytes.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = p.write_bytes(b"abc")
    >>> file_digest(p)[:12]
    'ba7816bf8f01'
    """
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(HASH_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


#: folder and file names left out of tree digests (caches, editor files); hidden names too
IGNORED_PARTS = ("__pycache__", ".ipynb_checkpoints")


def ignored(parts: Iterable[str]) -> bool:
    """True for a path (its parts) that digests leave out: hidden names and caches.

    Examples
    --------
    >>> ignored(("data", ".jahwal-cache", "x.parquet")), ignored(("data", "a.csv"))
    (True, False)
    """
    return any(p in IGNORED_PARTS or p.startswith(".") for p in parts)


def tree_digest(path: str | Path, memo: dict[str, str] | None = None) -> str:
    """SHA-256 over the relative names and contents of every file below ``path``.

    Hidden files and folders (such as an extract's ``.jahwal-cache/``) and
    ``__pycache__`` are left out. ``memo`` keeps digests already computed in
    one build.

    Examples
    --------
    >>> import tempfile, pathlib, os
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.csv").write_text("1")
    >>> before = tree_digest(d)
    >>> (d / ".jahwal-cache").mkdir(); _ = (d / ".jahwal-cache" / "x").write_text("2")
    >>> os.utime(d / "a.csv", (1, 1))
    >>> tree_digest(d) == before
    True
    """
    path = Path(path)
    if memo is not None and str(path) in memo:
        return memo[str(path)]
    if path.is_file():
        digest = file_digest(path)
    else:
        h = hashlib.sha256()
        for p in sorted(path.rglob("*")):
            rel = p.relative_to(path)
            if not p.is_file() or ignored(rel.parts):
                continue
            h.update(rel.as_posix().encode())
            h.update(file_digest(p).encode())
        digest = h.hexdigest()
    if memo is not None:
        memo[str(path)] = digest
    return digest
