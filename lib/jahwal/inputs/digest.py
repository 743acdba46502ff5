"""File digests: what the build records for its inputs and compares to decide what to re-run."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable

HASH_CHUNK = 1 << 20


def file_digest(path: Path) -> str:
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


def tree_digest(path: Path, ignore: Iterable[str] = ("__pycache__",)) -> str:
    """SHA-256 over the relative names and contents of every file below ``path``."""
    path = Path(path)
    if path.is_file():
        return file_digest(path)
    h = hashlib.sha256()
    ignore = set(ignore)
    for p in sorted(path.rglob("*")):
        if not p.is_file() or ignore.intersection(p.relative_to(path).parts):
            continue
        h.update(str(p.relative_to(path)).encode())
        h.update(file_digest(p).encode())
    return h.hexdigest()
