"""Sphinx settings the book relies on, applied after jupyter-book's defaults.

jupyter-book 1.x turns on automatic figure numbering (``numfig``). The book
numbers tables and figures as the report does (표 Ⅲ-3, 그림 Ⅲ-11) in the
captions themselves, so automatic numbers are switched off here.
"""

from __future__ import annotations

from typing import Any


def _config_inited(app: Any, config: Any) -> None:
    config.numfig = False


def setup(app: Any) -> dict[str, Any]:
    app.connect("config-inited", _config_inited, priority=900)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
