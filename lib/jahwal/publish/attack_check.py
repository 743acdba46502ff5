"""The attacker check over the whole book, after all notebooks have run and before rendering.

Reads the ledger blocks that :class:`jahwal.display.nb.Table` and :func:`jahwal.display.nb.glue_count`
put into the executed notebooks, builds the book's :class:`jahwal.display.ledger.Ledger`
and runs :func:`jahwal.display.attack.check` on it. The build stops when a suppressed
count can be worked out from what is published, when a registered count lies in
1 … ``threshold - 1``, when a rate or mean computed from a suppressed count is
shown, or when two pages publish different values for the same count.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Iterable

from jahwal.display.attack import check
from jahwal.display.ledger import Ledger
from jahwal.display.nb import COUNT_MIME, TABLE_MIME
from jahwal.publish.gate import DisclosureError, normalise_output


def read_payloads(paths: Iterable[Path]) -> list[dict[str, Any]]:
    """Table and count payloads of executed notebooks, in notebook and cell order."""
    import nbformat

    out = []
    for path in paths:
        path = Path(path)
        if path.suffix != ".ipynb":
            continue
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            for o in cell.get("outputs", []) if cell.cell_type == "code" else []:
                data = normalise_output(o).get("data", {})
                for mime in (TABLE_MIME, COUNT_MIME):
                    if mime in data:
                        out.append(dict(data[mime], notebook=path.name))
    return out


def check_book(paths: Iterable[Path], threshold: int, width: float | None = None) -> dict[str, Any]:
    """Build the book's ledger from its notebooks and run the attacker check.

    Returns
    -------
    dict
        ``threshold``, ``protection_width``, ``cells`` (ledger cells),
        ``relations``, ``suppressed``, ``seconds`` and ``failures`` (empty).

    Raises
    ------
    DisclosureError
        Naming each cell that fails, the tables that reveal it and its interval.
    """
    t0 = time.perf_counter()
    payloads = read_payloads(paths)
    ledger = Ledger.from_payloads(payloads)
    problems = list(_payload_problems(payloads, threshold))
    problems += [
        f"같은 인원이 서로 다른 값으로 공개됩니다 / one count is published with different values: {c}"
        for c in ledger.conflicts
    ]
    result = check(ledger, threshold, width)
    problems += result.messages()
    if problems:
        raise DisclosureError(
            "공개 수치 결합 점검에서 막혔습니다 / the attacker check refused the book:\n"
            + "\n".join("  - " + p for p in problems)
        )
    return {
        **result.summary(),
        "tables": sum(1 for p in payloads if p.get("ledger")),
        "seconds": round(time.perf_counter() - t0, 3),
    }


def _payload_problems(payloads: Iterable[dict[str, Any]], threshold: int):
    for p in payloads:
        for cell in (p.get("ledger") or {}).get("cells", []):
            v = cell.get("value")
            where = f"{p.get('key')} ({cell.get('column')}, {cell.get('row', 0) + 1}행 / row {cell.get('row', 0) + 1})"
            if v is not None and 1 <= v < threshold:
                yield (f"{where}: {threshold}명 미만의 인원이 공개됩니다 / publishes a count below {threshold}")
            if v is None and cell.get("related_shown"):
                yield (
                    f"{where}: 숨긴 인원으로 계산한 값이 공개됩니다 / shows values computed from a suppressed count: "
                    f"{cell['related_shown']}"
                )
