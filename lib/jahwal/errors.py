"""Errors that the ``jahwal`` command reports to users (bilingual, non-zero exit)."""

from __future__ import annotations


class JahwalError(Exception):
    """Base class: the message is shown to the user as is; ``exit_code`` is the status."""

    exit_code = 1
