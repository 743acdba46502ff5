"""Sphinx extension of the book: Korean search (Hangul bigrams) and page furniture."""
from __future__ import annotations

from typing import Any


def setup(app: Any) -> dict[str, Any]:
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
